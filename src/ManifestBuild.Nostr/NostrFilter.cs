namespace ManifestBuild.Nostr;

/// <summary>
/// A NIP-01 filter. Within a list every condition must hold (AND); a list matches when the event's
/// value is one of its entries (OR); an empty list matches nothing. Tag filters are keyed by tag
/// name without the '#': NIP-01 defines single letters, and <see cref="Matches"/> applies every
/// tag filter present, so a multi-letter filter that relays silently ignore is still enforced here.
/// </summary>
public sealed record NostrFilter
{
    public IReadOnlyList<string>? Ids { get; init; }

    public IReadOnlyList<string>? Authors { get; init; }

    public IReadOnlyList<int>? Kinds { get; init; }

    /// <summary>Tag name (e.g. "t", without '#') to accepted values.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Tags { get; init; } = EmptyTags;

    public long? Since { get; init; }

    public long? Until { get; init; }

    public int? Limit { get; init; }

    private static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> EmptyTags =
        new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);

    /// <summary>A copy with one more tag filter (replacing any existing one for that name).</summary>
    public NostrFilter WithTag(string name, params string[] values)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var tags = new Dictionary<string, IReadOnlyList<string>>(Tags, StringComparer.Ordinal)
        {
            [name.StartsWith('#') ? name[1..] : name] = values.ToArray(),
        };
        return this with { Tags = tags };
    }

    /// <summary>True for tag names relays index: exactly one ASCII letter.</summary>
    public static bool IsIndexableTagName(string name) =>
        name.Length == 1 && ((name[0] >= 'a' && name[0] <= 'z') || (name[0] >= 'A' && name[0] <= 'Z'));

    /// <summary>A copy without the tag filters relays ignore (multi-letter names), as a real relay sees it.</summary>
    public NostrFilter WithoutUnindexedTags() => this with
    {
        Tags = Tags.Where(t => IsIndexableTagName(t.Key)).ToDictionary(t => t.Key, t => t.Value, StringComparer.Ordinal),
    };

    /// <summary>NIP-01 matching: ids, authors, kinds, every tag filter, since (inclusive), until (inclusive). Limit does not affect matching.</summary>
    public bool Matches(NostrEvent e)
    {
        if (Ids is not null && !Contains(Ids, e.Id))
        {
            return false;
        }

        if (Authors is not null && !Contains(Authors, e.PubKey))
        {
            return false;
        }

        if (Kinds is not null && !Kinds.Contains(e.Kind))
        {
            return false;
        }

        if (Since is { } since && e.CreatedAt < since)
        {
            return false;
        }

        if (Until is { } until && e.CreatedAt > until)
        {
            return false;
        }

        foreach (var (name, values) in Tags)
        {
            if (!HasTagWithValue(e, name, values))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>True when the event matches at least one of the filters (a REQ's semantics).</summary>
    public static bool MatchesAny(IReadOnlyList<NostrFilter> filters, NostrEvent e)
    {
        foreach (var filter in filters)
        {
            if (filter.Matches(e))
            {
                return true;
            }
        }

        return false;
    }

    public string ToJson() => NostrJson.SerializeFilter(this);

    private static bool HasTagWithValue(NostrEvent e, string name, IReadOnlyList<string> values)
    {
        foreach (var tag in e.Tags)
        {
            if (tag.Count >= 2 && string.Equals(tag[0], name, StringComparison.Ordinal) && Contains(values, tag[1]))
            {
                return true;
            }
        }

        return false;
    }

    private static bool Contains(IReadOnlyList<string> list, string value)
    {
        for (var i = 0; i < list.Count; i++)
        {
            if (string.Equals(list[i], value, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
