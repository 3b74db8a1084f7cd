using ManifestBuild.Nostr;

namespace ManifestBuild.Market.Listings;

/// <summary>What a buyer of a dataset looks for. Relays get #k, #t, #x and authors; the client re-checks everything.</summary>
public sealed record DatasetQuery
{
    public string? Family { get; init; }

    /// <summary>Every listed domain must be present on a listing.</summary>
    public IReadOnlyList<string> Domains { get; init; } = [];

    public long? MaxPriceMsat { get; init; }

    public IReadOnlyList<string> Sellers { get; init; } = [];

    /// <summary>A pinned dataset_id.</summary>
    public string? DatasetId { get; init; }

    /// <summary>The relay filter: kind 31990 with #k, #t, #x and authors as given.</summary>
    public NostrFilter ToFilter() => ListingTags.Filter(Sellers, Family, Domains, DatasetId);

    /// <summary>The first filter this listing fails, or null when it passes them all.</summary>
    public string? FirstMiss(DatasetListing listing) =>
        ListingTags.CommonMiss(Family, Domains, MaxPriceMsat, Sellers, listing.Family, listing.Domains, listing.PriceMsat, listing.SellerPubKey)
        ?? (!string.IsNullOrEmpty(DatasetId) && listing.DatasetId != DatasetId ? "dataset_id is not the pinned one" : null);
}
