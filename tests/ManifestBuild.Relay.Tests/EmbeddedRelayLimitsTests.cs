using ManifestBuild.Format;
using ManifestBuild.Nostr;
using static ManifestBuild.Relay.Tests.TestEvents;

namespace ManifestBuild.Relay.Tests;

/// <summary>Limits, malformed input and options of the embedded relay: refusals are precise and the connection survives.</summary>
public sealed class EmbeddedRelayLimitsTests
{
    [Fact]
    public async Task OversizedMessage_GetsNotice_AndTheConnectionSurvives()
    {
        await using var relay = await EmbeddedRelay.StartAsync(new EmbeddedRelayOptions { MaxMessageBytes = 4096 });
        await using var socket = await RawRelaySocket.ConnectAsync(relay.Url);
        var key = NostrKeyPair.Generate();
        var huge = Note(key, new string('x', 10_000));

        await socket.SendAsync(NostrJson.Serialize(new ClientEventMessage(huge)));
        var notice = await socket.ReceiveAsync<RelayNoticeMessage>();
        var ok = await socket.PublishAsync(Note(key, "small"));

        Assert.Contains("4096 bytes", notice.Message, StringComparison.Ordinal);
        Assert.Equal("invalid", RelayMessagePrefix.Of(notice.Message));
        Assert.True(ok.Accepted, ok.Message);
        Assert.Equal(1, relay.EventCount);
    }

    [Fact]
    public async Task ContentAndTagLimits_AreRefusedWithOkFalse()
    {
        await using var relay = await EmbeddedRelay.StartAsync(new EmbeddedRelayOptions { MaxContentLength = 100, MaxEventTags = 3 });
        await using var socket = await RawRelaySocket.ConnectAsync(relay.Url);
        var key = NostrKeyPair.Generate();

        var longContent = await socket.PublishAsync(Note(key, new string('y', 101)));
        var manyTags = await socket.PublishAsync(Note(key, "tags", Now, Tag("t", "1"), Tag("t", "2"), Tag("t", "3"), Tag("t", "4")));
        var atLimits = await socket.PublishAsync(Note(key, new string('z', 100), Now, Tag("t", "1"), Tag("t", "2"), Tag("t", "3")));

        Assert.False(longContent.Accepted);
        Assert.StartsWith("invalid: content", longContent.Message, StringComparison.Ordinal);
        Assert.False(manyTags.Accepted);
        Assert.StartsWith("invalid: 4 tags", manyTags.Message, StringComparison.Ordinal);
        Assert.True(atLimits.Accepted, atLimits.Message);
    }

    [Fact]
    public async Task TooManySubscriptions_GetsClosed_ButReplacingAnOpenOneIsAllowed()
    {
        await using var relay = await EmbeddedRelay.StartAsync(new EmbeddedRelayOptions { MaxSubscriptionsPerConnection = 2 });
        await using var socket = await RawRelaySocket.ConnectAsync(relay.Url);
        var filter = new NostrFilter { Kinds = [1] };

        await socket.SubscribeAsync("a", filter);
        await socket.SubscribeAsync("b", filter);
        await socket.SubscribeAsync("a", new NostrFilter { Kinds = [7] });
        await socket.SendAsync(NostrJson.Serialize(new ClientReqMessage("c", [filter])));
        var closed = await socket.ReceiveAsync<RelayClosedMessage>();
        await socket.SendAsync("[\"CLOSE\",\"b\"]");
        var afterClose = await socket.SubscribeAsync("c", filter);

        Assert.Equal("c", closed.SubscriptionId);
        Assert.Equal("rate-limited", RelayMessagePrefix.Of(closed.Message));
        Assert.Empty(afterClose);
    }

    [Fact]
    public async Task TooManyFilters_GetsClosed()
    {
        await using var relay = await EmbeddedRelay.StartAsync(new EmbeddedRelayOptions { MaxFiltersPerRequest = 2 });
        await using var socket = await RawRelaySocket.ConnectAsync(relay.Url);

        await socket.SendAsync("[\"REQ\",\"many\",{\"kinds\":[1]},{\"kinds\":[2]},{\"kinds\":[3]}]");
        var closed = await socket.ReceiveAsync<RelayClosedMessage>();

        Assert.Equal("many", closed.SubscriptionId);
        Assert.StartsWith("invalid: 3 filters", closed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LimitAboveTheMaximum_IsClampedToTheNewest()
    {
        await using var relay = await EmbeddedRelay.StartAsync(new EmbeddedRelayOptions { MaxLimit = 3 });
        await using var socket = await RawRelaySocket.ConnectAsync(relay.Url);
        var key = NostrKeyPair.Generate();
        var events = Enumerable.Range(0, 6).Select(i => Note(key, "e" + i, Now - 10 + i)).ToList();
        relay.PublishMany(events);

        var unlimited = await socket.QueryAsync(new NostrFilter { Authors = [key.PublicKeyHex] });
        var tooLarge = await socket.QueryAsync(new NostrFilter { Authors = [key.PublicKeyHex], Limit = 100 });
        var zero = await socket.QueryAsync(new NostrFilter { Authors = [key.PublicKeyHex], Limit = 0 });

        Assert.Equal(new[] { events[5].Id, events[4].Id, events[3].Id }, unlimited.Select(e => e.Id));
        Assert.Equal(3, tooLarge.Count);
        Assert.Empty(zero);
    }

    [Theory]
    [InlineData("this is not json")]
    [InlineData("{\"kind\":1}")]
    [InlineData("[]")]
    [InlineData("[\"DANCE\",\"now\"]")]
    [InlineData("[\"CLOSE\"]")]
    [InlineData("[\"EVENT\",42]")]
    [InlineData("[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]")]
    public async Task MalformedMessage_GetsNotice_AndTheConnectionSurvives(string message)
    {
        await using var relay = await EmbeddedRelay.StartAsync();
        await using var socket = await RawRelaySocket.ConnectAsync(relay.Url);

        await socket.SendAsync(message);
        var notice = await socket.ReceiveAsync();
        var ok = await socket.PublishAsync(Note(NostrKeyPair.Generate(), "still here"));

        Assert.Equal("invalid", RelayMessagePrefix.Of(Assert.IsType<RelayNoticeMessage>(notice).Message));
        Assert.True(ok.Accepted, ok.Message);
    }

    [Fact]
    public async Task EventWithReadableIdButBadShape_GetsOkFalseNamingTheProblem()
    {
        await using var relay = await EmbeddedRelay.StartAsync();
        await using var socket = await RawRelaySocket.ConnectAsync(relay.Url);
        var id = RandomHex(32);

        await socket.SendAsync($"[\"EVENT\",{{\"id\":\"{id}\",\"kind\":\"one\"}}]");
        var ok = await socket.ReceiveAsync<RelayOkMessage>();

        Assert.Equal(id, ok.EventId);
        Assert.False(ok.Accepted);
        Assert.Contains("kind", ok.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RequestWithBadFilter_GetsClosedForThatSubscription()
    {
        await using var relay = await EmbeddedRelay.StartAsync();
        await using var socket = await RawRelaySocket.ConnectAsync(relay.Url);

        await socket.SendAsync("[\"REQ\",\"bad\",{\"kinds\":\"all\"}]");
        var closed = await socket.ReceiveAsync<RelayClosedMessage>();

        Assert.Equal("bad", closed.SubscriptionId);
        Assert.Equal("invalid", RelayMessagePrefix.Of(closed.Message));
    }

    [Fact]
    public async Task BinaryFrame_GetsNotice()
    {
        await using var relay = await EmbeddedRelay.StartAsync();
        await using var socket = await RawRelaySocket.ConnectAsync(relay.Url);

        await socket.SendBinaryAsync("[\"REQ\",\"x\",{}]"u8.ToArray());
        var notice = await socket.ReceiveAsync<RelayNoticeMessage>();

        Assert.Contains("binary", notice.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Count_ReturnsTheNumberOfMatches()
    {
        await using var relay = await EmbeddedRelay.StartAsync();
        await using var socket = await RawRelaySocket.ConnectAsync(relay.Url);
        var key = NostrKeyPair.Generate();
        relay.PublishMany(Enumerable.Range(0, 4).Select(i => Note(key, "c" + i)).ToList());

        await socket.SendAsync($"[\"COUNT\",\"n\",{{\"authors\":[\"{key.PublicKeyHex}\"]}}]");
        var count = await socket.ReceiveAsync<RelayCountMessage>();

        Assert.Equal(4, count.Count);
    }

    [Fact]
    public async Task InvalidOptions_AreRefusedBeforeBinding()
    {
        var badPort = await Assert.ThrowsAsync<DsrsException>(() => EmbeddedRelay.StartAsync(new EmbeddedRelayOptions { Port = 70000 }));
        var badHost = await Assert.ThrowsAsync<DsrsException>(() => EmbeddedRelay.StartAsync(new EmbeddedRelayOptions { Host = "relay.invalid" }));

        Assert.Equal(RelayErrorCodes.InvalidOptions, badPort.Code);
        Assert.Contains("70000", badPort.Message, StringComparison.Ordinal);
        Assert.Equal(RelayErrorCodes.InvalidOptions, badHost.Code);
    }

    [Fact]
    public async Task PortInUse_IsABindFailure()
    {
        await using var first = await EmbeddedRelay.StartAsync();

        var e = await Assert.ThrowsAsync<DsrsException>(() => EmbeddedRelay.StartAsync(new EmbeddedRelayOptions { Port = first.Port }));

        Assert.Equal(RelayErrorCodes.BindFailed, e.Code);
        Assert.Contains(first.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_PicksAFreeLoopbackPort()
    {
        await using var relay = await EmbeddedRelay.StartAsync();

        Assert.NotEqual(0, relay.Port);
        Assert.Equal($"ws://127.0.0.1:{relay.Port}/", relay.Url.ToString());
    }
}
