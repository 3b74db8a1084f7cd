using System.Text;
using ManifestBuild.Nostr;

namespace ManifestBuild.Relay;

/// <summary>
/// One queued outgoing message: either text, or an EVENT assembled when sent from the subscription's
/// quoted id and the stored event's UTF-8 (so a 10,000-event answer queues no copies).
/// </summary>
internal readonly struct OutgoingMessage
{
    private static readonly byte[] EventPrefix = "[\"EVENT\","u8.ToArray();

    private readonly string? text;
    private readonly byte[]? quotedSubscriptionId;
    private readonly StoredEvent? stored;

    private OutgoingMessage(string? text, byte[]? quotedSubscriptionId, StoredEvent? stored)
    {
        this.text = text;
        this.quotedSubscriptionId = quotedSubscriptionId;
        this.stored = stored;
    }

    /// <summary>What the message costs in the connection's queue, in bytes (about).</summary>
    public int Size => stored is null ? text!.Length : EventPrefix.Length + quotedSubscriptionId!.Length + stored.Utf8Json.Length + 2;

    public static implicit operator OutgoingMessage(string text) => new(text, null, null);

    public static OutgoingMessage Event(Subscription subscription, StoredEvent stored) => new(null, subscription.QuotedIdUtf8, stored);

    /// <summary>Writes the UTF-8 message into <paramref name="buffer"/> (grown from the pool if needed); returns its length.</summary>
    public int WriteTo(ref byte[] buffer)
    {
        var needed = stored is null ? Encoding.UTF8.GetMaxByteCount(text!.Length) : Size;
        if (needed > buffer.Length)
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
            buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(needed);
        }

        if (stored is null)
        {
            return Encoding.UTF8.GetBytes(text!, buffer);
        }

        var span = buffer.AsSpan();
        var subscription = quotedSubscriptionId!;
        EventPrefix.CopyTo(span);
        var at = EventPrefix.Length;
        subscription.CopyTo(span[at..]);
        at += subscription.Length;
        span[at++] = (byte)',';
        stored.Utf8Json.CopyTo(span[at..]);
        at += stored.Utf8Json.Length;
        span[at++] = (byte)']';
        return at;
    }
}

/// <summary>The relay's outgoing messages other than EVENT (see <see cref="OutgoingMessage.Event"/>).</summary>
internal static class RelayWire
{

    public static string Ok(string eventId, bool accepted, string message) =>
        NostrJson.Serialize(new RelayOkMessage(eventId, accepted, message));

    public static string Eose(string subscriptionId) => NostrJson.Serialize(new RelayEoseMessage(subscriptionId));

    public static string Closed(string subscriptionId, string message) => NostrJson.Serialize(new RelayClosedMessage(subscriptionId, message));

    public static string Notice(string message) => NostrJson.Serialize(new RelayNoticeMessage(message));

    public static string Count(string subscriptionId, long count) => NostrJson.Serialize(new RelayCountMessage(subscriptionId, count));
}
