using ManifestBuild.Nostr;

namespace ManifestBuild.Relay.Tests;

/// <summary>Compares events field by field (the record's Tags list compares by reference).</summary>
internal sealed class EventComparer : IEqualityComparer<NostrEvent>
{
    public static readonly EventComparer Instance = new();

    public bool Equals(NostrEvent? x, NostrEvent? y) =>
        x is not null && y is not null
        && x.Id == y.Id && x.PubKey == y.PubKey && x.CreatedAt == y.CreatedAt && x.Kind == y.Kind
        && x.Content == y.Content && x.Sig == y.Sig
        && x.Tags.Count == y.Tags.Count
        && x.Tags.Zip(y.Tags).All(p => p.First.SequenceEqual(p.Second));

    public int GetHashCode(NostrEvent obj) => obj.Id.GetHashCode(StringComparison.Ordinal);
}
