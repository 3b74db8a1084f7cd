using ManifestBuild.Nostr;

namespace ManifestBuild.Market.Listings;

/// <summary>What a buyer looks for. Relays get the indexable part; every field is re-checked on the client.</summary>
public sealed record ListingQuery
{
    public string? Family { get; init; }

    /// <summary>Every listed domain must be present on a listing (relays match any; the client requires all).</summary>
    public IReadOnlyList<string> Domains { get; init; } = [];

    public double? MinAccuracy { get; init; }

    public long? MaxPriceMsat { get; init; }

    /// <summary>Allowed seller pubkeys (hex); empty means any.</summary>
    public IReadOnlyList<string> Sellers { get; init; } = [];

    /// <summary>A pinned version.</summary>
    public string? CompiledId { get; init; }

    public string? SignatureName { get; init; }

    /// <summary>The relay filter: kind 31990 with #k, #t, #x and authors as given.</summary>
    public NostrFilter ToFilter() => ListingTags.Filter(Sellers, Family, Domains, CompiledId);

    /// <summary>The first filter this listing fails, or null when it passes them all.</summary>
    public string? FirstMiss(Listing listing)
    {
        if (ListingTags.CommonMiss(Family, Domains, MaxPriceMsat, Sellers, listing.Family, listing.Domains, listing.PriceMsat, listing.SellerPubKey) is { } miss)
        {
            return miss;
        }

        if (MinAccuracy is { } min && !(listing.Accuracy >= min))
        {
            return listing.Accuracy is null ? $"states no accuracy (minimum {min})" : $"accuracy {listing.Accuracy} is below {min}";
        }

        if (!string.IsNullOrEmpty(CompiledId) && !string.Equals(listing.CompiledId, CompiledId, StringComparison.Ordinal))
        {
            return "compiled_id is not the pinned one";
        }

        if (!string.IsNullOrEmpty(SignatureName) && !string.Equals(listing.SignatureName, SignatureName, StringComparison.Ordinal))
        {
            return $"signature is {listing.SignatureName}, not {SignatureName}";
        }

        return null;
    }
}
