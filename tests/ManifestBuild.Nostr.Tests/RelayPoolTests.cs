using ManifestBuild.Format;
using ManifestBuild.Nostr.Relays;
using ManifestBuild.Nostr.Tests.Fakes;
using ManifestBuild.TestSupport;

namespace ManifestBuild.Nostr.Tests;

public class RelayPoolTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);
    private readonly NostrKeyPair seller = NostrKeyPair.Generate();

    [Fact]
    public async Task MergesRelaysAndKeepsTheNewestAddressableVersion()
    {
        var v1 = seller.Sign(31990, [["d", "dsrs-manifest:a"], ["k", "complexity"]], "v1", 100);
        var v2 = seller.Sign(31990, [["d", "dsrs-manifest:a"], ["k", "complexity"]], "v2", 200);
        var tieA = seller.Sign(31990, [["d", "dsrs-manifest:b"], ["k", "complexity"]], "tie-a", 300);
        var tieB = seller.Sign(31990, [["d", "dsrs-manifest:b"], ["k", "complexity"]], "tie-b", 300);
        var otherSeller = NostrKeyPair.Generate().Sign(31990, [["d", "dsrs-manifest:a"], ["k", "complexity"]], "theirs", 50);
        await using var one = FakeRelays.Honest([v1, tieA]);
        await using var two = FakeRelays.Honest([v2, tieB, otherSeller]);
        await using var pool = new RelayPool([one.Url, two.Url]);
        var result = await pool.QueryAsync(TestEvents.ListingFilter, Deadline);

        var lowestTie = string.CompareOrdinal(tieA.Id, tieB.Id) < 0 ? tieA : tieB;
        Assert.Equal([lowestTie.Id, v2.Id, otherSeller.Id], result.Events.Select(e => e.Id)); // newest first
        Assert.Equal(2, result.Superseded);
        Assert.True(result.Complete);
        Assert.All(result.Relays, r => Assert.NotNull(r.EoseAfter));
    }

    [Fact]
    public async Task LimitKeepsTheNewestPerFilter()
    {
        var events = TestEvents.Listings(seller, 10);
        await using var relay = FakeRelays.Honest(events);
        await using var pool = new RelayPool([relay.Url]);
        var result = await pool.QueryAsync(TestEvents.ListingFilter with { Limit = 3 }, Deadline);
        Assert.Equal(events.OrderByDescending(e => e.CreatedAt).Take(3).Select(e => e.Id), result.Events.Select(e => e.Id));
    }

    [Fact]
    public async Task ReusesTheConnectionAcrossQueries()
    {
        await using var relay = FakeRelays.Honest(TestEvents.Listings(seller, 2));
        await using var pool = new RelayPool([relay.Url, relay.Url + "/"]);
        Assert.Single(pool.Relays);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(2, (await pool.QueryAsync(TestEvents.ListingFilter, Deadline)).Events.Count);
        }

        Assert.Equal(1, relay.ConnectionCount);
    }

    [Fact]
    public async Task ReconnectsAfterARelayBrokeTheConnection()
    {
        var events = TestEvents.Listings(seller, 2);
        await using var relay = FakeRelays.ClosesMidStream(events);
        await using var pool = new RelayPool([relay.Url]);
        for (var i = 1; i <= 2; i++)
        {
            var result = await pool.QueryAsync(TestEvents.ListingFilter, Deadline);
            Assert.Equal(events.Select(e => e.Id).Order(), result.Events.Select(e => e.Id).Order());
            Assert.Equal(RelayErrorKind.ConnectionLost, result.Relays[0].Error);
            Assert.Equal(i, relay.ConnectionCount);
        }
    }

    [Fact]
    public async Task VerifiesManyEventsInParallel()
    {
        var keys = Enumerable.Range(0, 5).Select(_ => NostrKeyPair.Generate()).ToArray();
        var events = Enumerable.Range(0, 2000).Select(i => TestEvents.Listing(keys[i % keys.Length], $"bulk{i}", 1_700_000_000 + i)).ToList();
        var tampered = events.Take(100).Select(TestEvents.WithBadSig).ToList();
        await using var relay = FakeRelays.Honest(events);
        await using var liar = FakeRelays.SendsTexts(sub => tampered.Select(e => NostrJson.Serialize(new RelayEventMessage(sub, e))));
        await using var pool = new RelayPool([relay.Url, liar.Url], new RelayPoolOptions { MaxPendingVerifications = 64 });
        var result = await pool.QueryAsync(TestEvents.ListingFilter, TimeSpan.FromSeconds(60));
        Assert.Equal(2000, result.Events.Count);
        var honest = result.Relays.Single(r => r.Relay.Port == relay.Port);
        var lying = result.Relays.Single(r => r.Relay.Port == liar.Port);
        Assert.Equal(100, lying.Invalid + lying.Duplicates);
        Assert.Equal(2000, honest.Accepted + lying.Accepted);
        Assert.Equal(0, lying.Accepted);
    }

    [Fact]
    public async Task PublishesToEveryRelayWithAResultEach()
    {
        await using var accepting = FakeRelays.Honest([]);
        await using var blocking = FakeRelays.Honest([], e => new RelayOkMessage(e.Id, false, "blocked: not on the list"));
        var refused = $"ws://127.0.0.1:{Loopback.ClosedPort()}";
        await using var pool = new RelayPool([accepting.Url, blocking.Url, refused]);
        var e = TestEvents.Listing(seller, "pub", 1_700_000_000);
        var results = await pool.PublishAsync(e, TimeSpan.FromSeconds(10));
        Assert.Equal(3, results.Count);
        Assert.Equal(PublishStatus.Accepted, results.Single(r => r.Relay.Port == accepting.Port).Status);
        Assert.Equal(PublishStatus.Blocked, results.Single(r => r.Relay.Port == blocking.Port).Status);
        var failed = results.Single(r => r.Relay.Port == new Uri(refused).Port);
        Assert.Equal(PublishStatus.ConnectionFailed, failed.Status);
        Assert.Equal(RelayErrorKind.ConnectionRefused, failed.Error);

        // Publishing the same event again is a duplicate, which counts as success.
        var again = await pool.PublishAsync(e, TimeSpan.FromSeconds(10));
        Assert.True(again.Single(r => r.Relay.Port == accepting.Port).Success);
        Assert.Equal(PublishStatus.Duplicate, again.Single(r => r.Relay.Port == accepting.Port).Status);

        // And what was published can be queried back.
        var found = await pool.QueryAsync(new NostrFilter { Ids = [e.Id] }, Deadline);
        Assert.Equal(e.Id, Assert.Single(found.Events).Id);
    }

    [Fact]
    public async Task RefusesToPublishAnInvalidEvent()
    {
        await using var relay = FakeRelays.Honest([]);
        await using var pool = new RelayPool([relay.Url]);
        var e = TestEvents.WithBadId(TestEvents.Listing(seller, "bad", 1));
        Assert.Equal(NostrErrorCodes.BadEventId, (await Assert.ThrowsAsync<DsrsException>(() => pool.PublishAsync(e))).Code);
        Assert.Equal(0, relay.ConnectionCount);
    }

    [Fact]
    public async Task CancellationThrowsAndStopsEverything()
    {
        await using var mute = FakeRelays.Mute();
        await using var pool = new RelayPool([mute.Url]);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pool.QueryAsync(new NostrFilter(), TimeSpan.FromMinutes(5), cts.Token));
    }
}
