using System.Globalization;
using ManifestBuild.Format;
using ManifestBuild.Nostr;

namespace ManifestBuild.Market.Listings;

/// <summary>
/// The tag reading and checks every content-addressed kind 31990 listing shares (a manifest's, a
/// dataset's): the kind, the d tag's prefix and id with its x tag, the price, a paid listing's L402
/// URL and node, the domains, the relay filter and the query's common misses, and NIP-01's newest
/// rule. What differs per kind (the content's document, a free listing's hash, no examples in a paid
/// dataset) stays in its parser. Each check returns the reason it fails, or null.
/// </summary>
internal static class ListingTags
{
    /// <summary>A kind's parser: the listing, or false and why.</summary>
    public delegate bool TryParser<T>(VerifiedEvent e, out T? listing, out string reason);

    /// <summary>Parses one event and applies the query's filters: the listing, or null with why added to <paramref name="rejected"/>.</summary>
    public static T? Admit<T>(VerifiedEvent e, TryParser<T> tryParse, Func<T, string?>? firstMiss, List<RejectedListing> rejected)
        where T : class
    {
        if (!tryParse(e, out var listing, out var reason))
        {
            rejected.Add(new RejectedListing(e.Id, e.PubKey, reason));
            return null;
        }

        if (firstMiss?.Invoke(listing!) is { } miss)
        {
            rejected.Add(new RejectedListing(e.Id, e.PubKey, "does not match the query: " + miss));
            return null;
        }

        return listing;
    }

    public static string? Kind(NostrEvent e) => e.Kind == NostrKinds.HandlerInformation ? null : $"kind {e.Kind} is not 31990";

    /// <summary>d = prefix + id (64 lowercase hex) and x = id; <paramref name="idName"/> names the id in the reason.</summary>
    public static string? ContentAddress(NostrEvent e, string prefix, string idName, out string id)
    {
        id = string.Empty;
        var d = e.FirstTagValue("d");
        if (d is null || !d.StartsWith(prefix, StringComparison.Ordinal))
        {
            return $"the d tag is not {prefix}<{idName}>";
        }

        id = d[prefix.Length..];
        if (!CompiledId.IsWellFormed(id))
        {
            return $"the d tag's {idName} is not 64 lowercase hex";
        }

        return e.FirstTagValue("x") == id ? null : $"the x tag does not equal the d tag's {idName}";
    }

    public static string? ContentSize(NostrEvent e, int maxChars, string limit) =>
        e.Content.Length > maxChars ? "the content is larger than " + limit : null;

    /// <summary>The price tag in millisats; absent is free (0).</summary>
    public static string? Price(NostrEvent e, out long price)
    {
        price = 0;
        return e.FirstTagValue("price") is { } text && (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out price) || price < 0)
            ? "the price tag is not a non-negative whole number of millisats"
            : null;
    }

    /// <summary>A paid listing names an https (or loopback http) L402 URL and a node id; a free one needs neither.</summary>
    public static string? PaidEndpoint(NostrEvent e, long price, out Uri? l402, out string? node)
    {
        l402 = null;
        node = null;
        if (price == 0)
        {
            return null;
        }

        if (!Uri.TryCreate(e.FirstTagValue("l402"), UriKind.Absolute, out l402) ||
            !(l402.Scheme == Uri.UriSchemeHttps || (l402.Scheme == Uri.UriSchemeHttp && l402.IsLoopback)))
        {
            return "a paid listing's l402 tag is not an https URL";
        }

        node = e.FirstTagValue("node");
        return IsNodeId(node) ? null : "a paid listing's node tag is not a 33-byte compressed public key in lowercase hex";
    }

    public static bool IsNodeId(string? hex) =>
        hex is { Length: 66 } && (hex.StartsWith("02", StringComparison.Ordinal) || hex.StartsWith("03", StringComparison.Ordinal)) && hex.All(c => c is (>= '0' and <= '9') or (>= 'a' and <= 'f'));

    /// <summary>The t tags, lowercase and distinct.</summary>
    public static List<string> Domains(NostrEvent e, string tag = "t") =>
        e.TagValues(tag).Select(t => t.ToLowerInvariant()).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>NIP-01 for two versions of one listing: the later created_at wins; for the same, the lowest id.</summary>
    public static bool IsNewer(NostrEvent candidate, NostrEvent current) =>
        candidate.CreatedAt > current.CreatedAt || (candidate.CreatedAt == current.CreatedAt && string.CompareOrdinal(candidate.Id, current.Id) < 0);

    /// <summary>The relay filter: kind 31990 with authors, #k, #t and #x as given.</summary>
    public static NostrFilter Filter(IReadOnlyList<string> sellers, string? family, IReadOnlyList<string> domains, string? pinnedId)
    {
        var filter = new NostrFilter { Kinds = [NostrKinds.HandlerInformation] };
        if (sellers.Count > 0)
        {
            filter = filter with { Authors = sellers.ToArray() };
        }

        if (!string.IsNullOrEmpty(family))
        {
            filter = filter.WithTag("k", family);
        }

        if (domains.Count > 0)
        {
            filter = filter.WithTag("t", domains.Select(d => d.ToLowerInvariant()).ToArray());
        }

        return string.IsNullOrEmpty(pinnedId) ? filter : filter.WithTag("x", pinnedId);
    }

    /// <summary>The query's filters both kinds have, re-checked on the client: family, every domain, the price cap, the sellers.</summary>
    public static string? CommonMiss(string? family, IReadOnlyList<string> domains, long? maxPriceMsat, IReadOnlyList<string> sellers, string listingFamily, IReadOnlyList<string> listingDomains, long priceMsat, string seller)
    {
        if (!string.IsNullOrEmpty(family) && !string.Equals(listingFamily, family, StringComparison.Ordinal))
        {
            return $"family is {listingFamily}, not {family}";
        }

        if (domains.FirstOrDefault(d => !listingDomains.Contains(d.ToLowerInvariant(), StringComparer.Ordinal)) is { } missing)
        {
            return $"not tagged with domain {missing}";
        }

        if (maxPriceMsat is { } max && priceMsat > max)
        {
            return $"price {priceMsat} msat is above {max} msat";
        }

        return sellers.Count > 0 && !sellers.Contains(seller, StringComparer.OrdinalIgnoreCase) ? "seller is not among the allowed sellers" : null;
    }

    public static string Short(string id) => id.Length > 12 ? id[..12] : id;
}
