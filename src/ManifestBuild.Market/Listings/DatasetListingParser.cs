using System.Globalization;
using ManifestBuild.Format;
using ManifestBuild.Format.Datasets;
using ManifestBuild.Format.Json;
using ManifestBuild.Nostr;

namespace ManifestBuild.Market.Listings;

/// <summary>What a set of relay events yields as dataset listings: the ones kept and the ones left out with reasons.</summary>
public sealed record DatasetListingSet(IReadOnlyList<DatasetListing> Accepted, IReadOnlyList<RejectedListing> Rejected);

/// <summary>
/// The client-side checks of a dataset listing, the dataset counterpart of <see cref="ListingParser"/>:
/// kind, id and signature, the <c>dsrs-dataset:</c> d tag, d / x / content dataset_id agree, the content
/// is a valid dsrs.dataset/1 document (a free one hashing to its id; a paid one without examples), the
/// examples tag is the content's count, and a paid listing names an L402 URL and a node. Events of
/// other kinds of listing (manifests) are skipped silently, so neither search ever returns the other.
/// </summary>
public static class DatasetListingParser
{
    private const int MaxContentChars = 16 * 1024 * 1024;

    /// <summary>True when the event's d tag says it is a dataset listing (the only thing a manifest search must skip).</summary>
    public static bool IsDatasetListing(NostrEvent e) => e.FirstTagValue("d")?.StartsWith(DatasetListing.DTagPrefix, StringComparison.Ordinal) == true;

    public static DatasetListing Parse(NostrEvent e) => TryParse(e, out var listing, out var reason)
        ? listing!
        : throw new DsrsException(MarketErrorCodes.DatasetListingRejected, $"dataset listing {Short(e.Id)} rejected: {UntrustedText.Neutralise(reason, 300)}");

    public static bool TryParse(NostrEvent e, out DatasetListing? listing, out string reason)
    {
        reason = Check(e, out listing) ?? string.Empty;
        return listing is not null;
    }

    /// <summary>Parse, the query's filters and de-duplication (newest per seller and family).</summary>
    public static DatasetListingSet ParseAll(IEnumerable<NostrEvent> events, DatasetQuery? query = null)
    {
        var rejected = new List<RejectedListing>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var newest = new Dictionary<(string Seller, string Id), DatasetListing>();
        foreach (var e in events)
        {
            if (!seen.Add(e.Id) || (e.Kind == NostrKinds.HandlerInformation && !IsDatasetListing(e)))
            {
                continue; // a duplicate from another relay, or a manifest listing: not ours to judge
            }

            if (!TryParse(e, out var listing, out var reason))
            {
                rejected.Add(new RejectedListing(e.Id, e.PubKey, reason));
                continue;
            }

            if (query?.FirstMiss(listing!) is { } miss)
            {
                rejected.Add(new RejectedListing(e.Id, e.PubKey, "does not match the query: " + miss));
                continue;
            }

            var key = (listing!.SellerPubKey, listing.DatasetId);
            if (!newest.TryGetValue(key, out var current) || listing.CreatedAt > current.CreatedAt
                || (listing.CreatedAt == current.CreatedAt && string.CompareOrdinal(listing.Event.Id, current.Event.Id) < 0))
            {
                newest[key] = listing;
            }
        }

        return new DatasetListingSet(newest.Values.OrderBy(l => l.DatasetId, StringComparer.Ordinal).ThenBy(l => l.SellerPubKey, StringComparer.Ordinal).ToList(), rejected);
    }

    private static string? Check(NostrEvent e, out DatasetListing? listing)
    {
        listing = null;
        if (e.Kind != NostrKinds.HandlerInformation)
        {
            return $"kind {e.Kind} is not 31990";
        }

        if (NostrEventVerifier.Verify(e) is var verification and not EventVerification.Valid)
        {
            return "event verification failed: " + verification;
        }

        var d = e.FirstTagValue("d");
        if (d is null || !d.StartsWith(DatasetListing.DTagPrefix, StringComparison.Ordinal))
        {
            return "the d tag is not dsrs-dataset:<dataset_id>";
        }

        var id = d[DatasetListing.DTagPrefix.Length..];
        if (!CompiledId.IsWellFormed(id) || e.FirstTagValue("x") != id)
        {
            return "the d tag's dataset_id is not 64 lowercase hex, or the x tag differs from it";
        }

        if (e.Content.Length > MaxContentChars)
        {
            return "the content is larger than 16 MiB";
        }

        var price = 0L;
        if (e.FirstTagValue("price") is { } priceText && (!long.TryParse(priceText, NumberStyles.None, CultureInfo.InvariantCulture, out price) || price < 0))
        {
            return "the price tag is not a non-negative whole number of millisats";
        }

        Dataset dataset;
        try
        {
            dataset = Dataset.Parse(e.Content);
        }
        catch (DsrsException ex)
        {
            return "the content is not a dsrs.dataset/1 document: " + ex.Message;
        }

        if (dataset.StatedId != id)
        {
            return "the content's dataset_id does not equal the d and x tags";
        }

        if (price == 0 && Dataset.ComputeId(dataset.Json) != id)
        {
            return "a free listing's content does not hash to its dataset_id";
        }

        if (price > 0 && dataset.Json["examples"] is not null)
        {
            return "a paid listing carries its examples (it must show only the description and schema)";
        }

        var family = e.FirstTagValue("k");
        if (string.IsNullOrEmpty(family) || family != dataset.Family)
        {
            return "the k tag is missing or differs from the content's family";
        }

        if (!long.TryParse(e.FirstTagValue("examples"), NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count != dataset.ExampleCount)
        {
            return "the examples tag is missing or differs from the content's example_count";
        }

        Uri? l402 = null;
        string? node = null;
        if (price > 0)
        {
            if (!Uri.TryCreate(e.FirstTagValue("l402"), UriKind.Absolute, out l402) ||
                !(l402.Scheme == Uri.UriSchemeHttps || (l402.Scheme == Uri.UriSchemeHttp && l402.IsLoopback)))
            {
                return "a paid listing's l402 tag is not an https URL";
            }

            node = e.FirstTagValue("node");
            if (!ListingParser.IsNodeId(node))
            {
                return "a paid listing's node tag is not a 33-byte compressed public key in lowercase hex";
            }
        }

        listing = new DatasetListing
        {
            Event = e,
            DatasetId = id,
            Family = family,
            Domains = e.TagValues("t").Select(t => t.ToLowerInvariant()).Distinct(StringComparer.Ordinal).ToList(),
            ExampleCount = count,
            PriceMsat = price,
            L402Url = l402,
            NodeIdHex = node,
            Description = dataset.Json.GetString("description"),
            Content = dataset.Json,
        };
        return null;
    }

    private static string Short(string id) => id.Length > 12 ? id[..12] : id;
}
