using System.Net;
using System.Net.Sockets;
using System.Text;
using ManifestBuild.Nostr.Relays;
using ManifestBuild.Nostr.Tests.Fakes;
using ManifestBuild.TestSupport;

namespace ManifestBuild.Nostr.Tests;

public class RelayClientTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private readonly NostrKeyPair key = NostrKeyPair.Generate();

    [Fact]
    public async Task QueriesUntilEose()
    {
        var events = TestEvents.Listings(key, 3);
        await using var relay = FakeRelays.Honest(events);
        await using var client = new RelayClient(relay.Url);
        await client.ConnectAsync();
        var received = await client.QueryAsync([TestEvents.ListingFilter], Timeout);
        Assert.Equal(events.Select(e => e.Id).Order(), received.Select(e => e.Id).Order());
    }

    [Theory]
    [InlineData(true, "", PublishStatus.Accepted)]
    [InlineData(true, "duplicate: have it", PublishStatus.Duplicate)]
    [InlineData(false, "duplicate: have it", PublishStatus.Duplicate)]
    [InlineData(false, "blocked: you are banned", PublishStatus.Blocked)]
    [InlineData(false, "rate-limited: slow down", PublishStatus.RateLimited)]
    [InlineData(false, "invalid: bad signature", PublishStatus.Invalid)]
    [InlineData(false, "auth-required: log in", PublishStatus.AuthRequired)]
    [InlineData(false, "restricted: members only", PublishStatus.Restricted)]
    [InlineData(false, "pow: difficulty 30 required", PublishStatus.Pow)]
    [InlineData(false, "error: disk full", PublishStatus.Error)]
    [InlineData(false, "nope", PublishStatus.Rejected)]
    public async Task PublishReportsTheRelaysVerdict(bool accepted, string message, PublishStatus expected)
    {
        await using var relay = FakeRelays.Honest([], e => new RelayOkMessage(e.Id, accepted, message));
        await using var client = new RelayClient(relay.Url);
        await client.ConnectAsync();
        var e = key.Sign(1, [], "hello", 1_700_000_000);
        var result = await client.PublishAsync(e, Timeout);
        Assert.Equal(expected, result.Status);
        Assert.Equal(message, result.Message);
        Assert.Equal(e.Id, result.EventId);
        Assert.Equal(expected is PublishStatus.Accepted or PublishStatus.Duplicate, result.Success);
    }

    [Fact]
    public async Task PublishTimesOutWhenNoOkComes()
    {
        await using var mute = FakeRelays.Mute();
        await using var client = new RelayClient(mute.Url);
        await client.ConnectAsync();
        var result = await client.PublishAsync(key.Sign(1, [], "x", 1), TimeSpan.FromMilliseconds(300));
        Assert.Equal(PublishStatus.Timeout, result.Status);
        Assert.False(result.Success);
    }

    [Fact]
    public async Task AuthenticatesWithNip42WhenAskedAndRetriesThePublish()
    {
        await using var relay = AuthRelay.Start();
        await using var client = new RelayClient(relay.Server.Url, new RelayClientOptions { AuthKey = key });
        await client.ConnectAsync();
        var e = key.Sign(1, [], "members only", 1_700_000_000);
        var result = await client.PublishAsync(e, Timeout);
        Assert.Equal(PublishStatus.Accepted, result.Status);

        // The relay saw our kind-22242 event with its challenge (it may have arrived before or after the EVENT).
        Assert.Equal(key.PublicKeyHex, await relay.AuthenticatedAs.Task.WaitAsync(Timeout));
    }

    [Fact]
    public async Task ResendsTheReqAfterAuthenticating()
    {
        await using var relay = AuthRelay.Start();
        await using var client = new RelayClient(relay.Server.Url, new RelayClientOptions { AuthKey = key });
        await client.ConnectAsync();
        var events = await client.QueryAsync([new NostrFilter { Kinds = [1] }], Timeout);
        Assert.Single(events);
        Assert.Equal("secret note", events[0].Content);
    }

    [Fact]
    public async Task WithoutAKeyAuthRequiredIsReported()
    {
        await using var relay = AuthRelay.Start();
        await using var client = new RelayClient(relay.Server.Url);
        await client.ConnectAsync();
        var result = await client.PublishAsync(key.Sign(1, [], "x", 1), Timeout);
        Assert.Equal(PublishStatus.AuthRequired, result.Status);
        var e = await Assert.ThrowsAsync<RelayException>(() => client.QueryAsync([new NostrFilter { Kinds = [1] }], Timeout));
        Assert.Equal(RelayErrorKind.Closed, e.Kind);
        Assert.Contains("auth-required", e.Message);
        Assert.Equal("challenge-" + relay.Server.Port, client.AuthChallenge);
    }

    [Fact]
    public async Task CountsWithNip45()
    {
        await using var relay = FakeRelays.OnReq((_, _, _) => Task.CompletedTask);
        await using var counter = new RawWebSocketServer(async (c, token) =>
        {
            await c.AcceptAsync(token);
            while (await c.ReadTextAsync(token) is { } text)
            {
                Assert.True(NostrJson.TryParseClientMessage(text, out var m, out _));
                var count = Assert.IsType<ClientCountMessage>(m);
                await c.SendTextAsync(NostrJson.Serialize(new RelayCountMessage(count.SubscriptionId, 42, true)), token);
            }
        });
        await using var client = new RelayClient(counter.Url);
        await client.ConnectAsync();
        var answer = await client.CountAsync([new NostrFilter { Kinds = [1] }], Timeout);
        Assert.Equal(42, answer.Count);
        Assert.True(answer.Approximate);
    }

    [Fact]
    public async Task ConnectTimeoutIsBounded()
    {
        await using var silent = FakeRelays.Silent();
        await using var client = new RelayClient(silent.Url, new RelayClientOptions { ConnectTimeout = TimeSpan.FromMilliseconds(400) });
        var e = await Assert.ThrowsAsync<RelayException>(() => client.ConnectAsync());
        Assert.Equal(RelayErrorKind.ConnectTimeout, e.Kind);
        Assert.Equal(NostrErrorCodes.RelayConnectFailed, e.Code);
    }

    [Fact]
    public async Task CancellationStopsAQuery()
    {
        await using var mute = FakeRelays.Mute();
        await using var client = new RelayClient(mute.Url);
        await client.ConnectAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.QueryAsync([new NostrFilter()], TimeSpan.FromMinutes(1), cts.Token));
    }

    [Fact]
    public async Task BinaryFramesAreProtocolErrorsAndAThrowingHandlerDoesNotBreakTheConnection()
    {
        await using var relay = FakeRelays.OnReq(async (c, sub, token) =>
        {
            await c.SendFrameAsync(0x2, [1, 2, 3], token);
            await c.SendTextAsync(NostrJson.Serialize(new RelayNoticeMessage("n")), token);
            await c.SendTextAsync(NostrJson.Serialize(new RelayEoseMessage(sub)), token);
        });
        await using var client = new RelayClient(relay.Url);
        client.Notice += (_, _) => throw new InvalidOperationException("a buggy subscriber");
        await client.ConnectAsync();
        Assert.Empty(await client.QueryAsync([new NostrFilter()], Timeout));
        Assert.Equal(1, client.ProtocolErrorCount);
        Assert.Contains("binary", client.LastProtocolError);
        Assert.True(client.IsConnected);
    }

    [Fact]
    public async Task NoticesAreRaised()
    {
        await using var noisy = FakeRelays.SendsTexts(_ => [NostrJson.Serialize(new RelayNoticeMessage("maintenance at noon"))]);
        await using var client = new RelayClient(noisy.Url);
        var notice = new TaskCompletionSource<string>();
        client.Notice += (_, text) => notice.TrySetResult(text);
        await client.ConnectAsync();
        await client.QueryAsync([new NostrFilter()], Timeout);
        Assert.Equal("maintenance at noon", await notice.Task.WaitAsync(Timeout));
    }

    [Theory]
    [InlineData("http://relay.example.com")]
    [InlineData("relay.example.com")]
    [InlineData("wss://relay.example.com/#fragment")]
    [InlineData("")]
    public void RelayUrlsMustBeWebSockets(string url)
    {
        Assert.Equal(NostrErrorCodes.InvalidRelayUrl, Assert.Throws<Format.DsrsException>(() => new RelayClient(url)).Code);
    }

    [Fact]
    public void RelayUrlsAreNormalised()
    {
        Assert.Equal(RelayUrl.Parse("wss://Relay.Example.com/"), RelayUrl.Parse("wss://relay.example.com"));
        Assert.Equal("wss://relay.example.com", RelayUrl.Format(RelayUrl.Parse("WSS://relay.example.com/")));
        Assert.Equal(new Uri("https://relay.example.com/nostr"), RelayUrl.ToHttp(RelayUrl.Parse("wss://relay.example.com/nostr")));
    }

    [Fact]
    public async Task FetchesNip11InformationWithTheNostrMediaType()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var request = new TaskCompletionSource<string>();
        var server = Task.Run(async () =>
        {
            using var tcp = await listener.AcceptTcpClientAsync();
            var stream = tcp.GetStream();
            var buffer = new byte[8192];
            var text = new StringBuilder();
            while (!text.ToString().Contains("\r\n\r\n"))
            {
                var read = await stream.ReadAsync(buffer);
                if (read == 0)
                {
                    break;
                }

                text.Append(Encoding.ASCII.GetString(buffer, 0, read));
            }

            request.TrySetResult(text.ToString());
            var body = "{\"name\":\"test relay\",\"supported_nips\":[1,11,42],\"software\":\"fake\",\"limitation\":{\"max_message_length\":65536,\"auth_required\":true},\"unknown\":{\"x\":1}}";
            var response = $"HTTP/1.1 200 OK\r\nContent-Type: application/nostr+json\r\nContent-Length: {Encoding.UTF8.GetByteCount(body)}\r\nConnection: close\r\n\r\n{body}";
            await stream.WriteAsync(Encoding.UTF8.GetBytes(response));
        });
        try
        {
            var info = await RelayInformation.FetchAsync(new Uri($"ws://127.0.0.1:{port}"), timeout: Timeout);
            Assert.Equal("test relay", info.Name);
            Assert.Equal([1, 11, 42], info.SupportedNips!);
            Assert.Equal(65536, info.Limitation!.MaxMessageLength);
            Assert.True(info.Limitation.AuthRequired);
            Assert.Contains("\"unknown\"", info.RawJson);
            Assert.Matches("(?im)^Accept: application/nostr\\+json", await request.Task.WaitAsync(Timeout));
        }
        finally
        {
            listener.Stop();
            await server.WaitAsync(Timeout);
        }
    }

    [Fact]
    public async Task Nip11FailuresAreRelayExceptions()
    {
        var port = Loopback.ClosedPort();
        var e = await Assert.ThrowsAsync<RelayException>(() => RelayInformation.FetchAsync(new Uri($"ws://127.0.0.1:{port}"), timeout: Timeout));
        Assert.Equal(NostrErrorCodes.RelayInfoFailed, e.Code);
        Assert.False(RelayInformation.TryParse("{\"supported_nips\":\"all\"}", out _, out var error));
        Assert.NotNull(error);
    }

    /// <summary>A relay that demands NIP-42 AUTH before accepting events or answering REQs.</summary>
    private sealed class AuthRelay : IAsyncDisposable
    {
        private AuthRelay()
        {
        }

        public RawWebSocketServer Server { get; private set; } = null!;

        public TaskCompletionSource<string> AuthenticatedAs { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public static AuthRelay Start()
        {
            var relay = new AuthRelay();
            var note = NostrKeyPair.Generate().Sign(1, [], "secret note", 1);
            relay.Server = new RawWebSocketServer(async (c, token) =>
            {
                await c.AcceptAsync(token);
                var challenge = "challenge-" + relay.Server.Port;
                await c.SendTextAsync(NostrJson.Serialize(new RelayAuthMessage(challenge)), token);
                string? user = null;
                while (await c.ReadTextAsync(token) is { } text)
                {
                    NostrJson.TryParseClientMessage(text, out var message, out _);
                    switch (message)
                    {
                        case ClientAuthMessage auth:
                            var ok = NostrEventVerifier.IsValid(auth.Event) && auth.Event.Kind == 22242
                                && auth.Event.FirstTagValue("challenge") == challenge
                                && auth.Event.FirstTagValue("relay") == relay.Server.Url;
                            if (ok)
                            {
                                user = auth.Event.PubKey;
                                relay.AuthenticatedAs.TrySetResult(user);
                            }

                            await c.SendTextAsync(NostrJson.Serialize(new RelayOkMessage(auth.Event.Id, ok, ok ? string.Empty : "invalid: bad auth")), token);
                            break;
                        case ClientEventMessage publish:
                            await c.SendTextAsync(NostrJson.Serialize(user is null
                                ? new RelayOkMessage(publish.Event.Id, false, "auth-required: sign in first")
                                : new RelayOkMessage(publish.Event.Id, true, string.Empty)), token);
                            break;
                        case ClientReqMessage req when user is null:
                            await c.SendTextAsync(NostrJson.Serialize(new RelayClosedMessage(req.SubscriptionId, "auth-required: sign in first")), token);
                            break;
                        case ClientReqMessage req:
                            await c.SendTextAsync(NostrJson.Serialize(new RelayEventMessage(req.SubscriptionId, note)), token);
                            await c.SendTextAsync(NostrJson.Serialize(new RelayEoseMessage(req.SubscriptionId)), token);
                            break;
                    }
                }
            });
            return relay;
        }

        public ValueTask DisposeAsync() => Server.DisposeAsync();
    }
}
