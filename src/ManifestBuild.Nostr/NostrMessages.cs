namespace ManifestBuild.Nostr;

/// <summary>A message a relay sends to a client (NIP-01, NIP-42, NIP-45).</summary>
public abstract record RelayMessage;

/// <summary><c>["EVENT", sub, event]</c>.</summary>
public sealed record RelayEventMessage(string SubscriptionId, NostrEvent Event) : RelayMessage;

/// <summary><c>["OK", event id, accepted, message]</c>; the message may carry a machine prefix (<c>duplicate:</c>, <c>blocked:</c>, ...).</summary>
public sealed record RelayOkMessage(string EventId, bool Accepted, string Message) : RelayMessage;

/// <summary><c>["EOSE", sub]</c>: stored events are done, live ones follow.</summary>
public sealed record RelayEoseMessage(string SubscriptionId) : RelayMessage;

/// <summary><c>["CLOSED", sub, message]</c>: the relay ended or refused a subscription.</summary>
public sealed record RelayClosedMessage(string SubscriptionId, string Message) : RelayMessage;

/// <summary><c>["NOTICE", message]</c>.</summary>
public sealed record RelayNoticeMessage(string Message) : RelayMessage;

/// <summary><c>["AUTH", challenge]</c> (NIP-42).</summary>
public sealed record RelayAuthMessage(string Challenge) : RelayMessage;

/// <summary><c>["COUNT", sub, {"count": n, "approximate"?: bool}]</c> (NIP-45).</summary>
public sealed record RelayCountMessage(string SubscriptionId, long Count, bool? Approximate = null) : RelayMessage;

/// <summary>A message a client sends to a relay.</summary>
public abstract record ClientMessage;

/// <summary><c>["EVENT", event]</c>: publish.</summary>
public sealed record ClientEventMessage(NostrEvent Event) : ClientMessage;

/// <summary><c>["REQ", sub, filter, ...]</c>.</summary>
public sealed record ClientReqMessage(string SubscriptionId, IReadOnlyList<NostrFilter> Filters) : ClientMessage;

/// <summary><c>["CLOSE", sub]</c>.</summary>
public sealed record ClientCloseMessage(string SubscriptionId) : ClientMessage;

/// <summary><c>["AUTH", signed kind-22242 event]</c> (NIP-42).</summary>
public sealed record ClientAuthMessage(NostrEvent Event) : ClientMessage;

/// <summary><c>["COUNT", sub, filter, ...]</c> (NIP-45).</summary>
public sealed record ClientCountMessage(string SubscriptionId, IReadOnlyList<NostrFilter> Filters) : ClientMessage;

/// <summary>The machine-readable prefixes of OK and CLOSED messages (NIP-01).</summary>
public static class RelayMessagePrefix
{
    public const string Duplicate = "duplicate";
    public const string Pow = "pow";
    public const string Blocked = "blocked";
    public const string RateLimited = "rate-limited";
    public const string Invalid = "invalid";
    public const string Restricted = "restricted";
    public const string Mute = "mute";
    public const string Error = "error";
    public const string AuthRequired = "auth-required";

    /// <summary>The prefix before the first ':' of a relay message ("" when there is none).</summary>
    public static string Of(string? message)
    {
        if (string.IsNullOrEmpty(message))
        {
            return string.Empty;
        }

        var colon = message.IndexOf(':');
        return colon > 0 ? message[..colon].Trim() : string.Empty;
    }
}
