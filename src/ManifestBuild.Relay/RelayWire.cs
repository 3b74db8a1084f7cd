using System.Text;
using ManifestBuild.Nostr;

namespace ManifestBuild.Relay;

/// <summary>The relay's outgoing messages, built as strings (events reuse their stored JSON).</summary>
internal static class RelayWire
{
    public static string Event(string quotedSubscriptionId, StoredEvent stored) =>
        new StringBuilder(stored.Json.Length + quotedSubscriptionId.Length + 12)
            .Append("[\"EVENT\",").Append(quotedSubscriptionId).Append(',').Append(stored.Json).Append(']').ToString();

    public static string Ok(string eventId, bool accepted, string message) =>
        NostrJson.Serialize(new RelayOkMessage(eventId, accepted, message));

    public static string Eose(string subscriptionId) => NostrJson.Serialize(new RelayEoseMessage(subscriptionId));

    public static string Closed(string subscriptionId, string message) => NostrJson.Serialize(new RelayClosedMessage(subscriptionId, message));

    public static string Notice(string message) => NostrJson.Serialize(new RelayNoticeMessage(message));

    public static string Count(string subscriptionId, long count) => NostrJson.Serialize(new RelayCountMessage(subscriptionId, count));
}
