using ManifestBuild.Nostr;

namespace ManifestBuild.Relay;

/// <summary>An accepted event with its wire JSON serialized once (every subscriber reuses it).</summary>
internal sealed class StoredEvent
{
    public StoredEvent(NostrEvent nostrEvent, string json)
    {
        Event = nostrEvent;
        Json = json;
    }

    public NostrEvent Event { get; }

    public string Json { get; }

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
