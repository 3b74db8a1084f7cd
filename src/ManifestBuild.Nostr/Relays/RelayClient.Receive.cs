using System.Buffers;
using System.Net.WebSockets;

namespace ManifestBuild.Nostr.Relays;

public sealed partial class RelayClient
{
    private async Task ReceiveLoopAsync()
    {
        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        var token = lifetime.Token;
        try
        {
            while (!token.IsCancellationRequested)
            {
                var count = 0;
                ValueWebSocketReceiveResult received;
                do
                {
                    if (count == buffer.Length)
                    {
                        if (buffer.Length >= options.MaxMessageBytes)
                        {
                            Fail(RelayErrorKind.MessageTooLarge, $"sent a message larger than {options.MaxMessageBytes} bytes");
                            return;
                        }

                        var bigger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, options.MaxMessageBytes));
                        buffer.AsSpan(0, count).CopyTo(bigger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = bigger;
                    }

                    var room = Math.Min(buffer.Length, options.MaxMessageBytes) - count;
                    received = await socket.ReceiveAsync(buffer.AsMemory(count, room), token).ConfigureAwait(false);
                    if (received.MessageType == WebSocketMessageType.Close)
                    {
                        var status = socket.CloseStatus?.ToString() ?? "no status";
                        Fail(RelayErrorKind.ConnectionLost, $"the relay closed the connection ({status}{Describe(socket.CloseStatusDescription)})");
                        return;
                    }

                    count += received.Count;
                }
                while (!received.EndOfMessage);

                if (received.MessageType != WebSocketMessageType.Text)
                {
                    RecordProtocolError("sent a binary message; NIP-01 messages are text");
                    continue;
                }

                await HandleMessageAsync(buffer.AsMemory(0, count), token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // Disposed or failed elsewhere.
        }
        catch (Exception e) when (e is WebSocketException or IOException or ObjectDisposedException or InvalidOperationException)
        {
            Fail(RelayErrorKind.ConnectionLost, "the connection broke: " + e.Message, e);
        }
        catch (Exception e)
        {
            // Nothing a relay sends may escape as an unexpected exception: end the connection instead.
            Fail(RelayErrorKind.ProtocolError, "the connection failed unexpectedly: " + e.Message, e);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            if (failure is null)
            {
                Fail(RelayErrorKind.ConnectionLost, "the connection ended");
            }
        }
    }

    private async ValueTask HandleMessageAsync(ReadOnlyMemory<byte> utf8, CancellationToken token)
    {
        if (!NostrJson.TryParseRelayMessage(utf8.Span, out var message, out var error))
        {
            RecordProtocolError(error ?? "unparseable message");
            return;
        }

        switch (message)
        {
            case RelayEventMessage m:
                if (subscriptions.TryGetValue(m.SubscriptionId, out var eventSubscription))
                {
                    await eventSubscription.DeliverAsync(new SubscriptionItem(SubscriptionItemKind.Event, m.Event, null, utf8.Length), token).ConfigureAwait(false);
                }

                break;
            case RelayEoseMessage m:
                if (subscriptions.TryGetValue(m.SubscriptionId, out var eoseSubscription))
                {
                    await eoseSubscription.DeliverAsync(new SubscriptionItem(SubscriptionItemKind.EndOfStoredEvents, null, null, utf8.Length), token).ConfigureAwait(false);
                }

                break;
            case RelayClosedMessage m:
                if (subscriptions.TryGetValue(m.SubscriptionId, out var closedSubscription))
                {
                    if (RelayMessagePrefix.Of(m.Message) == RelayMessagePrefix.AuthRequired && options.AuthKey is not null && !closedSubscription.AuthRetried)
                    {
                        // NIP-42: authenticate, then send the same REQ again (once). Not awaited here:
                        // the OK for the AUTH event arrives through this very loop.
                        closedSubscription.AuthRetried = true;
                        _ = ResubscribeAfterAuthAsync(closedSubscription);
                        break;
                    }

                    subscriptions.TryRemove(m.SubscriptionId, out _);
                    await closedSubscription.DeliverAsync(new SubscriptionItem(SubscriptionItemKind.Closed, null, m.Message, utf8.Length), token).ConfigureAwait(false);
                    closedSubscription.Complete();
                }

                break;
            case RelayOkMessage m:
                if (pendingOks.TryGetValue(m.EventId, out var pendingOk))
                {
                    pendingOk.TrySetResult(m);
                }

                break;
            case RelayNoticeMessage m:
                Raise(Notice, m.Message);
                break;
            case RelayAuthMessage m:
                AuthChallenge = m.Challenge;
                if (options.AuthKey is not null)
                {
                    _ = AuthenticateAsync(m.Challenge);
                }

                break;
            case RelayCountMessage m:
                if (pendingCounts.TryGetValue(m.SubscriptionId, out var pendingCount))
                {
                    pendingCount.TrySetResult(m);
                }

                break;
        }
    }

    private void RecordProtocolError(string error)
    {
        LastProtocolError = error;
        Raise(ProtocolError, error);
        if (Interlocked.Increment(ref protocolErrors) > options.MaxProtocolErrors)
        {
            Fail(RelayErrorKind.ProtocolError, $"sent more than {options.MaxProtocolErrors} malformed messages; last: {error}");
        }
    }

    /// <summary>Runs a subscriber's handler; its failure is its own and must not end the connection.</summary>
    private void Raise(Action<RelayClient, string>? handler, string text)
    {
        try
        {
            handler?.Invoke(this, text);
        }
        catch (Exception)
        {
        }
    }

    private static string Describe(string? text) => string.IsNullOrEmpty(text) ? string.Empty : ": " + (text.Length > 120 ? text[..120] : text);
}
