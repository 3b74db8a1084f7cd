using ManifestBuild.Format;
using ManifestBuild.Format.Caching;
using ManifestBuild.Tasks.Resolution;
using ManifestBuild.Tasks.Tests.Support;
using ManifestBuild.TestSupport;

namespace ManifestBuild.Tasks.Tests.InProcess;

/// <summary>
/// A purchase through the real resolver, MarketAdapter and acquirer, against the loopback relay, seller
/// and dev nodes: the delivered text is verified once where it enters and cached once; the resolver,
/// the lock check and the hand-over take the verified manifest as it is.
/// </summary>
public sealed class VerifiedPathTests : IAsyncLifetime
{
    private readonly TempDirectory work = new("dsrs-verified-path");
    private readonly ResolverHarness h = new();
    private MarketWorld world = null!;

    public async Task InitializeAsync() => world = await MarketWorld.StartAsync(work.Combine("world"));

    public async Task DisposeAsync()
    {
        await world.DisposeAsync();
        h.Dispose();
        work.Dispose();
    }

    [Fact]
    public async Task APurchaseIsParsedOnceAndCachedOnceAndARebuildReadsTheCacheOnceAndWritesNothing()
    {
        var (json, id) = TestManifests.Complexity();
        await world.SellAsync((json, id, 30_000));
        var settings = h.Settings(budget: 50_000, relays: world.RelayUrl) with { Environment = name => name == "DSRS_NODE" ? world.BuyerNode : null };

        ResolveOutcome bought;
        using (var parses = ManifestVerifier.CountVerifications())
        using (var writes = ManifestCache.CountWrites())
        {
            bought = await new ManifestResolver(settings, h.Log).ResolveAsync([h.Declare("A", ("Family", "complexity"))], CancellationToken.None);

            Assert.Empty(bought.Failures);
            Assert.Equal(1, world.Payments);
            Assert.Equal(1, parses.Count);
            Assert.Equal(1, writes.Count);
        }

        Assert.Equal(json, File.ReadAllText(Assert.Single(bought.Resolved).FilePath));
        Assert.Equal(json, File.ReadAllText(Path.Combine(h.Home, "cache", id + ".json")));

        using (var parses = ManifestVerifier.CountVerifications())
        using (var writes = ManifestCache.CountWrites())
        {
            var rebuilt = await new ManifestResolver(settings, h.Log).ResolveAsync([h.Declare("A", ("Family", "complexity"))], CancellationToken.None);

            Assert.Empty(rebuilt.Failures);
            Assert.Equal(1, parses.Count); // the cache file is bytes from disk: checked as it is read
            Assert.Equal(0, writes.Count);
        }

        Assert.Equal(1, world.Payments);
    }
}
