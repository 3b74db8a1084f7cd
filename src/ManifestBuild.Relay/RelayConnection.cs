using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using ManifestBuild.Nostr;

namespace ManifestBuild.Relay;

/// <summary>
/// One client's WebSocket: a receive loop that handles its messages in order, and a send loop that
/// drains a queue, so the hub can hand it live events without waiting on the network. A client
/// that lets more than the configured bytes pile up is disconnected rather than buffered forever.
/// </summary>
internal sealed class RelayConnection
{
    private readonly WebSocket socket;
    private readonly RelayHub hub;
    private readonly EmbeddedRelayOptions options;
    private readonly Channel<OutgoingMessage> outbox = Channel.CreateUnbounded<OutgoingMessage>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Dictionary<string, Subscription> subscriptions = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource aborted = new();
    private long queuedBytes;

    public RelayConnection(WebSocket socket, RelayHub hub)
    {
        this.socket = socket;
        this.hub = hub;
        options = hub.Options;
    }

    public async Task RunAsync(CancellationToken shutdown)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(shutdown, aborted.Token);
        hub.Attach(this);
        var sender = SendLoopAsync(linked.Token);
        try
        {
            await ReceiveLoopAsync(linked.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or IOException)
        {
            // The client vanished, the relay is stopping, or the client was too slow: just end.
        }
        finally
        {
            hub.Detach(this);
            outbox.Writer.TryComplete();
            await sender;
            await CloseQuietlyAsync();
            aborted.Dispose();
        }
    }

    /// <summary>Queues a message; false when the client is too far behind and is being dropped.</summary>
    public bool Enqueue(OutgoingMessage message)
    {
        if (Interlocked.Add(ref queuedBytes, message.Size) > options.MaxQueuedBytesPerConnection)
        {
            // Too far behind: queue nothing more, let what is queued go out while the client's socket
            // takes it, and end the connection shortly after (a stalled client never takes it all).
            outbox.Writer.TryComplete();
            AbortAfter(TimeSpan.FromSeconds(1));
            return false;
        }

        if (!outbox.Writer.TryWrite(message))
        {
            Interlocked.Add(ref queuedBytes, -message.Size);
            return false;
        }

        return true;
    }

    /// <summary>Called by the hub under its exclusive lock: queue the event for each matching subscription.</summary>
    public void Deliver(StoredEvent stored)
    {
        foreach (var subscription in subscriptions.Values)
        {
            if (subscription.Matches(stored.Event) && !Enqueue(OutgoingMessage.Event(subscription, stored)))
            {
                return;
            }
        }
    }

    /// <summary>Called by the hub under its shared lock, only from this connection's receive loop.</summary>
    public void SetSubscription(Subscription subscription) => subscriptions[subscription.Id] = subscription;

    /// <summary>Called by the hub under its shared lock, only from this connection's receive loop.</summary>
    public void RemoveSubscription(string id) => subscriptions.Remove(id);

    private void AbortAfter(TimeSpan grace)
    {
        try
        {
            aborted.CancelAfter(grace);
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private void Abort()
    {
        try
        {
            // Callbacks run on the thread pool, never inline here: the caller may hold the hub's lock.
            _ = aborted.CancelAsync();
        }
        catch (ObjectDisposedException)
        {
        }

        outbox.Writer.TryComplete();
    }

    private async Task ReceiveLoopAsync(CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        var message = new ArrayBufferWriter<byte>(16 * 1024);
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                message.ResetWrittenCount();
                var tooLarge = false;
                ValueWebSocketReceiveResult result;
                do
                {
                    result = await socket.ReceiveAsync(buffer.AsMemory(), cancellationToken);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        return;
                    }

                    // Past the limit the rest of the message is read and dropped: memory stays bounded.
                    if (!tooLarge && message.WrittenCount + result.Count > options.MaxMessageBytes)
                    {
                        tooLarge = true;
                    }

                    if (!tooLarge)
                    {
                        message.Write(buffer.AsSpan(0, result.Count));
                    }
                }
                while (!result.EndOfMessage);

                if (tooLarge)
                {
                    Enqueue(RelayWire.Notice($"invalid: message larger than the relay's limit of {options.MaxMessageBytes} bytes"));
                }
                else if (result.MessageType == WebSocketMessageType.Binary)
                {
                    Enqueue(RelayWire.Notice("invalid: binary frames are not Nostr messages; send text"));
                }
                else
                {
                    Handle(message.WrittenSpan);
                }

                if (message.Capacity > 4 * 1024 * 1024)
                {
                    message = new ArrayBufferWriter<byte>(16 * 1024);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void Handle(ReadOnlySpan<byte> utf8)
    {
        if (!NostrJson.TryParseClientMessage(utf8, out var parsed, out var error) || parsed is null)
        {
            RefuseMalformed(utf8, error ?? "malformed message");
            return;
        }

        switch (parsed)
        {
            case ClientEventMessage m:
                var (accepted, text) = hub.Publish(m.Event);
                Enqueue(RelayWire.Ok(m.Event.Id, accepted, text));
                break;
            case ClientReqMessage m:
                if (RefuseRequest(m.SubscriptionId, m.Filters.Count) is { } refusal)
                {
                    Enqueue(RelayWire.Closed(m.SubscriptionId, refusal));
                    break;
                }

                hub.Subscribe(this, new Subscription(m.SubscriptionId, m.Filters));
                break;
            case ClientCloseMessage m:
                hub.Unsubscribe(this, m.SubscriptionId);
                break;
            case ClientCountMessage m:
                if (m.Filters.Count > options.MaxFiltersPerRequest)
                {
                    Enqueue(RelayWire.Closed(m.SubscriptionId, $"invalid: {m.Filters.Count} filters, more than the relay's limit of {options.MaxFiltersPerRequest}"));
                    break;
                }

                Enqueue(RelayWire.Count(m.SubscriptionId, hub.Query(m.Filters).Count));
                break;
            case ClientAuthMessage m:
                // No NIP-42 here: every client may read and write, so there is nothing to grant.
                Enqueue(RelayWire.Ok(m.Event.Id, true, string.Empty));
                break;
        }
    }

    private string? RefuseRequest(string subscriptionId, int filterCount)
    {
        if (filterCount > options.MaxFiltersPerRequest)
        {
            return $"invalid: {filterCount} filters, more than the relay's limit of {options.MaxFiltersPerRequest}";
        }

        if (subscriptionId.Length > options.MaxSubscriptionIdLength)
        {
            return $"invalid: subscription id longer than {options.MaxSubscriptionIdLength} characters";
        }

        if (!subscriptions.ContainsKey(subscriptionId) && subscriptions.Count >= options.MaxSubscriptionsPerConnection)
        {
            return $"rate-limited: {options.MaxSubscriptionsPerConnection} subscriptions are already open on this connection; CLOSE one first";
        }

        return null;
    }

    /// <summary>
    /// A message that is not a valid NIP-01 client message: an EVENT whose id can be read gets
    /// OK false, a REQ whose subscription id can be read gets CLOSED, anything else a NOTICE.
    /// The connection stays open either way.
    /// </summary>
    private void RefuseMalformed(ReadOnlySpan<byte> utf8, string error)
    {
        var reason = "invalid: " + error;
        try
        {
            var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = 16 });
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Array && root.GetArrayLength() >= 2 && root[0].ValueKind == JsonValueKind.String)
            {
                var type = root[0].GetString();
                if (type == "EVENT" && root[1].ValueKind == JsonValueKind.Object
                    && root[1].TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String
                    && id.GetString() is { Length: 64 } eventId && eventId.All(char.IsAsciiHexDigitLower))
                {
                    Enqueue(RelayWire.Ok(eventId, false, reason));
                    return;
                }

                if (type is "REQ" or "COUNT" && root[1].ValueKind == JsonValueKind.String
                    && root[1].GetString() is { Length: > 0 } sub && sub.Length <= options.MaxSubscriptionIdLength)
                {
                    Enqueue(RelayWire.Closed(sub, reason));
                    return;
                }
            }
        }
        catch (JsonException)
        {
            reason = "invalid: not JSON: " + error;
        }

        Enqueue(RelayWire.Notice(reason));
    }

    private async Task SendLoopAsync(CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            await foreach (var message in outbox.Reader.ReadAllAsync(cancellationToken))
            {
                var length = message.WriteTo(ref buffer);
                await socket.SendAsync(buffer.AsMemory(0, length), WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
                Interlocked.Add(ref queuedBytes, -message.Size);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or IOException or ObjectDisposedException)
        {
            // The receive loop notices the same failure and ends the connection.
            Abort();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task CloseQuietlyAsync()
    {
        try
        {
            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or IOException or ObjectDisposedException)
        {
        }
    }
}
