using System.Globalization;
using ManifestBuild.Format;
using ManifestBuild.Format.Bundles;
using ManifestBuild.Nostr;

namespace ManifestBuild.Market.Listings;

/// <summary>Bundle listings a query yields: the ones kept and the ones left out with reasons.</summary>
public sealed record BundleListingSet(IReadOnlyList<BundleListing> Accepted, IReadOnlyList<RejectedListing> Rejected);

/// <summary>
/// Every client-side check of a bundle listing: kind, id and signature, d tag, the content a
/// dsrs.bundle/1 document whose recomputed bundle_id is the d tag's, the x tags exactly its members,
/// a positive price, an https (loopback http) endpoint ending in <c>/bundles/&lt;bundle_id&gt;</c> and a node id;
/// then de-duplication (by event id, then the newest per seller and bundle name).
/// </summary>
public static class BundleListingParser
{
    private const int MaxContentChars = 64 * 1024;

    /// <summary>True when the event says it is a bundle listing (its d tag); whether it is a valid one is <see cref="TryParse"/>'s job.</summary>
    public static bool ClaimsToBeBundle(NostrEvent e) => e.FirstTagValue("d")?.StartsWith(BundleListing.DTagPrefix, StringComparison.Ordinal) == true;

    public static bool TryParse(NostrEvent e, out BundleListing? listing, out string reason)
    {
        reason = Check(e, out listing) ?? string.Empty;
        return listing is not null;
    }

    /// <summary>The relay filter for bundles: kind 31990, #k dsrs-bundle, optionally one bundle_id (#d) and sellers.</summary>
    public static NostrFilter Filter(string? bundleId, IReadOnlyList<string> sellers)
    {
        var filter = new NostrFilter { Kinds = [NostrKinds.HandlerInformation] }.WithTag("k", BundleListing.KindTag);
        if (sellers.Count > 0)
        {
            filter = filter with { Authors = sellers.ToArray() };
        }

        return bundleId is null ? filter : filter.WithTag("d", BundleListing.DTagPrefix + bundleId);
    }

    public static BundleListingSet ParseAll(IEnumerable<NostrEvent> events)
    {
        var rejected = new List<RejectedListing>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var newest = new Dictionary<(string Seller, string Name), BundleListing>();
        foreach (var e in events)
        {
            if (!seen.Add(e.Id) || !ClaimsToBeBundle(e))
            {
                continue;
            }

            if (!TryParse(e, out var listing, out var reason))
            {
                rejected.Add(new RejectedListing(e.Id, e.PubKey, reason));
                continue;
            }

            var key = (listing!.SellerPubKey, listing.Name);
            if (newest.TryGetValue(key, out var current))
            {
                var newer = listing.CreatedAt > current.CreatedAt || (listing.CreatedAt == current.CreatedAt && string.CompareOrdinal(listing.Event.Id, current.Event.Id) < 0);
                var (keep, drop) = newer ? (listing, current) : (current, listing);
                newest[key] = keep;
                rejected.Add(new RejectedListing(drop.Event.Id, drop.SellerPubKey, $"superseded by the seller's newer listing of bundle {keep.Name}"));
            }
            else
            {
                newest[key] = listing;
            }
        }

        return new BundleListingSet(newest.Values.OrderBy(l => l.BundleId, StringComparer.Ordinal).ToList(), rejected);
    }

    private static string? Check(NostrEvent e, out BundleListing? listing)
    {
        listing = null;
        if (e.Kind != NostrKinds.HandlerInformation)
        {
            return $"kind {e.Kind} is not 31990";
        }

        if (NostrEventVerifier.Verify(e) is var verification && verification != EventVerification.Valid)
        {
            return "event verification failed: " + verification;
        }

        var d = e.FirstTagValue("d");
        if (d is null || !d.StartsWith(BundleListing.DTagPrefix, StringComparison.Ordinal) || !CompiledId.IsWellFormed(d[BundleListing.DTagPrefix.Length..]))
        {
            return "the d tag is not dsrs-bundle:<bundle_id>";
        }

        if (e.FirstTagValue("k") != BundleListing.KindTag)
        {
            return "a bundle listing's k tag is not dsrs-bundle";
        }

        if (e.Content.Length > MaxContentChars)
        {
            return "the content is larger than 64 KiB";
        }

        BundleDocument document;
        try
        {
            document = BundleDocument.Parse(e.Content);
        }
        catch (DsrsException ex)
        {
            return "the content is not a dsrs.bundle/1 document: " + ex.Message;
        }

        if (document.BundleId != d[BundleListing.DTagPrefix.Length..])
        {
            return "the content's bundle_id is not the d tag's";
        }

        if (!e.TagValues("x").Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).SequenceEqual(document.Members, StringComparer.Ordinal))
        {
            return "the x tags are not exactly the bundle's members";
        }

        if (e.FirstTagValue("name") is { } name && name != document.Name)
        {
            return "the name tag differs from the bundle's name";
        }

        if (!long.TryParse(e.FirstTagValue("price"), NumberStyles.None, CultureInfo.InvariantCulture, out var price) || price <= 0)
        {
            return "a bundle's price tag is not a positive whole number of millisats";
        }

        if (!Uri.TryCreate(e.FirstTagValue("l402"), UriKind.Absolute, out var l402) ||
            !(l402.Scheme == Uri.UriSchemeHttps || (l402.Scheme == Uri.UriSchemeHttp && l402.IsLoopback)))
        {
            return "the bundle's l402 tag is not an https URL";
        }

        if (!l402.AbsolutePath.EndsWith("/bundles/" + document.BundleId, StringComparison.Ordinal))
        {
            return "the bundle's l402 URL does not end in /bundles/<bundle_id>";
        }

        var node = e.FirstTagValue("node");
        if (!ListingParser.IsNodeId(node))
        {
            return "the bundle's node tag is not a 33-byte compressed public key in lowercase hex";
        }

        listing = new BundleListing
        {
            Event = e,
            Document = document,
            Domains = e.TagValues("t").Select(t => t.ToLowerInvariant()).Distinct(StringComparer.Ordinal).ToList(),
            PriceMsat = price,
            L402Url = l402,
            NodeIdHex = node!,
        };
        return null;
    }
}
