using System.Text;
using ManifestBuild.Nostr;

namespace ManifestBuild.Relay;

/// <summary>
/// An accepted event with its wire JSON encoded once, as the UTF-8 that is sent: every subscriber
/// reuses the same bytes, so answering a REQ allocates nothing per event.
/// </summary>
internal sealed class StoredEvent
{
    public StoredEvent(NostrEvent nostrEvent, string json)
    {
        Event = nostrEvent;
        Utf8Json = Encoding.UTF8.GetBytes(json);
    }

    public NostrEvent Event { get; }

    public byte[] Utf8Json { get; }

    /// <summary>The wire JSON as text (for the event log).</summary>
    public string Json => Encoding.UTF8.GetString(Utf8Json);

    /// <summary>Newest first, then lowest id first: the order NIP-01 asks for under a limit.</summary>
    public static int CompareNewestFirst(StoredEvent? a, StoredEvent? b)
    {
        if (ReferenceEquals(a, b))
        {
            return 0;
        }

        if (a is null)
        {
            return 1;
        }

        if (b is null)
        {
            return -1;
        }

        var byTime = b.Event.CreatedAt.CompareTo(a.Event.CreatedAt);
        return byTime != 0 ? byTime : string.CompareOrdinal(a.Event.Id, b.Event.Id);
    }
}
