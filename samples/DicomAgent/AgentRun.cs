using System.Globalization;
using ManifestBuild.Agent.Domains;
using ManifestBuild.Agent.Market;
using ManifestBuild.Runtime;
using Microsoft.Extensions.AI;

namespace DicomAgent;

/// <summary>What one run did: the domains it saw, the manifest it holds, what it paid, and its decisions.</summary>
public sealed record AgentRunResult(DomainReport Domains, AgentAcquisition Acquired, IReadOnlyList<(string Task, string Complexity)> Decisions);

/// <summary>
/// The worked example of ManifestBuild.Agent: detect the repository's domains, ask the market what is
/// listed for them, buy the best complexity manifest within a 100-sat budget (or take it from the
/// cache), and classify the pending tasks with it at once.
/// </summary>
public static class AgentRun
{
    /// <summary>The agent's whole budget: 100 sats a day, and no single purchase above it.</summary>
    public const long BudgetMsat = 100_000;

    /// <summary>What the agent says a right complexity call is worth to it (the default policy buys only below it).</summary>
    public const long ValueEstimateMsat = 250_000;

    public static readonly string[] Tasks =
    [
        "Optimize DICOM parsing for large studies",
        "add a windowing option to the loader",
        "fix a typo in the README",
    ];

    /// <param name="repository">The repository the agent works on.</param>
    /// <param name="work">State that outlives a run: the agent's DSRS_HOME, the dev network, the seller's home.</param>
    /// <param name="manifests">The local market's stock (market/).</param>
    public static async Task<AgentRunResult> RunAsync(string repository, string work, string manifests, IChatClient chat, TextWriter output, CancellationToken cancellationToken)
    {
        await using var local = await LocalMarket.StartAsync(work, manifests, cancellationToken);
        output.WriteLine($"[Agent] working on {Path.GetFileName(Path.GetFullPath(repository).TrimEnd(Path.DirectorySeparatorChar))}, needs complexity classification");
        var report = DomainDetector.Detect(repository, cancellationToken: cancellationToken);
        output.WriteLine($"  -> detects domains: {string.Join(", ", report.Tags)}");
        foreach (var domain in report.Domains)
        {
            output.WriteLine($"       {domain.Tag,-16} {domain.Score,3}  {string.Join("; ", domain.Evidence)}");
        }

        // The agent's own home and node: what the build of this machine would use too.
        var environment = new Dictionary<string, string>
        {
            ["DSRS_HOME"] = Path.Combine(work, "agent-home"),
            ["DSRS_NODE"] = $"type=dev;name=agent;ledger={local.DevNet}",
        };
        using var logs = new LineLoggerFactory(output);
        await using var market = AgentMarket.Open(new AgentMarketOptions
        {
            Relays = [local.RelayUrl],
            Environment = name => environment.TryGetValue(name, out var value) ? value : Environment.GetEnvironmentVariable(name),
            Budget = new PeriodBudget(BudgetMsat, TimeSpan.FromDays(1)),
            MaxPricePerPurchaseMsat = BudgetMsat,
            LoggerFactory = logs,
        });

        var suggestion = (await market.SuggestAsync(report, cancellationToken)).FirstOrDefault(s => s.Family == "complexity")
            ?? throw new InvalidOperationException("the market lists no complexity manifest for these domains");
        output.WriteLine($"  -> queries relays: family=complexity, domains {string.Join("+", suggestion.Domains)}");
        var got = await market.AcquireAsync(
            new AgentQuery
            {
                Family = "complexity",
                Domains = suggestion.Domains,
                MinAccuracy = 0.85,
                MaxPriceMsat = BudgetMsat,
                ValueEstimateMsat = ValueEstimateMsat,
            },
            cancellationToken);

        var listing = got.Listing;
        output.WriteLine($"  -> best listing: {listing.ExampleCount?.ToString("N0", CultureInfo.InvariantCulture) ?? "?"} examples, accuracy {listing.Accuracy?.ToString("0.00", CultureInfo.InvariantCulture) ?? "?"}, {listing.PriceMsat / 1000} sats");
        output.WriteLine($"     why: {got.Explanation.Why}");
        foreach (var loser in got.Explanation.Losers)
        {
            output.WriteLine($"     lost: {loser.Listing.CompiledId[..12]} ({loser.Listing.ExampleCount} examples, accuracy {loser.Accuracy.ToString("0.00", CultureInfo.InvariantCulture)}, {loser.Listing.PriceMsat / 1000} sats)");
        }

        output.WriteLine($"  -> decision: {got.Explanation.Decision.Reason}");
        output.WriteLine(got.PaidMsat > 0
            ? $"  -> paid {got.PaidMsat / 1000} sats through the agent's node (payment {got.PaymentHash?[..12]}), verified {got.CompiledId[..12]}, cached"
            : $"  -> paid nothing: {got.Source.ToString().ToLowerInvariant()} ({got.CompiledId[..12]})");
        output.WriteLine($"     spent today on this home: {market.SpentThisPeriodMsat / 1000} of {BudgetMsat / 1000} sats");

        var decisions = new List<(string, string)>();
        foreach (var task in Tasks)
        {
            // No generated class for a manifest bought at run time: its fields by name, typed as it declares them.
            var values = await got.Signature.PredictAsync(chat, new Dictionary<string, object?> { ["task"] = task }, cancellationToken);
            var complexity = (string)values["complexity"];
            decisions.Add((task, complexity));
            output.WriteLine($"  -> \"{task}\" is classified {complexity}");
        }

        return new AgentRunResult(report, got, decisions);
    }
}
