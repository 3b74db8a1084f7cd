namespace ManifestBuild.Nostr;

/// <summary>
/// A NIP-01 event as it travels on the wire. Construct signed events with <see cref="NostrKeyPair.Sign"/>;
/// events from relays come from <see cref="NostrJson"/> and must pass <see cref="NostrEventVerifier"/>
/// before anything trusts them.
/// </summary>
public sealed record NostrEvent(
    string Id,
    string PubKey,
    long CreatedAt,
    int Kind,
    IReadOnlyList<IReadOnlyList<string>> Tags,
    string Content,
    string Sig)
{
    /// <summary>NIP-01: kinds 0, 3 and 10000-19999 keep only the newest event per (kind, pubkey).</summary>
    public bool IsReplaceable => NostrKinds.IsReplaceable(Kind);

    /// <summary>NIP-01: kinds 20000-29999 are not stored by relays.</summary>
    public bool IsEphemeral => NostrKinds.IsEphemeral(Kind);

    /// <summary>NIP-01: kinds 30000-39999 keep only the newest event per (kind, pubkey, d tag).</summary>
    public bool IsAddressable => NostrKinds.IsAddressable(Kind);

    /// <summary>The first <c>d</c> tag's value, or "" when there is none (NIP-01 treats a missing d as "").</summary>
    public string DTag => FirstTagValue("d") ?? string.Empty;

    /// <summary>The <c>kind:pubkey:d</c> coordinate of an addressable or replaceable event (d is "" for replaceable), else null.</summary>
    public string? Address => IsAddressable
        ? $"{Kind}:{PubKey}:{DTag}"
        : IsReplaceable ? $"{Kind}:{PubKey}:" : null;

    /// <summary>The value (index 1) of the first tag named <paramref name="name"/>, or null.</summary>
    public string? FirstTagValue(string name)
    {
        foreach (var tag in Tags)
        {
            if (tag.Count >= 2 && string.Equals(tag[0], name, StringComparison.Ordinal))
            {
                return tag[1];
            }
        }

        return null;
    }

    /// <summary>The values (index 1) of every tag named <paramref name="name"/>, in order.</summary>
    public IReadOnlyList<string> TagValues(string name)
    {
        List<string>? values = null;
        foreach (var tag in Tags)
        {
            if (tag.Count >= 2 && string.Equals(tag[0], name, StringComparison.Ordinal))
            {
                (values ??= []).Add(tag[1]);
            }
        }

        return values ?? (IReadOnlyList<string>)Array.Empty<string>();
    }

    /// <summary>Every tag named <paramref name="name"/> (whole tags, with all their elements).</summary>
    public IEnumerable<IReadOnlyList<string>> TagsNamed(string name) =>
        Tags.Where(t => t.Count >= 1 && string.Equals(t[0], name, StringComparison.Ordinal));

    /// <summary>True when some tag is exactly [name, value, ...].</summary>
    public bool HasTag(string name, string value)
    {
        foreach (var tag in Tags)
        {
            if (tag.Count >= 2 && string.Equals(tag[0], name, StringComparison.Ordinal) && string.Equals(tag[1], value, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The event's wire JSON (NIP-01 object).</summary>
    public string ToJson() => NostrJson.SerializeEvent(this);

    /// <summary>
    /// Which of two versions of the same replaceable/addressable event wins under NIP-01:
    /// the newer created_at, and on a tie the lexically lowest id.
    /// </summary>
    public static bool Supersedes(NostrEvent candidate, NostrEvent current) =>
        candidate.CreatedAt > current.CreatedAt ||
        (candidate.CreatedAt == current.CreatedAt && string.CompareOrdinal(candidate.Id, current.Id) < 0);
}

/// <summary>Kind numbers ManifestBuild uses and the NIP-01 kind ranges.</summary>
public static class NostrKinds
{
    public const int Metadata = 0;
    public const int TextNote = 1;
    public const int Contacts = 3;
    public const int Label = 1985;
    public const int ClientAuthentication = 22242;
    public const int HandlerInformation = 31990;

    public static bool IsReplaceable(int kind) => kind == 0 || kind == 3 || (kind >= 10000 && kind < 20000);

    public static bool IsEphemeral(int kind) => kind >= 20000 && kind < 30000;

    public static bool IsAddressable(int kind) => kind >= 30000 && kind < 40000;
}
