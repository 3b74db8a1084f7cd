using ManifestBuild.Agent.Market;
using ManifestBuild.Agent.Tests.Support;
using ManifestBuild.Market.Buying;
using ManifestBuild.Tasks;
using ManifestBuild.Tasks.Resolution;

namespace ManifestBuild.Agent.Tests.Market;

/// <summary>
/// A build (the Tasks resolver, in-process, on the same $DSRS_HOME and node) and an agent never pay
/// twice for one manifest, whichever buys first.
/// </summary>
public sealed class BuildAndAgentShareTheHomeTests
{
    private const long Price = 100_000;

    [Fact]
    public async Task A_manifest_the_agent_bought_is_not_bought_again_by_a_build()
    {
        await using var world = await AgentWorld.StartAsync();
        var (json, id) = AgentWorld.Manifest("Classify.", "scientific");
        await world.Market.SellAsync((json, id, Price));
        await using (var market = world.Open())
        {
            Assert.Equal(Price, (await market.AcquireAsync(new AgentQuery { Family = "complexity", Domains = ["scientific"] })).PaidMsat);
        }

        var (outcome, resolver) = await BuildAsync(world);

        Assert.Empty(outcome.Failures);
        Assert.Equal(id, Assert.Single(outcome.Resolved).CompiledId);
        Assert.Equal(0, resolver.Budget.SpentMsat);
        Assert.Equal(1, world.Market.Payments);
        Assert.Single(world.Ledger.List());
    }

    [Fact]
    public async Task A_manifest_a_build_bought_is_not_bought_again_by_the_agent()
    {
        await using var world = await AgentWorld.StartAsync();
        var (json, id) = AgentWorld.Manifest("Classify.", "scientific");
        await world.Market.SellAsync((json, id, Price));
        var (outcome, resolver) = await BuildAsync(world);
        Assert.Empty(outcome.Failures);
        Assert.Equal(Price, resolver.Budget.SpentMsat);
        Assert.Equal(1, world.Market.Payments);

        await using var market = world.Open();
        var got = await market.AcquireAsync(new AgentQuery { Family = "complexity", Domains = ["scientific"] });

        Assert.Equal(id, got.CompiledId);
        Assert.Equal(0, got.PaidMsat);
        Assert.Equal(AcquireSource.Cache, got.Source);
        Assert.Equal(1, world.Market.Payments);
        Assert.Single(world.Ledger.List());
    }

    private static async Task<(ResolveOutcome Outcome, ManifestResolver Resolver)> BuildAsync(AgentWorld world)
    {
        var project = Path.Combine(world.Root, "project");
        Directory.CreateDirectory(project);
        var settings = new ResolveSettings
        {
            Relays = [world.Market.Relay.Url],
            BudgetMsat = 200_000,
            MaxFeeMsat = 1000,
            LockFilePath = Path.Combine(project, "dsrs.lock.json"),
            IntermediateDirectory = Path.Combine(project, "obj", "dsrs"),
            Home = world.Home,
            Environment = world.Env,
        };
        var metadata = new Dictionary<string, string> { ["Family"] = "complexity", ["Domains"] = "scientific", ["MaxPriceMsat"] = "150000" };
        var item = DeclaredManifest.Parse("Complexity", key => metadata.GetValueOrDefault(key, string.Empty), project, ItemLocation.None);
        var resolver = new ManifestResolver(settings, new SilentLog());
        return (await resolver.ResolveAsync([item], CancellationToken.None), resolver);
    }

    private sealed class SilentLog : IResolveLog
    {
        public void Summary(DeclaredManifest item, string line, bool important)
        {
        }

        public void Payment(DeclaredManifest item, string line)
        {
        }

        public void Total(string line, bool paid)
        {
        }

        public void Detail(string text)
        {
        }

        public void Warning(DeclaredManifest? item, string code, string message)
        {
        }
    }
}
