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

        if (!string.IsNullOrEmpty(CompiledId))
        {
            filter = filter.WithTag("x", CompiledId);
        }

        return filter;
    }

    /// <summary>The first filter this listing fails, or null when it passes them all.</summary>
    public string? FirstMiss(Listing listing)
    {
        if (!string.IsNullOrEmpty(Family) && !string.Equals(listing.Family, Family, StringComparison.Ordinal))
        {
            return $"family is {listing.Family}, not {Family}";
        }

        foreach (var domain in Domains)
        {
            if (!listing.Domains.Contains(domain.ToLowerInvariant(), StringComparer.Ordinal))
            {
                return $"not tagged with domain {domain}";
            }
        }

        if (MinAccuracy is { } min && !(listing.Accuracy >= min))
        {
            return listing.Accuracy is null ? $"states no accuracy (minimum {min})" : $"accuracy {listing.Accuracy} is below {min}";
        }

        if (MaxPriceMsat is { } max && listing.PriceMsat > max)
        {
            return $"price {listing.PriceMsat} msat is above {max} msat";
        }

        if (Sellers.Count > 0 && !Sellers.Contains(listing.SellerPubKey, StringComparer.OrdinalIgnoreCase))
        {
            return "seller is not among the allowed sellers";
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
