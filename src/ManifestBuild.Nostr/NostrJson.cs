using System.Globalization;
using System.Text;
using System.Text.Json;
using ManifestBuild.Format;

namespace ManifestBuild.Nostr;

/// <summary>
/// Strict NIP-01 JSON for events, filters and every relay/client message. Parsing never throws on
/// bad input through the Try methods (a wrong shape is a failure with a reason); the non-Try
/// methods throw <see cref="DsrsException"/>. Writing escapes strings exactly as JSON.stringify.
/// </summary>
public static partial class NostrJson
{
    /// <summary>JavaScript's Number.MAX_SAFE_INTEGER: larger timestamps would not survive JSON.stringify.</summary>
    public const long MaxSafeInteger = 9007199254740991;

    /// <summary>NIP-01 limits subscription ids to 64 characters.</summary>
    public const int MaxSubscriptionIdLength = 64;

    private static readonly JsonReaderOptions ReaderOptions = new()
    {
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
        MaxDepth = 16,
    };

    // ---- events ----

    public static bool TryParseEvent(ReadOnlySpan<byte> utf8, out NostrEvent? nostrEvent, out string? error) =>
        TryRead(utf8, ReadEvent, out nostrEvent, out error);

    public static bool TryParseEvent(string json, out NostrEvent? nostrEvent, out string? error) =>
        TryParseEvent(Encoding.UTF8.GetBytes(json), out nostrEvent, out error);

    /// <summary>Parses an event's wire JSON; does not verify it (see <see cref="NostrEventVerifier"/>).</summary>
    public static NostrEvent ParseEvent(string json) =>
        TryParseEvent(json, out var e, out var error) ? e! : throw new DsrsException(NostrErrorCodes.MalformedEvent, "not a NIP-01 event: " + error);

    public static string SerializeEvent(NostrEvent e)
    {
        var b = new StringBuilder(256 + e.Content.Length);
        AppendEvent(b, e);
        return b.ToString();
    }

    // ---- filters ----

    public static bool TryParseFilter(ReadOnlySpan<byte> utf8, out NostrFilter? filter, out string? error) =>
        TryRead(utf8, ReadFilter, out filter, out error);

    public static NostrFilter ParseFilter(string json) =>
        TryParseFilter(Encoding.UTF8.GetBytes(json), out var f, out var error) ? f! : throw new DsrsException(NostrErrorCodes.MalformedFilter, "not a NIP-01 filter: " + error);

    public static string SerializeFilter(NostrFilter filter)
    {
        var b = new StringBuilder(128);
        AppendFilter(b, filter);
        return b.ToString();
    }

    // ---- messages ----

    /// <summary>Parses what a relay sends: EVENT, OK, EOSE, CLOSED, NOTICE, AUTH, COUNT.</summary>
    public static bool TryParseRelayMessage(ReadOnlySpan<byte> utf8, out RelayMessage? message, out string? error) =>
        TryRead(utf8, ReadRelayMessage, out message, out error);

    public static bool TryParseRelayMessage(string json, out RelayMessage? message, out string? error) =>
        TryParseRelayMessage(Encoding.UTF8.GetBytes(json), out message, out error);

    /// <summary>Parses what a client sends: EVENT, REQ, CLOSE, AUTH, COUNT.</summary>
    public static bool TryParseClientMessage(ReadOnlySpan<byte> utf8, out ClientMessage? message, out string? error) =>
        TryRead(utf8, ReadClientMessage, out message, out error);

    public static bool TryParseClientMessage(string json, out ClientMessage? message, out string? error) =>
        TryParseClientMessage(Encoding.UTF8.GetBytes(json), out message, out error);

    private delegate T WireReader<T>(ref Utf8JsonReader reader);

    /// <summary>
    /// Every wire shape is read the same way: the whole input must be one value of that shape, and any
    /// shape or syntax error becomes (false, reason), never an exception that escapes to the caller.
    /// </summary>
    private static bool TryRead<T>(ReadOnlySpan<byte> utf8, WireReader<T> read, out T? value, out string? error)
        where T : class
    {
        try
        {
            var reader = new Utf8JsonReader(utf8, ReaderOptions);
            Next(ref reader);
            value = read(ref reader);
            EnsureEnd(ref reader);
            error = null;
            return true;
        }
        catch (Exception e) when (e is ShapeException or JsonException or InvalidOperationException)
        {
            value = null;
            error = e.Message;
            return false;
        }
    }

    private static RelayMessage ReadRelayMessage(ref Utf8JsonReader reader)
    {
        Expect(ref reader, JsonTokenType.StartArray, "a relay message must be a JSON array");
        var type = ReadSharedString(ref reader, "message type");
        RelayMessage message = type switch
        {
            "EVENT" => new RelayEventMessage(ReadSharedString(ref reader, "subscription id"), ReadEventAt(ref reader)),
            "OK" => ReadOk(ref reader),
            "EOSE" => new RelayEoseMessage(ReadString(ref reader, "subscription id")),
            "CLOSED" => new RelayClosedMessage(ReadString(ref reader, "subscription id"), ReadString(ref reader, "CLOSED message")),
            "NOTICE" => new RelayNoticeMessage(ReadString(ref reader, "NOTICE message")),
            "AUTH" => new RelayAuthMessage(ReadString(ref reader, "AUTH challenge")),
            "COUNT" => ReadCountResult(ref reader),
            _ => throw new ShapeException("unknown relay message type " + Truncate(type)),
        };
        Next(ref reader);
        Expect(ref reader, JsonTokenType.EndArray, $"{type} message has extra elements");
        return message;
    }

    private static ClientMessage ReadClientMessage(ref Utf8JsonReader reader)
    {
        Expect(ref reader, JsonTokenType.StartArray, "a client message must be a JSON array");
        var type = ReadString(ref reader, "message type");
        ClientMessage message;
        switch (type)
        {
            case "EVENT":
                message = new ClientEventMessage(ReadEventAt(ref reader));
                break;
            case "AUTH":
                message = new ClientAuthMessage(ReadEventAt(ref reader));
                break;
            case "CLOSE":
                message = new ClientCloseMessage(ReadSubscriptionId(ref reader));
                break;
            case "REQ":
            case "COUNT":
                // Filters run to the end of the array, so the closing bracket is already read here.
                var sub = ReadSubscriptionId(ref reader);
                var filters = new List<NostrFilter>();
                while (true)
                {
                    Next(ref reader);
                    if (reader.TokenType == JsonTokenType.EndArray)
                    {
                        break;
                    }

                    filters.Add(ReadFilter(ref reader));
                }

                if (filters.Count == 0)
                {
                    throw new ShapeException(type + " needs at least one filter");
                }

                return type == "REQ" ? new ClientReqMessage(sub, filters) : new ClientCountMessage(sub, filters);
            default:
                throw new ShapeException("unknown client message type " + Truncate(type));
        }

        Next(ref reader);
        Expect(ref reader, JsonTokenType.EndArray, $"{type} message has extra elements");
        return message;
    }

    public static string Serialize(RelayMessage message)
    {
        var b = new StringBuilder(128);
        switch (message)
        {
            case RelayEventMessage m:
                b.Append("[\"EVENT\",");
                JsStringEscaper.AppendQuoted(b, m.SubscriptionId);
                b.Append(',');
                AppendEvent(b, m.Event);
                break;
            case RelayOkMessage m:
                b.Append("[\"OK\",");
                JsStringEscaper.AppendQuoted(b, m.EventId);
                b.Append(m.Accepted ? ",true," : ",false,");
                JsStringEscaper.AppendQuoted(b, m.Message);
                break;
            case RelayEoseMessage m:
                b.Append("[\"EOSE\",");
                JsStringEscaper.AppendQuoted(b, m.SubscriptionId);
                break;
            case RelayClosedMessage m:
                b.Append("[\"CLOSED\",");
                JsStringEscaper.AppendQuoted(b, m.SubscriptionId);
                b.Append(',');
                JsStringEscaper.AppendQuoted(b, m.Message);
                break;
            case RelayNoticeMessage m:
                b.Append("[\"NOTICE\",");
                JsStringEscaper.AppendQuoted(b, m.Message);
                break;
            case RelayAuthMessage m:
                b.Append("[\"AUTH\",");
                JsStringEscaper.AppendQuoted(b, m.Challenge);
                break;
            case RelayCountMessage m:
                b.Append("[\"COUNT\",");
                JsStringEscaper.AppendQuoted(b, m.SubscriptionId);
                b.Append(",{\"count\":").Append(m.Count.ToString(CultureInfo.InvariantCulture));
                if (m.Approximate is { } approximate)
                {
                    b.Append(",\"approximate\":").Append(approximate ? "true" : "false");
                }

                b.Append('}');
                break;
            default:
                throw new ArgumentException("unknown relay message " + message.GetType().Name, nameof(message));
        }

        return b.Append(']').ToString();
    }

    public static string Serialize(ClientMessage message)
    {
        var b = new StringBuilder(128);
        switch (message)
        {
            case ClientEventMessage m:
                b.Append("[\"EVENT\",");
                AppendEvent(b, m.Event);
                break;
            case ClientAuthMessage m:
                b.Append("[\"AUTH\",");
                AppendEvent(b, m.Event);
                break;
            case ClientCloseMessage m:
                b.Append("[\"CLOSE\",");
                JsStringEscaper.AppendQuoted(b, m.SubscriptionId);
                break;
            case ClientReqMessage m:
                b.Append("[\"REQ\",");
                AppendSubscriptionAndFilters(b, m.SubscriptionId, m.Filters);
                break;
            case ClientCountMessage m:
                b.Append("[\"COUNT\",");
                AppendSubscriptionAndFilters(b, m.SubscriptionId, m.Filters);
                break;
            default:
                throw new ArgumentException("unknown client message " + message.GetType().Name, nameof(message));
        }

        return b.Append(']').ToString();
    }

    private static void AppendSubscriptionAndFilters(StringBuilder b, string sub, IReadOnlyList<NostrFilter> filters)
    {
        JsStringEscaper.AppendQuoted(b, sub);
        foreach (var filter in filters)
        {
            b.Append(',');
            AppendFilter(b, filter);
        }
    }

    private static string Truncate(string s) => s.Length <= 40 ? JsStringEscaper.Quote(s) : JsStringEscaper.Quote(s[..40]) + "...";

    /// <summary>Internal signal for a wrong shape; never escapes the Try methods.</summary>
    private sealed class ShapeException(string message) : Exception(message);
}
