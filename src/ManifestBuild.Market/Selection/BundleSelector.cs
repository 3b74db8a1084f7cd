using System.Globalization;
using ManifestBuild.Market.Buying;
using ManifestBuild.Market.Listings;

namespace ManifestBuild.Market.Selection;

/// <summary>What a declared bundle asks for: its name or exact bundle_id, allowed sellers, a price cap.</summary>
public sealed record BundleCriteria
{
    public string? Name { get; init; }

    public string? BundleId { get; init; }

    public IReadOnlyList<string> Sellers { get; init; } = [];

    public long? MaxPriceMsat { get; init; }

    public BlockedSellers Blocked { get; init; } = BlockedSellers.None;
}

/// <summary>The bundle chosen (or none), the ones left out with why, and an explanation safe to print.</summary>
public sealed record BundleSelection(BundleListing? Winner, IReadOnlyList<BundleListing> Ranking, IReadOnlyList<RejectedListing> FilteredOut, string Explanation);

/// <summary>
/// Deterministic choice among bundle listings, explained like <see cref="ListingSelector"/>: filters first
/// (name, pinned bundle_id, allowed sellers, a blocked seller, maximum price), then the cheapest price per
/// member, then more members, then the newest listing, then the bundle_id ascending, so the same inputs
/// always give the same winner.
/// </summary>
public static class BundleSelector
{
    public static BundleSelection Select(IEnumerable<BundleListing> listings, BundleCriteria criteria, IEnumerable<RejectedListing>? rejectedEarlier = null)
    {
        var filteredOut = (rejectedEarlier ?? []).ToList();
        var candidates = new List<BundleListing>();
        foreach (var listing in listings.DistinctBy(l => l.Event.Id))
        {
            if (FirstMiss(listing, criteria) is { } miss)
            {
                filteredOut.Add(new RejectedListing(listing.Event.Id, listing.SellerPubKey, $"bundle {listing.Name}: {miss}"));
                continue;
            }

            candidates.Add(listing);
        }

        var ranking = candidates
            .OrderBy(l => (decimal)l.PriceMsat / l.Members.Count)
            .ThenByDescending(l => l.Members.Count)
            .ThenByDescending(l => l.CreatedAt)
            .ThenBy(l => l.BundleId, StringComparer.Ordinal)
            .ToList();
        var lines = new List<string>();
        if (ranking.Count == 0)
        {
            lines.Add(filteredOut.Count == 0 ? "no bundle listing was found" : "no bundle listing fits");
        }
        else
        {
            var winner = ranking[0];
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"selected {winner.Describe()}: {winner.PriceMsat / winner.Members.Count} msat per manifest, one payment for all {winner.Members.Count}"));
            foreach (var other in ranking.Skip(1))
            {
                lines.Add(string.Create(CultureInfo.InvariantCulture, $"not {other.Describe()}: {other.PriceMsat / other.Members.Count} msat per manifest"));
            }
        }

        lines.AddRange(filteredOut.Select(r => "left out " + Short(r.EventId) + ": " + r.Reason));
        return new BundleSelection(ranking.FirstOrDefault(), ranking, filteredOut, string.Join("; ", lines));
    }

    private static string? FirstMiss(BundleListing listing, BundleCriteria criteria)
    {
        if (criteria.Name is not null && listing.Name != criteria.Name)
        {
            return $"its name is {listing.Name}, not {criteria.Name}";
        }

        if (criteria.BundleId is not null && listing.BundleId != criteria.BundleId)
        {
            return "its bundle_id is not the pinned one";
        }

        if (criteria.Sellers.Count > 0 && !criteria.Sellers.Contains(listing.SellerPubKey, StringComparer.OrdinalIgnoreCase))
        {
            return "its seller is not among the allowed sellers";
        }

        if (criteria.Blocked.Find(listing.SellerPubKey) is { } blocked)
        {
            return $"{MarketErrorCodes.SellerBlocked}: {blocked.Describe()}";
        }

        return criteria.MaxPriceMsat is { } max && listing.PriceMsat > max
            ? string.Create(CultureInfo.InvariantCulture, $"its price {listing.PriceMsat} msat is above {max} msat")
            : null;
    }

    private static string Short(string id) => id.Length > 12 ? id[..12] : id.Length == 0 ? "-" : id;
}
