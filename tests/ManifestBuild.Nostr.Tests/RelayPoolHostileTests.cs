using System.Diagnostics;
using ManifestBuild.Nostr.Relays;
using ManifestBuild.Nostr.Tests.Fakes;
using ManifestBuild.TestSupport;

namespace ManifestBuild.Nostr.Tests;

/// <summary>
/// Each test pairs an honest relay with one that misbehaves in one way: the pool must still return
/// exactly the honest relay's verified events within its deadline, and say per relay what went wrong.
/// </summary>
public abstract class HostileRelayTestBase
{
    protected static readonly TimeSpan Deadline = TimeSpan.FromSeconds(6);
    protected static readonly TimeSpan Slack = TimeSpan.FromSeconds(3);

    protected static readonly RelayPoolOptions Options = new()
    {
        Client = new RelayClientOptions { ConnectTimeout = TimeSpan.FromSeconds(20), MaxMessageBytes = 64 * 1024 },
        MaxEventsPerRelay = 300,
    };

    protected readonly NostrKeyPair seller = NostrKeyPair.Generate();

    protected async Task<(RelayQueryResult Result, List<NostrEvent> Honest)> QueryWithAsync(string hostileUrl, List<NostrEvent>? honestEvents = null)
    {
        var honest = honestEvents ?? TestEvents.Listings(seller, 5);
        await using var honestRelay = FakeRelays.Honest(honest);
        await using var pool = new RelayPool([honestRelay.Url, hostileUrl], Options);
        var clock = Stopwatch.StartNew();
        var result = await pool.QueryAsync(TestEvents.ListingFilter, Deadline);
        Assert.True(clock.Elapsed < Deadline + Slack, $"the query took {clock.Elapsed}");
        var honestReport = result.Relays.Single(r => r.Relay.Port == honestRelay.Port);
        Assert.True(honestReport.Succeeded, honestReport.ToString());
        return (result, honest);
    }

    protected static void AssertExactly(IEnumerable<NostrEvent> expected, RelayQueryResult result) =>
        Assert.True(
            expected.Select(e => e.Id).Order().SequenceEqual(result.Events.Select(e => e.Id).Order()),
            $"expected {expected.Count()} events, got {result.Events.Count}; reports:\n" + string.Join("\n", result.Relays));

    protected static RelayQueryReport Hostile(RelayQueryResult result, int port) => result.Relays.Single(r => r.Relay.Port == port);
}

/// <summary>Relays that fail fast or send bad data.</summary>
public class RelayPoolHostileTests : HostileRelayTestBase
{
    [Fact]
    public async Task ConnectionRefused()
    {
        var port = Loopback.ClosedPort();
        var (result, honest) = await QueryWithAsync($"ws://127.0.0.1:{port}");
        AssertExactly(honest, result);
        var report = Hostile(result, port);
        Assert.Equal(RelayErrorKind.ConnectionRefused, report.Error);
        Assert.False(result.Complete);
    }

    [Fact]
    public async Task DnsFailure()
    {
        var (result, honest) = await QueryWithAsync("ws://manifestbuild-test.invalid");
        AssertExactly(honest, result);
        var report = result.Relays.Single(r => r.Relay.Host == "manifestbuild-test.invalid");
        Assert.Equal(RelayErrorKind.DnsFailure, report.Error);
    }

    [Fact]
    public async Task TlsFailure()
    {
        await using var plain = FakeRelays.PlainTextForTls();
        var (result, honest) = await QueryWithAsync($"wss://127.0.0.1:{plain.Port}");
        AssertExactly(honest, result);
        Assert.Equal(RelayErrorKind.TlsFailure, Hostile(result, plain.Port).Error);
    }

    [Fact]
    public async Task ClosesMidStream()
    {
        var other = NostrKeyPair.Generate();
        var sentBeforeClosing = TestEvents.Listings(other, 2, prefix: "mid");
        await using var closing = FakeRelays.ClosesMidStream(sentBeforeClosing);
        var (result, honest) = await QueryWithAsync(closing.Url);

        // What it sent before breaking is valid and verified, so it counts.
        AssertExactly(honest.Concat(sentBeforeClosing), result);
        var report = Hostile(result, closing.Port);
        Assert.Equal(RelayErrorKind.ConnectionLost, report.Error);
        Assert.False(report.ReceivedEose);
        Assert.Equal(2, report.Accepted);
    }

    [Fact]
    public async Task FrameOverTheSizeLimit()
    {
        await using var oversized = FakeRelays.OversizedFrame(50L * 1024 * 1024);
        var (result, honest) = await QueryWithAsync(oversized.Url);
        AssertExactly(honest, result);
        var report = Hostile(result, oversized.Port);
        Assert.Equal(RelayErrorKind.MessageTooLarge, report.Error);
        Assert.Contains("65536", report.ErrorMessage);
    }

    [Fact]
    public async Task NonJson()
    {
        await using var garbage = FakeRelays.SendsTexts(_ => ["hello", "{not json", "\u0000\u0001", "[\"EVENT\",", "]"]);
        var (result, honest) = await QueryWithAsync(garbage.Url);
        AssertExactly(honest, result);
        var report = Hostile(result, garbage.Port);
        Assert.Equal(RelayErrorKind.ProtocolError, report.Error);
        Assert.Equal(5, report.ProtocolErrors);
        Assert.True(report.ReceivedEose);
    }

    [Fact]
    public async Task JsonOfTheWrongShape()
    {
        var valid = TestEvents.Listing(NostrKeyPair.Generate(), "shape", 1_700_000_100);
        var eventJson = valid.ToJson();
        await using var wrong = FakeRelays.SendsTexts(sub =>
        [
            "{\"EVENT\":1}",
            "[]",
            "[\"EVENT\"]",
            $"[\"EVENT\",\"{sub}\",{{\"id\":5}}]",
            $"[\"EVENT\",\"{sub}\",{eventJson.Replace("\"kind\":31990", "\"kind\":\"31990\"")}]",
            $"[\"EVENT\",\"{sub}\",{eventJson.Replace("\"created_at\":", "\"created_at\":-")}]",
            $"[\"EVENT\",\"{sub}\",{eventJson},\"extra\"]",
            $"[\"EVENT\",\"{sub}\",{eventJson.Replace("[\"k\",\"complexity\"]", "[\"k\",7]")}]",
            "[\"EOSE\",42]",
            "[\"OK\",\"abc\",true,\"\"]",
            "[\"WHATEVER\",\"x\"]",
            "[\"NOTICE\"]",
        ]);
        var (result, honest) = await QueryWithAsync(wrong.Url);
        AssertExactly(honest, result);
        var report = Hostile(result, wrong.Port);
        Assert.Equal(RelayErrorKind.ProtocolError, report.Error);
        Assert.Equal(12, report.ProtocolErrors);
        Assert.Equal(0, report.EventsReceived);
    }

    [Fact]
    public async Task EventFlood()
    {
        var flooder = NostrKeyPair.Generate();
        var floodEvents = TestEvents.Listings(flooder, 10, prefix: "flood");
        await using var flood = FakeRelays.Flood(floodEvents, 1_000_000);
        var (result, honest) = await QueryWithAsync(flood.Url);

        // The flood's distinct events are valid, so they may be returned; nothing else is.
        Assert.Subset(honest.Concat(floodEvents).Select(e => e.Id).ToHashSet(), result.Events.Select(e => e.Id).ToHashSet());
        Assert.Superset(honest.Select(e => e.Id).ToHashSet(), result.Events.Select(e => e.Id).ToHashSet());
        var report = Hostile(result, flood.Port);
        Assert.Equal(RelayErrorKind.Flood, report.Error);
        Assert.Equal(Options.MaxEventsPerRelay + 1, report.EventsReceived);
        Assert.True(report.Duplicates >= Options.MaxEventsPerRelay - floodEvents.Count - report.Unverified);
    }

    [Fact]
    public async Task BadIdsAndBadSignaturesAreDroppedAndCounted()
    {
        var honest = TestEvents.Listings(seller, 4);
        var forger = NostrKeyPair.Generate();
        var forged = new List<NostrEvent>
        {
            // Copies of the honest events' ids with altered content or signature, sent first:
            // they must not make the genuine events look like duplicates.
            TestEvents.WithBadId(honest[0]),
            TestEvents.WithBadSig(honest[1]),
            TestEvents.WithBadId(TestEvents.Listing(forger, "f1", 1_700_000_500)),
            TestEvents.WithBadSig(TestEvents.Listing(forger, "f2", 1_700_000_501)),
            TestEvents.Listing(forger, "f3", 1_700_000_502) with { PubKey = forger.PublicKeyHex == new string('1', 64) ? new string('2', 64) : new string('1', 64) },
        };
        await using var forging = FakeRelays.SendsTexts(sub => forged.Select(e => NostrJson.Serialize(new RelayEventMessage(sub, e))));
        var (result, _) = await QueryWithAsync(forging.Url, honest);
        AssertExactly(honest, result);
        var report = Hostile(result, forging.Port);
        Assert.Equal(5, report.EventsReceived);
        Assert.Equal(5, report.Invalid);
        Assert.Equal(0, report.Accepted);
        Assert.True(report.Succeeded, report.ToString());
        Assert.All(result.Events, e => Assert.True(NostrEventVerifier.IsValid(e)));
    }

    [Fact]
    public async Task ForgeriesHiddenInLargeAnswersAreDroppedAndTheRestKept()
    {
        // Large enough for batch verification: the forged signatures sit inside full batches,
        // whose failure must not cost the genuine events around them.
        var forger = NostrKeyPair.Generate();
        var genuine = TestEvents.Listings(forger, 250, prefix: "g");
        var sent = genuine.Select((e, i) => i % 60 == 7 ? TestEvents.WithBadSig(e) : e).ToList();
        var forgedIds = sent.Where(e => !NostrEventVerifier.IsValid(e)).Select(e => e.Id).ToHashSet();
        Assert.Equal(5, forgedIds.Count);
        await using var mixing = FakeRelays.SendsTexts(sub => sent.Select(e => NostrJson.Serialize(new RelayEventMessage(sub, e))));
        var (result, honest) = await QueryWithAsync(mixing.Url);

        AssertExactly(honest.Concat(genuine.Where(e => !forgedIds.Contains(e.Id))), result);
        var report = Hostile(result, mixing.Port);
        Assert.Equal(250, report.EventsReceived);
        Assert.Equal(5, report.Invalid);
        Assert.Equal(245, report.Accepted);
    }

    [Fact]
    public async Task DuplicatesAreReturnedOnce()
    {
        var honest = TestEvents.Listings(seller, 4);
        await using var echo = FakeRelays.SendsTexts(sub => honest.Concat(honest).Concat(honest).Select(e => NostrJson.Serialize(new RelayEventMessage(sub, e))));
        var (result, _) = await QueryWithAsync(echo.Url, honest);
        AssertExactly(honest, result);
        Assert.Equal(result.Events.Count, result.Events.Select(e => e.Id).Distinct().Count());
        var all = result.Relays.Sum(r => r.Duplicates);
        Assert.Equal(4 * 4 - 4, all); // 16 copies received in all, 4 kept
        Assert.Equal(4, result.Relays.Sum(r => r.Accepted));
    }

    [Fact]
    public async Task TheFilterIsReappliedOnTheClient()
    {
        var honest = TestEvents.Listings(seller, 2);
        var other = NostrKeyPair.Generate();
        var wrongFamily = TestEvents.Listing(other, "p1", 1_700_000_300, family: "planning");
        var wrongKind = other.Sign(NostrKinds.TextNote, [["k", "complexity"]], "note", 1_700_000_301);
        await using var sloppy = FakeRelays.SendsTexts(sub => new[] { wrongFamily, wrongKind }.Select(e => NostrJson.Serialize(new RelayEventMessage(sub, e))));
        var (result, _) = await QueryWithAsync(sloppy.Url, honest);
        AssertExactly(honest, result);
        Assert.Equal(2, Hostile(result, sloppy.Port).FilteredOut);
    }
}

/// <summary>Relays that hold the query until its deadline (a separate class so xUnit runs them in parallel with the rest).</summary>
public class RelayPoolStallingRelayTests : HostileRelayTestBase
{
    [Fact]
    public async Task NeverAnswersTheHandshake()
    {
        // Once the honest relay has answered, a relay that has not even completed its handshake gets
        // only the straggler grace: the query must not wait for the deadline, let alone ConnectTimeout.
        await using var silent = FakeRelays.Silent();
        var clock = Stopwatch.StartNew();
        var (result, honest) = await QueryWithAsync(silent.Url);
        Assert.True(clock.Elapsed < Deadline / 2, $"waited {clock.Elapsed} for a relay that never connected");
        AssertExactly(honest, result);
        var report = Hostile(result, silent.Port);
        Assert.Equal(RelayErrorKind.ConnectTimeout, report.Error);
        Assert.Contains("not connected", report.ErrorMessage);
    }

    [Fact]
    public async Task NeverAnswersTheHandshakeWithTheRuleOff()
    {
        await using var silent = FakeRelays.Silent();
        var honestEvents = TestEvents.Listings(seller, 3);
        await using var honestRelay = FakeRelays.Honest(honestEvents);
        await using var pool = new RelayPool([honestRelay.Url, silent.Url], Options with { StragglerGrace = TimeSpan.Zero });
        var result = await pool.QueryAsync(TestEvents.ListingFilter, TimeSpan.FromSeconds(2));
        AssertExactly(honestEvents, result);
        var report = Hostile(result, silent.Port);
        Assert.Equal(RelayErrorKind.Timeout, report.Error);
        Assert.Contains("not connected before the deadline", report.ErrorMessage);
    }

    [Fact]
    public async Task ASlowButConnectedRelayIsWaitedForBeyondTheGrace()
    {
        // The slow relay is connected (alive), so the straggler rule does not apply to it: its events
        // arrive well after the honest relay's EOSE and the grace, and are still returned.
        var fast = TestEvents.Listings(seller, 2);
        var late = TestEvents.Listings(NostrKeyPair.Generate(), 2);
        var answer = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var slow = FakeRelays.OnReq(async (c, sub, token) =>
        {
            await answer.Task.WaitAsync(token);
            foreach (var e in late)
            {
                await c.SendTextAsync(NostrJson.Serialize(new RelayEventMessage(sub, e)), token);
            }

            await c.SendTextAsync(NostrJson.Serialize(new RelayEoseMessage(sub)), token);
        });
        await using var honestRelay = FakeRelays.Honest(fast);
        await using var pool = new RelayPool([honestRelay.Url, slow.Url], Options);
        var query = pool.QueryAsync(TestEvents.ListingFilter, Deadline);
        // Release the slow relay only after several straggler graces have passed.
        await Task.WhenAny(query, Task.Delay(Options.StragglerGrace * 5));
        Assert.False(query.IsCompleted, "the query returned without the connected slow relay");
        answer.SetResult();
        var result = await query;
        AssertExactly(fast.Concat(late), result);
        Assert.True(Hostile(result, slow.Port).Succeeded);
    }

    [Fact]
    public async Task NeverAnswersTheRequest()
    {
        await using var mute = FakeRelays.Mute();
        var (result, honest) = await QueryWithAsync(mute.Url);
        AssertExactly(honest, result);
        var report = Hostile(result, mute.Port);
        Assert.Equal(RelayErrorKind.Timeout, report.Error);
        Assert.False(report.ReceivedEose);
    }

    [Fact]
    public async Task AnswersByteByByte()
    {
        var other = NostrKeyPair.Generate();
        await using var slow = FakeRelays.Slowloris(TestEvents.Listings(other, 3), TimeSpan.FromMilliseconds(20));
        var (result, honest) = await QueryWithAsync(slow.Url);
        AssertExactly(honest, result);
        var report = Hostile(result, slow.Port);
        Assert.Equal(RelayErrorKind.Timeout, report.Error);
    }
}

/// <summary>Every misbehaving relay in one pool.</summary>
public class RelayPoolAllHostileTests : HostileRelayTestBase
{
    [Fact]
    public async Task EveryMisbehaviourAtOnce()
    {
        var other = NostrKeyPair.Generate();
        var honest = TestEvents.Listings(seller, 6);
        await using var honestRelay = FakeRelays.Honest(honest);
        await using var silent = FakeRelays.Silent();
        await using var mute = FakeRelays.Mute();
        await using var slow = FakeRelays.Slowloris(TestEvents.Listings(other, 2), TimeSpan.FromMilliseconds(20));
        await using var oversized = FakeRelays.OversizedFrame(10L * 1024 * 1024);
        await using var garbage = FakeRelays.SendsTexts(_ => ["nope"]);
        await using var flood = FakeRelays.Flood(TestEvents.Listings(other, 3, prefix: "fl"), 1_000_000);
        await using var plain = FakeRelays.PlainTextForTls();
        var relays = new[]
        {
            honestRelay.Url, silent.Url, mute.Url, slow.Url, oversized.Url, garbage.Url, flood.Url,
            $"wss://127.0.0.1:{plain.Port}", $"ws://127.0.0.1:{Loopback.ClosedPort()}", "ws://nowhere.invalid",
        };
        await using var pool = new RelayPool(relays, Options);
        var clock = Stopwatch.StartNew();
        var result = await pool.QueryAsync(TestEvents.ListingFilter, Deadline);
        Assert.True(clock.Elapsed < Deadline + Slack, $"the query took {clock.Elapsed}");
        Assert.Superset(honest.Select(e => e.Id).ToHashSet(), result.Events.Select(e => e.Id).ToHashSet());
        Assert.All(result.Events, e => Assert.True(NostrEventVerifier.IsValid(e)));
        Assert.Equal(relays.Length, result.Relays.Count);
        Assert.Single(result.Relays, r => r.Succeeded);
        Assert.All(result.Relays.Where(r => !r.Succeeded), r => Assert.NotNull(r.ErrorMessage));
    }
}
