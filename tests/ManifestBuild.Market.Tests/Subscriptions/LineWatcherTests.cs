using ManifestBuild.Format;
using ManifestBuild.Market.Listings;
using ManifestBuild.Market.Subscriptions;
using ManifestBuild.Nostr;
using ManifestBuild.Relay;

namespace ManifestBuild.Market.Tests.Subscriptions;

/// <summary>The live watch of a product line against the embedded relay over loopback.</summary>
public sealed class LineWatcherTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(15);
    private readonly NostrKeyPair seller = NostrKeyPair.Generate();
    private long createdAt = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    private NostrEvent Version(string instruction, string? line, NostrKeyPair? by = null) =>
        ListingBuilder.BuildSigned(MarketSamples.Manifest(instruction), new ListingOptions { Line = line, CreatedAt = ++createdAt }, by ?? seller);

    [Fact]
    public async Task Stored_versions_then_live_ones_arrive_verified_once_each_and_only_of_the_line()
    {
        await using var relay = await EmbeddedRelay.StartAsync(new EmbeddedRelayOptions());
        var v1 = Version("v1", "rust-systems");
        Assert.True(relay.Publish(v1).Accepted);
        Assert.True(relay.Publish(Version("another line", "go-services")).Accepted);
        Assert.True(relay.Publish(Version("no line", null)).Accepted);

        // The same relay twice: an event two relays deliver is yielded once.
        await using var watcher = await LineWatcher.StartAsync([relay.Url, relay.Url], seller.PublicKeyHex, "rust-systems");
        await watcher.CaughtUp.WaitAsync(Bound);
        using var timeout = new CancellationTokenSource(Bound);
        var first = await watcher.Versions.ReadAsync(timeout.Token);
        Assert.Equal(v1.Id, first.Event.Id);
        Assert.Equal("rust-systems", first.Line);

        // After EOSE: another seller's version of a line of the same name, another line, then v2.
        Assert.True(relay.Publish(Version("impostor", "rust-systems", NostrKeyPair.Generate())).Accepted);
        Assert.True(relay.Publish(Version("still another line", "go-services")).Accepted);
        var v2 = Version("v2", "rust-systems");
        Assert.True(relay.Publish(v2).Accepted);
        var second = await watcher.Versions.ReadAsync(timeout.Token);
        Assert.Equal(v2.Id, second.Event.Id);
        Assert.Equal(MarketSamples.Id(MarketSamples.Manifest("v2")), second.CompiledId);
        Assert.Empty(watcher.Problems);
        Assert.False(watcher.Versions.TryRead(out _));
    }

    [Fact]
    public async Task A_dead_relay_is_a_problem_not_a_failure_and_bad_input_is_refused()
    {
        await using var relay = await EmbeddedRelay.StartAsync(new EmbeddedRelayOptions());
        var dead = new Uri("ws://127.0.0.1:" + ManifestBuild.TestSupport.Loopback.ClosedPort());
        await using var watcher = await LineWatcher.StartAsync([dead, relay.Url], seller.PublicKeyHex, "rust-systems");
        await watcher.CaughtUp.WaitAsync(Bound);
        Assert.Equal(dead, Assert.Single(watcher.Problems).Relay);
        var v1 = Version("v1", "rust-systems");
        Assert.True(relay.Publish(v1).Accepted);
        using var timeout = new CancellationTokenSource(Bound);
        Assert.Equal(v1.Id, (await watcher.Versions.ReadAsync(timeout.Token)).Event.Id);

        Assert.Equal(MarketErrorCodes.LineWatchInvalid, (await Assert.ThrowsAsync<DsrsException>(() => LineWatcher.StartAsync([relay.Url], seller.PublicKeyHex, "has space"))).Code);
        Assert.Equal(MarketErrorCodes.LineWatchInvalid, (await Assert.ThrowsAsync<DsrsException>(() => LineWatcher.StartAsync([], seller.PublicKeyHex, "x"))).Code);
        Assert.Equal(MarketErrorCodes.ListingBuildFailed, Assert.Throws<DsrsException>(() => Version("x", "bad line")).Code);
    }
}
