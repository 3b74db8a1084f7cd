using ManifestBuild.Agent.Market;
using ManifestBuild.Format;
using ManifestBuild.Format.Json;
using ManifestBuild.Lightning.Payments;
using ManifestBuild.Tasks.Tests.Support;
using ManifestBuild.TestSupport;

namespace ManifestBuild.Agent.Tests.Support;

/// <summary>
/// An agent's home beside a market world on loopback (embedded relay, the real seller, dev nodes):
/// DSRS_HOME and DSRS_NODE (the buyer's dev node) as an agent process would have them.
/// </summary>
public sealed class AgentWorld : IAsyncDisposable
{
    private readonly TempDirectory root = new("dsrs-agent");

    private AgentWorld(MarketWorld market) => Market = market;

    public MarketWorld Market { get; }

    public string Home => root.Combine("agent-home");

    public string Root => root.Path;

    public Dictionary<string, string> Environment { get; } = new(StringComparer.Ordinal);

    public CapturingLoggerFactory Logs { get; } = new();

    public PurchaseLedger Ledger => PurchaseLedger.ForHome(Home);

    public static async Task<AgentWorld> StartAsync()
    {
        var root = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "dsrs-agent-market-" + Guid.NewGuid().ToString("N")[..12]);
        var world = new AgentWorld(await MarketWorld.StartAsync(root));
        world.Environment["DSRS_HOME"] = world.Home;
        world.Environment["DSRS_NODE"] = world.Market.BuyerNode;
        return world;
    }

    public string? Env(string name) => Environment.TryGetValue(name, out var value) ? value : null;

    /// <summary>An agent market on this world's relay and home; <paramref name="tweak"/> changes the options.</summary>
    public AgentMarket Open(Func<AgentMarketOptions, AgentMarketOptions>? tweak = null)
    {
        var options = new AgentMarketOptions
        {
            Relays = [Market.Relay.Url],
            Environment = Env,
            Budget = new PeriodBudget(1_000_000, TimeSpan.FromDays(1)),
            LoggerFactory = Logs,
            SearchDeadline = TimeSpan.FromSeconds(5),
        };
        return AgentMarket.Open(tweak is null ? options : tweak(options));
    }

    /// <summary>A complexity manifest (the sample's) tagged with these domains, with its compiled_id sealed.</summary>
    public static (string Json, string CompiledId) Manifest(string instruction, params string[] domains) => Manifest(instruction, 0.93, domains);

    /// <summary>
    /// The same with a stated accuracy. Its signature name is made from the domains: a buyer keeps one
    /// listing per seller and signature, and the world has one seller.
    /// </summary>
    public static (string Json, string CompiledId) Manifest(string instruction, double accuracy, params string[] domains)
    {
        var manifest = Format.Manifest.Load(System.IO.Path.Combine(RepoPaths.Root, "samples", "DicomAgent", "market", "complexity-scientific.json"));
        manifest.Json.Set("instruction", new JsonString(instruction));
        manifest.Json.Set("signature_name", new JsonString(string.Concat(domains.Select(d => char.ToUpperInvariant(d[0]) + d[1..])) + "ComplexitySignature"));
        ((JsonObject)manifest.Json["scorecard"]!).Set("accuracy", new JsonNumber(accuracy));
        var tags = new JsonArray();
        foreach (var domain in domains)
        {
            tags.Add(domain);
        }

        manifest.Json.Set("domain_tags", tags);
        var id = manifest.SealCompiledId();
        return (manifest.ToFileText(), id);
    }

    public async ValueTask DisposeAsync()
    {
        await Market.DisposeAsync();
        root.Dispose();
    }
}
