namespace ManifestBuild.Nostr.Relays;

/// <summary>Up to <see cref="Capacity"/> unverified events from one relay, handed to a verifier at once.</summary>
internal sealed class EventBatch(RelayQueryState state)
{
    /// <summary>
    /// Big enough that hand-offs are rare and batch verification pays off (about 1.7x at 128),
    /// small enough that every core gets work from a short answer.
    /// </summary>
    public const int Capacity = 128;

    private readonly NostrEvent[] events = new NostrEvent[Capacity];

    public RelayQueryState State { get; } = state;

    public int Count { get; private set; }

    public bool IsFull => Count == Capacity;

    public NostrEvent this[int index] => events[index];

    public void Add(NostrEvent e) => events[Count++] = e;
}
