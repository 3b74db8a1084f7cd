using System.Globalization;
using ManifestBuild.Lightning.Payments;
using ManifestBuild.Tasks.Resolution;

// Usage: ResolveHost HOME PROJECT RELAY NODE BUDGET_MSAT STOP_AT NAME=FAMILY... [bundle:NAME=BUNDLE_NAME...]
// Resolves one paid item per NAME=FAMILY (MaxPriceMsat = BUDGET_MSAT), and one DsrsBundle per
// bundle:NAME=BUNDLE_NAME, with DSRS_NODE=NODE. Every purchase
// announces "STEP <step> <compiled_id>" at each durable step of the payment guard; at STOP_AT ("none" for
// never) it stays there until the process is killed, so that several purchases wait there at once.
if (args.Length < 7)
{
    Console.Error.WriteLine("usage: ResolveHost HOME PROJECT RELAY NODE BUDGET_MSAT STOP_AT NAME=FAMILY...");
    return 2;
}

var (home, project, relay, node, stopAt) = (args[0], args[1], args[2], args[3], args[5]);
var budget = long.Parse(args[4], CultureInfo.InvariantCulture);
var settings = new ResolveSettings
{
    Relays = ResolveSettings.ParseRelays(relay),
    BudgetMsat = budget,
    MaxFeeMsat = 1000,
    LockFilePath = Path.Combine(project, "dsrs.lock.json"),
    IntermediateDirectory = Path.Combine(project, "obj", "dsrs"),
    Home = home,
    Timeout = TimeSpan.FromMinutes(2),
    Environment = name => name switch { "DSRS_HOME" => home, "DSRS_NODE" => node, _ => null },
};
var guard = new PaymentGuardOptions
{
    PendingWait = TimeSpan.FromSeconds(5),
    PendingPollInterval = TimeSpan.FromMilliseconds(50),
    OnStep = async (step, cancellationToken) =>
    {
        Console.Out.WriteLine($"STEP {step}");
        Console.Out.Flush();
        if (step.ToString() == stopAt)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken); // until SIGKILL
        }
    },
};
const string BundlePrefix = "bundle:";
var items = args[6..].Where(a => !a.StartsWith(BundlePrefix, StringComparison.Ordinal)).Select(a => a.Split('=', 2)).Select(p => new DeclaredManifest { Name = p[0], Family = p[1], MaxPriceMsat = budget }).ToArray();
var bundles = args[6..].Where(a => a.StartsWith(BundlePrefix, StringComparison.Ordinal)).Select(a => a[BundlePrefix.Length..].Split('=', 2)).Select(p => new DeclaredBundle { Name = p[0], BundleName = p[1], MaxPriceMsat = budget }).ToArray();
var log = new StdoutLog();
var outcome = await new ManifestResolver(settings, log, s => new MarketAdapter(s, guard)).ResolveAsync(items, bundles, CancellationToken.None);
foreach (var failure in outcome.Failures)
{
    Console.Out.WriteLine($"FAILED {failure.Code} {failure.Message}");
}

Console.Out.WriteLine($"DONE resolved={outcome.Resolved.Count} failed={outcome.Failures.Count}");
return outcome.Failures.Count == 0 ? 0 : 1;

/// <summary>The resolver's lines on stdout, each with its kind.</summary>
internal sealed class StdoutLog : IResolveLog
{
    public void Summary(DeclaredManifest item, string line, bool important) => Console.Out.WriteLine("SUMMARY " + line);

    public void Payment(DeclaredManifest item, string line) => Console.Out.WriteLine("PAYMENT " + line);

    public void Total(string line, bool paid) => Console.Out.WriteLine("TOTAL " + line);

    public void Detail(string text)
    {
    }

    public void Warning(DeclaredManifest? item, string code, string message) => Console.Out.WriteLine($"WARNING {code} {message}");
}
