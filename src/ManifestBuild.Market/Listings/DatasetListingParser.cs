using System.Globalization;
using ManifestBuild.Format;
using ManifestBuild.Format.Datasets;
using ManifestBuild.Format.Json;
using ManifestBuild.Nostr;

namespace ManifestBuild.Market.Listings;

/// <summary>What a set of relay events yields as dataset listings: the ones kept and the ones left out with reasons.</summary>
public sealed record DatasetListingSet(IReadOnlyList<DatasetListing> Accepted, IReadOnlyList<RejectedListing> Rejected);

/// <summary>
/// The client-side checks of a dataset listing whose id and signature are already checked (a
/// <see cref="VerifiedEvent"/>), the dataset counterpart of <see cref="ListingParser"/>, sharing its
/// tag checks (<see cref="ListingTags"/>): kind, the <c>dsrs-dataset:</c> d tag, d / x / content dataset_id agree, the content
/// is a valid dsrs.dataset/1 document (a free one hashing to its id; a paid one without examples), the
/// examples tag is the content's count, and a paid listing names an L402 URL and a node. Events of
/// other kinds of listing (manifests) are skipped silently, so neither search ever returns the other.
/// </summary>
public static class DatasetListingParser
{
    private const int MaxContentChars = 16 * 1024 * 1024;

    /// <summary>True when the event's d tag says it is a dataset listing (the only thing a manifest search must skip).</summary>
    public static bool IsDatasetListing(NostrEvent e) => e.FirstTagValue("d")?.StartsWith(DatasetListing.DTagPrefix, StringComparison.Ordinal) == true;

    public static DatasetListing Parse(VerifiedEvent e) => TryParse(e, out var listing, out var reason)
        ? listing!
        : throw new DsrsException(MarketErrorCodes.DatasetListingRejected, $"dataset listing {ListingTags.Short(e.Id)} rejected: {UntrustedText.Neutralise(reason, 300)}");

    /// <summary>Parses an event whose id and signature are already checked (the pool's, or <see cref="NostrEventVerifier.EnsureVerified"/>).</summary>
    public static bool TryParse(VerifiedEvent e, out DatasetListing? listing, out string reason)
    {
        reason = Check(e.Event, out listing) ?? string.Empty;
        return listing is not null;
    }

    /// <summary>Parse, the query's filters and de-duplication (newest per seller and family).</summary>
    public static DatasetListingSet ParseAll(IEnumerable<VerifiedEvent> events, DatasetQuery? query = null)
    {
        var rejected = new List<RejectedListing>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var newest = new Dictionary<(string Seller, string Id), DatasetListing>();
        foreach (var e in events)
        {
            if (!seen.Add(e.Id) || (e.Kind == NostrKinds.HandlerInformation && !IsDatasetListing(e.Event)))
            {
                continue; // a duplicate from another relay, or a manifest listing: not ours to judge
            }

            if (ListingTags.Admit<DatasetListing>(e, TryParse, query is null ? null : query.FirstMiss, rejected) is not { } listing)
            {
                continue;
            }

            var key = (listing.SellerPubKey, listing.DatasetId);
            if (!newest.TryGetValue(key, out var current) || ListingTags.IsNewer(listing.Event, current.Event))
            {
                newest[key] = listing;
            }
        }

        return new DatasetListingSet(newest.Values.OrderBy(l => l.DatasetId, StringComparer.Ordinal).ThenBy(l => l.SellerPubKey, StringComparer.Ordinal).ToList(), rejected);
    }

    private static string? Check(NostrEvent e, out DatasetListing? listing)
    {
        listing = null;
        var tags = ListingTags.ContentAddress(e, DatasetListing.DTagPrefix, Dataset.IdMember, out var id);
        var priced = ListingTags.Price(e, out var price);
        if ((ListingTags.Kind(e) ?? tags ?? ListingTags.ContentSize(e, MaxContentChars, "16 MiB") ?? priced) is { } bad)
        {
            return bad;
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

        if (ListingTags.PaidEndpoint(e, price, out var l402, out var node) is { } badEndpoint)
        {
            return badEndpoint;
        }

        listing = new DatasetListing
        {
            Event = e,
            DatasetId = id,
            Family = family,
            Domains = ListingTags.Domains(e),
            ExampleCount = count,
            PriceMsat = price,
            L402Url = l402,
            NodeIdHex = node,
            Description = dataset.Json.GetString("description"),
            Content = dataset.Json,
        };
        return null;
    }
}
