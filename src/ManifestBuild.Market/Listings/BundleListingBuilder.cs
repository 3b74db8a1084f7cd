using System.Globalization;
using ManifestBuild.Format;
using ManifestBuild.Format.Bundles;
using ManifestBuild.Nostr;

namespace ManifestBuild.Market.Listings;

/// <summary>Builds and signs a bundle listing (docs/protocol-extensions.md, "Bundles").</summary>
public static class BundleListingBuilder
{
    /// <param name="domains">Topic tags (t) for search, e.g. the members' domains.</param>
    public static (IReadOnlyList<IReadOnlyList<string>> Tags, string Content) Build(BundleDocument bundle, ListingOptions options, IEnumerable<string>? domains = null)
    {
        if (options.PriceMsat <= 0)
        {
            throw Fail("a bundle is sold, never free: its price must be positive (free manifests are listed one by one)");
        }

        var node = options.NodeIdHex?.Trim().ToLowerInvariant();
        if (!ListingParser.IsNodeId(node))
        {
            throw Fail("a bundle listing needs the seller's Lightning node id: 66 hex characters starting 02 or 03 (--node-id)");
        }

        var url = BundleUrl(options.L402Url ?? throw Fail("a bundle listing needs the seller's L402 URL (--l402)"), bundle.BundleId);
        var topics = (domains ?? []).Select(d => d.Trim().ToLowerInvariant()).Where(d => d.Length > 0).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var tags = new List<IReadOnlyList<string>>
        {
            new[] { "d", BundleListing.DTagPrefix + bundle.BundleId },
            new[] { "k", BundleListing.KindTag },
        };
        tags.AddRange(topics.Select(d => new[] { "t", d }));
        tags.AddRange(bundle.Members.Select(m => new[] { "x", m }));
        tags.Add(["name", bundle.Name]);
        tags.Add(["price", options.PriceMsat.ToString(CultureInfo.InvariantCulture)]);
        tags.Add(["l402", url.AbsoluteUri]);
        tags.Add(["node", node!]);
        tags.Add(["alt", $"DSPy manifest bundle {bundle.Name}: {bundle.Members.Count} manifests for {options.PriceMsat.ToString(CultureInfo.InvariantCulture)} msat"]);
        return (tags, bundle.ToText());
    }

    public static NostrEvent BuildSigned(BundleDocument bundle, ListingOptions options, NostrKeyPair seller, IEnumerable<string>? domains = null)
    {
        var (tags, content) = Build(bundle, options, domains);
        return seller.Sign(NostrKinds.HandlerInformation, tags, content, options.CreatedAt);
    }

    /// <summary>The bundle's endpoint: a base URL gets <c>bundles/&lt;id&gt;</c> appended.</summary>
    public static Uri BundleUrl(Uri baseUrl, string bundleId)
    {
        if (!baseUrl.IsAbsoluteUri || (baseUrl.Scheme != Uri.UriSchemeHttps && !(baseUrl.Scheme == Uri.UriSchemeHttp && baseUrl.IsLoopback)))
        {
            throw Fail("the L402 URL must be absolute https (plain http only on loopback, for local testing)");
        }

        var text = baseUrl.GetLeftPart(UriPartial.Path).TrimEnd('/');
        if (text.EndsWith("/bundles/" + bundleId, StringComparison.Ordinal))
        {
            return new Uri(text);
        }

        var manifests = text.LastIndexOf("/manifests/", StringComparison.Ordinal);
        return new Uri((manifests < 0 ? text : text[..manifests]) + "/bundles/" + bundleId);
    }

    private static DsrsException Fail(string why) => new(MarketErrorCodes.BundleListingBuildFailed, "cannot build the bundle listing: " + why);
}
