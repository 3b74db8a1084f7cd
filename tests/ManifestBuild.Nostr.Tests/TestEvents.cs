namespace ManifestBuild.Nostr.Tests;

/// <summary>Signed events made at test time with keys generated at test time.</summary>
internal static class TestEvents
{
    public static readonly NostrFilter ListingFilter = new NostrFilter { Kinds = [NostrKinds.HandlerInformation] }.WithTag("k", "complexity");

    public static NostrEvent Listing(NostrKeyPair key, string compiledId, long createdAt, string family = "complexity", string content = "{}") =>
        key.Sign(NostrKinds.HandlerInformation, [["d", "dsrs-manifest:" + compiledId], ["k", family], ["t", "rust"], ["x", compiledId]], content, createdAt);

    public static List<NostrEvent> Listings(NostrKeyPair key, int count, long createdAt = 1_700_000_000, string prefix = "id") =>
        Enumerable.Range(0, count).Select(i => Listing(key, $"{prefix}{i:D4}", createdAt + i)).ToList();

    /// <summary>The same event with different content but the original id and signature: the id check must fail.</summary>
    public static NostrEvent WithBadId(NostrEvent e) => e with { Content = e.Content + " (altered)" };

    /// <summary>The same event with one signature nibble flipped: the signature check must fail.</summary>
    public static NostrEvent WithBadSig(NostrEvent e) => e with { Sig = (e.Sig[0] == '0' ? "1" : "0") + e.Sig[1..] };
}
