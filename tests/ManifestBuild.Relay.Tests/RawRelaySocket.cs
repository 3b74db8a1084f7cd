using System.Net.WebSockets;
using System.Text;
using System.Threading.Channels;
using ManifestBuild.Nostr;

namespace ManifestBuild.Relay.Tests;

/// <summary>
/// A deliberately thin client for protocol-level assertions: sends raw text, and exposes every
/// relay message in order (parsed with NostrJson), each wait bounded by a timeout.
/// </summary>
internal sealed class RawRelaySocket : IAsyncDisposable
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(15);

    private readonly ClientWebSocket socket;
    private readonly Channel<string> inbox = Channel.CreateUnbounded<string>();
    private readonly CancellationTokenSource stop = new();
    private readonly Task receiver;
    private int nextSubscription;

    private RawRelaySocket(ClientWebSocket socket)
    {
        this.socket = socket;
        receiver = ReceiveLoopAsync();
    }

    public bool IsOpen => socket.State == WebSocketState.Open;

    public static async Task<RawRelaySocket> ConnectAsync(Uri url)
    {
        var socket = new ClientWebSocket();
        using var timeout = new CancellationTokenSource(DefaultTimeout);
        await socket.ConnectAsync(url, timeout.Token);
        return new RawRelaySocket(socket);
    }

    public async Task SendAsync(string text)
    {
        using var timeout = new CancellationTokenSource(DefaultTimeout);
        await socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, timeout.Token);
    }

    public async Task SendBinaryAsync(byte[] bytes)
    {
        using var timeout = new CancellationTokenSource(DefaultTimeout);
        await socket.SendAsync(bytes, WebSocketMessageType.Binary, true, timeout.Token);
    }

    /// <summary>The next message's raw text; throws on timeout or when the relay closed the connection.</summary>
    public async Task<string> ReceiveRawAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
        try
        {
            return await inbox.Reader.ReadAsync(cts.Token);
        }
        catch (ChannelClosedException)
        {
            throw new InvalidOperationException("the relay closed the connection");
        }
    }

    public async Task<RelayMessage> ReceiveAsync(TimeSpan? timeout = null)
    {
        var raw = await ReceiveRawAsync(timeout);
        Assert.True(NostrJson.TryParseRelayMessage(raw, out var message, out var error), $"relay sent an invalid message ({error}): {raw}");
        return message!;
    }

    /// <summary>Skips messages until one of type T satisfies the predicate.</summary>
    public async Task<T> ReceiveAsync<T>(Func<T, bool>? predicate = null, TimeSpan? timeout = null)
        where T : RelayMessage
    {
        var deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        while (true)
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                throw new TimeoutException("no " + typeof(T).Name + " arrived in time");
            }

            if (await ReceiveAsync(left) is T match && (predicate is null || predicate(match)))
            {
                return match;
            }
        }
    }

    public async Task<RelayOkMessage> PublishAsync(NostrEvent e)
    {
        await SendAsync(NostrJson.Serialize(new ClientEventMessage(e)));
        return await ReceiveAsync<RelayOkMessage>(ok => ok.EventId == e.Id);
    }

    public string NewSubscriptionId() => "sub" + Interlocked.Increment(ref nextSubscription);

    /// <summary>REQ, collect the stored events until EOSE (CLOSED fails the test), then CLOSE.</summary>
    public async Task<List<NostrEvent>> QueryAsync(params NostrFilter[] filters)
    {
        var sub = NewSubscriptionId();
        var events = await SubscribeAsync(sub, filters);
        await SendAsync(NostrJson.Serialize(new ClientCloseMessage(sub)));
        return events;
    }

    /// <summary>REQ and collect stored events until EOSE; the subscription stays open.</summary>
    public async Task<List<NostrEvent>> SubscribeAsync(string sub, params NostrFilter[] filters)
    {
        await SendAsync(NostrJson.Serialize(new ClientReqMessage(sub, filters)));
        var events = new List<NostrEvent>();
        while (true)
        {
            switch (await ReceiveAsync())
            {
                case RelayEventMessage m when m.SubscriptionId == sub:
                    events.Add(m.Event);
                    break;
                case RelayEoseMessage m when m.SubscriptionId == sub:
                    return events;
                case RelayClosedMessage m when m.SubscriptionId == sub:
                    throw new InvalidOperationException("relay closed the subscription: " + m.Message);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        try
        {
            if (socket.State == WebSocketState.Open)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
        }

        socket.Abort();
        try
        {
            await receiver.WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (TimeoutException)
        {
        }

        socket.Dispose();
        stop.Dispose();
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[64 * 1024];
        var message = new MemoryStream();
        try
        {
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer, stop.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                message.Write(buffer, 0, result.Count);
                if (result.EndOfMessage)
                {
                    inbox.Writer.TryWrite(Encoding.UTF8.GetString(message.GetBuffer(), 0, (int)message.Length));
                    message.SetLength(0);
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
        finally
        {
            inbox.Writer.TryComplete();
        }
    }
}
