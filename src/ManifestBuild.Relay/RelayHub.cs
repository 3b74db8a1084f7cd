using System.Collections.Concurrent;
using ManifestBuild.Format;
using ManifestBuild.Nostr;

namespace ManifestBuild.Relay;

/// <summary>
/// The relay's shared state: the event store, the data file and the open connections. A write
/// (store + append + broadcast) holds the lock exclusively; a REQ (query + register + queue the
/// results and EOSE) holds it shared. So every subscriber sees each event exactly once, either in
/// its stored results before EOSE or live after it, and queries run in parallel.
/// </summary>
internal sealed class RelayHub : IDisposable
{
    private readonly ReaderWriterLockSlim gate = new(LockRecursionPolicy.NoRecursion);
    private readonly EventStore store = new();
    private readonly ConcurrentDictionary<RelayConnection, byte> connections = new();
    private readonly EventLog? log;

    public RelayHub(EmbeddedRelayOptions options)
    {
        Options = options;
        if (options.DataPath is not null)
        {
            log = EventLog.Open(options.DataPath, out var lines);
            Replay(lines);
        }
    }

    public EmbeddedRelayOptions Options { get; }

    /// <summary>Lines of the data file that could not be replayed (corrupt or with a wrong id).</summary>
    public int SkippedOnReplay { get; private set; }

    public int EventCount
    {
        get
        {
            gate.EnterReadLock();
            try
            {
                return store.Count;
            }
            finally
            {
                gate.ExitReadLock();
            }
        }
    }

    public int ConnectionCount => connections.Count;

    private int subscriptionsOpened;

    /// <summary>REQs served since the start (refused ones not counted).</summary>
    public int SubscriptionsOpened => Volatile.Read(ref subscriptionsOpened);

    public void Attach(RelayConnection connection) => connections.TryAdd(connection, 0);

    public void Detach(RelayConnection connection) => connections.TryRemove(connection, out _);

    /// <summary>Validates, stores and broadcasts an event; returns the OK message's accepted flag and text.</summary>
    public (bool Accepted, string Message) Publish(NostrEvent e)
    {
        if (e.Tags.Count > Options.MaxEventTags)
        {
            return (false, $"invalid: {e.Tags.Count} tags, more than the relay's limit of {Options.MaxEventTags}");
        }

        if (e.Content.Length > Options.MaxContentLength)
        {
            return (false, $"invalid: content of {e.Content.Length} characters, more than the relay's limit of {Options.MaxContentLength}");
        }

        if (IsStored(e.Id))
        {
            // The id is the hash of the content, so the stored copy is this event; skip the costly check.
            return (true, "duplicate: already have this event");
        }

        var problem = NostrEventVerifier.Verify(e) switch
        {
            EventVerification.Valid => null,
            EventVerification.BadId => "invalid: event id does not match the hash of its content",
            EventVerification.BadPublicKey => "invalid: pubkey is not a valid secp256k1 x-only key",
            EventVerification.BadSignature => "invalid: signature does not verify",
            _ => "invalid: id, pubkey or sig is not lowercase hex of the right length",
        };
        if (problem is not null)
        {
            return (false, problem);
        }

        var stored = new StoredEvent(e, NostrJson.SerializeEvent(e));
        gate.EnterWriteLock();
        try
        {
            var outcome = store.Add(stored);
            if (outcome == StoreOutcome.Stored && log is not null)
            {
                try
                {
                    log.Append(stored.Json);
                }
                catch (DsrsException)
                {
                    // The event stays in memory for this run; the client learns it was not saved.
                    return (false, "error: the relay could not save the event to its data file");
                }
            }

            if (outcome is StoreOutcome.Stored or StoreOutcome.Ephemeral)
            {
                Broadcast(stored);
            }

            return outcome switch
            {
                StoreOutcome.Stored or StoreOutcome.Ephemeral => (true, string.Empty),
                StoreOutcome.Duplicate => (true, "duplicate: already have this event"),
                StoreOutcome.Superseded => (true, "duplicate: a newer version of this replaceable event is stored"),
                _ => (false, "blocked: this event was deleted by its author"),
            };
        }
        finally
        {
            gate.ExitWriteLock();
        }
    }

    /// <summary>Opens (or replaces) a subscription and queues its stored events, newest first, then EOSE.</summary>
    public void Subscribe(RelayConnection connection, Subscription subscription)
    {
        Interlocked.Increment(ref subscriptionsOpened);
        gate.EnterReadLock();
        try
        {
            var results = QueryLocked(subscription.Filters);
            connection.SetSubscription(subscription);
            foreach (var stored in results)
            {
                if (!connection.Enqueue(OutgoingMessage.Event(subscription, stored)))
                {
                    return;
                }
            }

            connection.Enqueue(RelayWire.Eose(subscription.Id));
        }
        finally
        {
            gate.ExitReadLock();
        }
    }

    /// <summary>Closes a subscription; under the shared lock so a broadcast never sees a half-changed set.</summary>
    public void Unsubscribe(RelayConnection connection, string subscriptionId)
    {
        gate.EnterReadLock();
        try
        {
            connection.RemoveSubscription(subscriptionId);
        }
        finally
        {
            gate.ExitReadLock();
        }
    }

    /// <summary>The stored events matching any of the filters (each filter's own limit), newest first.</summary>
    public IReadOnlyList<NostrEvent> Query(IReadOnlyList<NostrFilter> filters)
    {
        gate.EnterReadLock();
        try
        {
            return QueryLocked(filters).Select(s => s.Event).ToList();
        }
        finally
        {
            gate.ExitReadLock();
        }
    }

    public void Dispose()
    {
        log?.Dispose();
        gate.Dispose();
    }

    private bool IsStored(string id)
    {
        gate.EnterReadLock();
        try
        {
            return store.Contains(id);
        }
        finally
        {
            gate.ExitReadLock();
        }
    }

    private List<StoredEvent> QueryLocked(IReadOnlyList<NostrFilter> filters)
    {
        if (filters.Count == 1)
        {
            return store.Query(filters[0], Options.MaxLimit);
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var results = new List<StoredEvent>();
        foreach (var filter in filters)
        {
            foreach (var stored in store.Query(filter, Options.MaxLimit))
            {
                if (seen.Add(stored.Event.Id))
                {
                    results.Add(stored);
                }
            }
        }

        results.Sort(StoredEvent.CompareNewestFirst);
        return results;
    }

    private void Broadcast(StoredEvent stored)
    {
        foreach (var connection in connections.Keys)
        {
            connection.Deliver(stored);
        }
    }

    private void Replay(List<string> lines)
    {
        foreach (var line in lines)
        {
            // The file holds only events this relay verified before writing them; checking the id
            // catches corruption without paying for 10,000 signature checks at every start.
            if (!NostrJson.TryParseEvent(line, out var e, out _) || e is null || !string.Equals(NostrEventId.Compute(e), e.Id, StringComparison.Ordinal))
            {
                SkippedOnReplay++;
                continue;
            }

            store.Add(new StoredEvent(e, line));
        }

        // Replaced and deleted versions stay in the file until a start finds them to be most of it.
        var dead = lines.Count - store.Count;
        if (dead > 256 && dead > store.Count)
        {
            log!.Rewrite(store.All.Select(s => s.Json));
        }
    }
}
