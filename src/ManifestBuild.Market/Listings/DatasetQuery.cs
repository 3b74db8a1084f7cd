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

    public NostrFilter ToFilter()
    {
        var filter = new NostrFilter { Kinds = [NostrKinds.HandlerInformation] };
        if (Sellers.Count > 0)
        {
            filter = filter with { Authors = Sellers.ToArray() };
        }

        if (!string.IsNullOrEmpty(Family))
        {
            filter = filter.WithTag("k", Family);
        }

        if (Domains.Count > 0)
        {
            filter = filter.WithTag("t", Domains.Select(d => d.ToLowerInvariant()).ToArray());
        }

        return string.IsNullOrEmpty(DatasetId) ? filter : filter.WithTag("x", DatasetId);
    }

    public string? FirstMiss(DatasetListing listing)
    {
        if (!string.IsNullOrEmpty(Family) && listing.Family != Family)
        {
            return $"family is {listing.Family}, not {Family}";
        }

        if (Domains.FirstOrDefault(d => !listing.Domains.Contains(d.ToLowerInvariant(), StringComparer.Ordinal)) is { } missing)
        {
            return $"not tagged with domain {missing}";
        }

        if (MaxPriceMsat is { } max && listing.PriceMsat > max)
        {
            return $"price {listing.PriceMsat} msat is above {max} msat";
        }

        if (Sellers.Count > 0 && !Sellers.Contains(listing.SellerPubKey, StringComparer.OrdinalIgnoreCase))
        {
            return "seller is not among the allowed sellers";
        }

        return !string.IsNullOrEmpty(DatasetId) && listing.DatasetId != DatasetId ? "dataset_id is not the pinned one" : null;
    }
}
