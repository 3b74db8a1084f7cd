using ManifestBuild.Nostr;

namespace ManifestBuild.Relay.Tests;

/// <summary>Builders for signed test events (keys generated per test, so tests never see each other's events).</summary>
internal static class TestEvents
{
    public static readonly long Now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    public static IReadOnlyList<IReadOnlyList<string>> Tags(params string[][] tags) => tags;

    public static string[] Tag(params string[] items) => items;

    public static NostrEvent Note(NostrKeyPair key, string content, long? createdAt = null, params string[][] tags) =>
        key.Sign(NostrKinds.TextNote, tags, content, createdAt ?? Now);

    /// <summary>A kind 31990 ManifestBuild listing with the protocol's tags (d, k, t, domain, x, name).</summary>
    public static NostrEvent Listing(NostrKeyPair key, string family, string[] domains, string? compiledId = null, long? createdAt = null, string content = "{}")
    {
        compiledId ??= RandomHex(32);
        var tags = new List<IReadOnlyList<string>>
        {
            Tag("d", "dsrs-manifest:" + compiledId),
            Tag("k", family),
        };
        tags.AddRange(domains.Select(d => Tag("t", d)));
        tags.AddRange(domains.Select(d => Tag("domain", d)));
        tags.Add(Tag("x", compiledId));
        tags.Add(Tag("name", "ComplexityClassificationSignature"));
        return key.Sign(NostrKinds.HandlerInformation, tags, content, createdAt ?? Now);
    }

    /// <summary>Two events for the same address with the same created_at, returned (lower id, higher id).</summary>
    public static (NostrEvent Lower, NostrEvent Higher) SameTimeVersions(NostrKeyPair key, int kind, string d, long createdAt)
    {
        var a = key.Sign(kind, [Tag("d", d)], "version a", createdAt);
        var b = key.Sign(kind, [Tag("d", d)], "version b", createdAt);
        return string.CompareOrdinal(a.Id, b.Id) < 0 ? (a, b) : (b, a);
    }

    public static string RandomHex(int bytes) => Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(bytes)).ToLowerInvariant();

    public static string Unique(string prefix) => prefix + "-" + RandomHex(6);
}
