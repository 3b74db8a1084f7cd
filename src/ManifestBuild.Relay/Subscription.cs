using ManifestBuild.Nostr;

namespace ManifestBuild.Relay;

/// <summary>An open REQ on one connection: its filters, and its id pre-quoted for outgoing EVENTs.</summary>
internal sealed class Subscription
{
    public Subscription(string id, IReadOnlyList<NostrFilter> filters)
    {
        Id = id;
        QuotedId = JsStringEscaper.Quote(id);
        QuotedIdUtf8 = System.Text.Encoding.UTF8.GetBytes(QuotedId);

        // Live events get the same treatment as stored ones: multi-letter tag filters are ignored.
        Filters = filters.Select(f => f.WithoutUnindexedTags()).ToArray();
    }

    public string Id { get; }

    public string QuotedId { get; }

    public byte[] QuotedIdUtf8 { get; }

    public IReadOnlyList<NostrFilter> Filters { get; }

    public bool Matches(NostrEvent e) => NostrFilter.MatchesAny(Filters, e);
}
