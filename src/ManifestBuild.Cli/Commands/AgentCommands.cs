using System.CommandLine;
using System.Globalization;
using System.Text;
using ManifestBuild.Agent.Domains;
using ManifestBuild.Agent.Suggestions;
using ManifestBuild.Format.Json;
using ManifestBuild.Market;
using ManifestBuild.Market.Listings;

namespace ManifestBuild.Cli;

internal static class AgentCommands
{
    private const int SuggestDomainsQueried = 5;

    /// <summary>dsrs suggest: what a repository is, and which manifests the market lists for it.</summary>
    public static void AddTo(RootCommand root, CliContext context)
    {
        var dir = new Argument<DirectoryInfo>("dir") { Description = "The repository to scan (default: the working directory).", DefaultValueFactory = _ => new DirectoryInfo(".") };
        var relays = MarketCommands.MarketRelayOption();
        var write = new Option<FileInfo>("--write") { Description = "Add the suggested <DsrsManifest> items to this project file (idempotent, keeps its formatting)." };
        var offline = new Option<bool>("--domains-only") { Description = "Only detect the domains; ask no relay." };
        var json = CliOptions.Json("Machine-readable output.");
        var command = new Command("suggest", "Detect a repository's domains and suggest the <DsrsManifest> items the market lists for them.");
        command.Arguments.Add(dir);
        foreach (var option in new Option[] { relays, write, offline, json })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (ParseResult r, CancellationToken ct) =>
        {
            var report = DomainDetector.Detect(r.GetValue(dir)!.FullName, cancellationToken: ct);
            IReadOnlyList<SuggestedItem> items = [];
            if (!r.GetValue(offline) && report.Domains.Count > 0)
            {
                var client = new MarketClient();
                var urls = MarketCommands.MarketRelays(r, relays, context);
                await using var pool = client.CreatePool(urls);
                var searches = report.Tags.Take(SuggestDomainsQueried)
                    .Select(tag => client.SearchAsync(new ListingQuery { Domains = [tag] }, pool, TimeSpan.FromSeconds(10), ct, includeReputation: false));
                var listings = (await Task.WhenAll(searches)).SelectMany(s => s.Listings).DistinctBy(l => l.Event.Id).ToList();
                items = ManifestSuggester.Suggest(report, listings);
            }

            var added = r.GetValue(write) is { } project ? ProjectFileEditor.AddItems(project.FullName, items) : null;
            await context.Out.WriteAsync(r.GetValue(json) ? SuggestJson(report, items, added) : SuggestText(report, items, added, r.GetValue(write)?.Name));
            return 0;
        });
        root.Subcommands.Add(command);
    }

    private static string SuggestText(DomainReport report, IReadOnlyList<SuggestedItem> items, IReadOnlyList<SuggestedItem>? added, string? project)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"domains: {(report.Domains.Count == 0 ? "(none detected)" : string.Join(", ", report.Tags))}{(report.TruncatedBy is { } why ? $" (scan stopped: {why})" : "")}");
        foreach (var domain in report.Domains)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {domain.Tag,-18} {domain.Score,5}  {string.Join("; ", domain.Evidence.Take(4))}");
        }

        if (items.Count > 0)
        {
            text.AppendLine("suggested items:");
            foreach (var item in items)
            {
                text.AppendLine("  " + item.ToXml());
                text.AppendLine("    <!-- " + UntrustedComment(item.Reason) + " -->");
            }
        }

        if (added is not null)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"added {added.Count} item(s) to {project}{(added.Count < items.Count ? $" ({items.Count - added.Count} already declared)" : "")}");
        }

        return text.ToString();
    }

    private static string SuggestJson(DomainReport report, IReadOnlyList<SuggestedItem> items, IReadOnlyList<SuggestedItem>? added)
    {
        var domains = new JsonArray();
        foreach (var d in report.Domains)
        {
            domains.Add(new JsonObject().Add("tag", d.Tag).Add("score", (long)d.Score).Add("evidence", JsonArray.OfStrings(d.Evidence)));
        }

        var suggested = new JsonArray();
        foreach (var i in items)
        {
            var item = new JsonObject().Add("name", i.Name).Add("family", i.Family).Add("domains", JsonArray.OfStrings(i.Domains)).Add("max_price_msat", i.MaxPriceMsat);
            if (i.MinAccuracy is { } accuracy)
            {
                item.Add("min_accuracy", accuracy);
            }

            suggested.Add(item.Add("reason", i.Reason).Add("xml", i.ToXml()));
        }

        var json = new JsonObject().Add("domains", domains).Add("entries_scanned", (long)report.EntriesScanned);
        if (report.TruncatedBy is { } why)
        {
            json.Add("truncated_by", why);
        }

        json.Add("suggestions", suggested);
        if (added is not null)
        {
            json.Add("added", JsonArray.OfStrings(added.Select(a => a.Name)));
        }

        return JsonWriter.WriteFile(json);
    }

    // A listing's text inside an XML comment: neutralised like all network text, and no "--".
    private static string UntrustedComment(string text) =>
        ManifestBuild.Format.UntrustedText.Neutralise(text).Replace("--", "- -", StringComparison.Ordinal);
}
