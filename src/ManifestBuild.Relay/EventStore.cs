using ManifestBuild.Nostr;

namespace ManifestBuild.Relay;

/// <summary>
/// The relay's events in memory, indexed by id, kind, author, single-letter tag and address, so a
/// query touches only the smallest matching index instead of every event. Applies NIP-01
/// replacement (newest wins, ties to the lowest id) and NIP-09 deletion. Not thread-safe on its
/// own: <see cref="RelayHub"/> serialises writers and lets readers share.
/// </summary>
internal sealed class EventStore
{
    private readonly Dictionary<string, StoredEvent> byId = new(StringComparer.Ordinal);
    private readonly Dictionary<int, HashSet<StoredEvent>> byKind = [];
    private readonly Dictionary<string, HashSet<StoredEvent>> byAuthor = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<StoredEvent>> byTag = new(StringComparer.Ordinal);
    private readonly Dictionary<string, StoredEvent> byAddress = new(StringComparer.Ordinal);

    // NIP-09: ids deleted by their author (id -> author), and addresses deleted up to a time.
    private readonly Dictionary<string, string> deletedIds = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> deletedAddresses = new(StringComparer.Ordinal);

    public int Count => byId.Count;

    public IEnumerable<StoredEvent> All => byId.Values;

    public bool Contains(string id) => byId.ContainsKey(id);

    /// <summary>Stores the event unless it is a duplicate, superseded or deleted; ephemeral ones are never stored.</summary>
    public StoreOutcome Add(StoredEvent stored)
    {
        var e = stored.Event;
        if (e.IsEphemeral)
        {
            return StoreOutcome.Ephemeral;
        }

        if (byId.ContainsKey(e.Id))
        {
            return StoreOutcome.Duplicate;
        }

        if (IsDeleted(e))
        {
            return StoreOutcome.Deleted;
        }

        var address = e.Address;
        if (address is not null && byAddress.TryGetValue(address, out var current))
        {
            if (!NostrEvent.Supersedes(e, current.Event))
            {
                return StoreOutcome.Superseded;
            }

            Remove(current);
        }

        Index(stored);
        if (e.Kind == DeletionKind)
        {
            ApplyDeletion(e);
        }

        return StoreOutcome.Stored;
    }

    /// <summary>
    /// The events matching the filter, newest first (ties: lowest id), at most the filter's limit
    /// clamped to <paramref name="maxLimit"/>. Tag filters with multi-letter names are ignored, as
    /// real relays do (clients re-apply them).
    /// </summary>
    public List<StoredEvent> Query(NostrFilter filter, int maxLimit)
    {
        var limit = Math.Min(filter.Limit ?? maxLimit, maxLimit);
        var effective = filter.WithoutUnindexedTags();
        var matches = new List<StoredEvent>();
        if (limit <= 0)
        {
            return matches;
        }

        foreach (var candidate in Candidates(effective))
        {
            if (effective.Matches(candidate.Event))
            {
                matches.Add(candidate);
            }
        }

        matches.Sort(StoredEvent.CompareNewestFirst);
        if (matches.Count > limit)
        {
            matches.RemoveRange(limit, matches.Count - limit);
        }

        return matches;
    }

    private const int DeletionKind = 5;

    /// <summary>The smallest indexed set that contains every match (a superset, checked by Matches afterwards).</summary>
    private IEnumerable<StoredEvent> Candidates(NostrFilter filter)
    {
        IEnumerable<StoredEvent>? best = null;
        var bestSize = long.MaxValue;

        void Consider(IEnumerable<StoredEvent> candidates, long size)
        {
            if (size < bestSize)
            {
                best = candidates;
                bestSize = size;
            }
        }

        if (filter.Ids is { } ids)
        {
            Consider(LookupIds(ids), ids.Count);
        }

        if (filter.Authors is { } authors)
        {
            Consider(Union(authors.Distinct(StringComparer.Ordinal).Select(a => byAuthor.GetValueOrDefault(a))), SizeOf(authors, byAuthor));
        }

        if (filter.Kinds is { } kinds)
        {
            var sets = kinds.Distinct().Select(k => byKind.GetValueOrDefault(k)).ToList();
            Consider(Union(sets), sets.Sum(s => (long)(s?.Count ?? 0)));
        }

        foreach (var (name, values) in filter.Tags)
        {
            var keys = values.Select(v => TagKey(name, v)).ToList();
            Consider(UnionDistinct(keys.Select(k => byTag.GetValueOrDefault(k))), SizeOf(keys, byTag));
        }

        return best ?? byId.Values;
    }

    private IEnumerable<StoredEvent> LookupIds(IReadOnlyList<string> ids)
    {
        foreach (var id in ids.Distinct(StringComparer.Ordinal))
        {
            if (byId.TryGetValue(id, out var stored))
            {
                yield return stored;
            }
        }
    }

    // An event has one kind and one author, so those sets are disjoint and need no de-duplication.
    private static IEnumerable<StoredEvent> Union(IEnumerable<HashSet<StoredEvent>?> sets) =>
        sets.Where(s => s is not null).SelectMany(s => s!);

    // One event can carry several values of the same tag.
    private static IEnumerable<StoredEvent> UnionDistinct(IEnumerable<HashSet<StoredEvent>?> sets)
    {
        var nonEmpty = sets.Where(s => s is { Count: > 0 }).ToList();
        return nonEmpty.Count == 1 ? nonEmpty[0]! : nonEmpty.SelectMany(s => s!).Distinct();
    }

    private static long SizeOf(IEnumerable<string> keys, Dictionary<string, HashSet<StoredEvent>> index) =>
        keys.Distinct(StringComparer.Ordinal).Sum(k => (long)(index.GetValueOrDefault(k)?.Count ?? 0));

    private static string TagKey(string name, string value) => name + ":" + value;

    private bool IsDeleted(NostrEvent e)
    {
        if (deletedIds.TryGetValue(e.Id, out var deleter) && string.Equals(deleter, e.PubKey, StringComparison.Ordinal))
        {
            return true;
        }

        return e.Address is { } address && deletedAddresses.TryGetValue(address, out var until) && e.CreatedAt <= until;
    }

    /// <summary>NIP-09: removes the author's own events named by e tags and a tags (a: versions up to the request's time).</summary>
    private void ApplyDeletion(NostrEvent request)
    {
        foreach (var id in request.TagValues("e"))
        {
            if (byId.TryGetValue(id, out var target))
            {
                if (target.Event.Kind == DeletionKind || !string.Equals(target.Event.PubKey, request.PubKey, StringComparison.Ordinal))
                {
                    continue;
                }

                Remove(target);
            }

            deletedIds[id] = request.PubKey;
        }

        foreach (var address in request.TagValues("a"))
        {
            var parts = address.Split(':', 3);
            if (parts.Length != 3 || !string.Equals(parts[1], request.PubKey, StringComparison.Ordinal))
            {
                continue;
            }

            if (!deletedAddresses.TryGetValue(address, out var until) || until < request.CreatedAt)
            {
                deletedAddresses[address] = request.CreatedAt;
            }

            if (byAddress.TryGetValue(address, out var target) && target.Event.CreatedAt <= request.CreatedAt)
            {
                Remove(target);
            }
        }
    }

    private void Index(StoredEvent stored)
    {
        var e = stored.Event;
        byId.Add(e.Id, stored);
        AddTo(byKind, e.Kind, stored);
        AddTo(byAuthor, e.PubKey, stored);
        foreach (var tag in e.Tags)
        {
            if (tag.Count >= 2 && NostrFilter.IsIndexableTagName(tag[0]))
            {
                AddTo(byTag, TagKey(tag[0], tag[1]), stored);
            }
        }

        if (e.Address is { } address)
        {
            byAddress[address] = stored;
        }
    }

    private void Remove(StoredEvent stored)
    {
        var e = stored.Event;
        byId.Remove(e.Id);
        RemoveFrom(byKind, e.Kind, stored);
        RemoveFrom(byAuthor, e.PubKey, stored);
        foreach (var tag in e.Tags)
        {
            if (tag.Count >= 2 && NostrFilter.IsIndexableTagName(tag[0]))
            {
                RemoveFrom(byTag, TagKey(tag[0], tag[1]), stored);
            }
        }

        if (e.Address is { } address && byAddress.TryGetValue(address, out var current) && ReferenceEquals(current, stored))
        {
            byAddress.Remove(address);
        }
    }

    private static void AddTo<TKey>(Dictionary<TKey, HashSet<StoredEvent>> index, TKey key, StoredEvent stored)
        where TKey : notnull
    {
        if (!index.TryGetValue(key, out var set))
        {
            set = [];
            index.Add(key, set);
        }

        set.Add(stored);
    }

    private static void RemoveFrom<TKey>(Dictionary<TKey, HashSet<StoredEvent>> index, TKey key, StoredEvent stored)
        where TKey : notnull
    {
        if (index.TryGetValue(key, out var set) && set.Remove(stored) && set.Count == 0)
        {
            index.Remove(key);
        }
    }
}
