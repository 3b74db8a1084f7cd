using System.Globalization;
using ManifestBuild.Market.Buying;
using ManifestBuild.Market.Listings;

namespace ManifestBuild.Market.Selection;

/// <summary>What a buyer subscribes to: a line, optionally from given sellers, at most a price per period.</summary>
public sealed record SubscriptionCriteria
{
    public required string Line { get; init; }

    public IReadOnlyList<string> Sellers { get; init; } = [];

    /// <summary>The most one period may cost, msat; null for no cap.</summary>
    public long? MaxPriceMsat { get; init; }

    public BlockedSellers Blocked { get; init; } = BlockedSellers.None;
}

/// <summary>The subscription chosen (or none), the ones left out with why, and an explanation safe to print.</summary>
public sealed record SubscriptionSelection(SubscriptionListing? Winner, IReadOnlyList<SubscriptionListing> Ranking, IReadOnlyList<RejectedListing> FilteredOut, string Explanation);

/// <summary>
/// Deterministic choice among subscription listings, explained like <see cref="ListingSelector"/>: filters
/// first (line, allowed sellers, a blocked seller, maximum price per period), then the cheapest price per
/// day, then the longer period, then the newest listing, then the event id, so the same inputs always
/// give the same winner.
/// </summary>
public static class SubscriptionSelector
{
    public static SubscriptionSelection Select(IEnumerable<SubscriptionListing> listings, SubscriptionCriteria criteria, IEnumerable<RejectedListing>? rejectedEarlier = null)
    {
        var filteredOut = (rejectedEarlier ?? []).ToList();
        var candidates = new List<SubscriptionListing>();
        foreach (var listing in listings.DistinctBy(l => l.Event.Id))
        {
            if (FirstMiss(listing, criteria) is { } miss)
            {
                filteredOut.Add(new RejectedListing(listing.Event.Id, listing.SellerPubKey, $"subscription {listing.Line}: {miss}"));
                continue;
            }

            candidates.Add(listing);
        }

        var ranking = candidates
            .OrderBy(PerDay)
            .ThenByDescending(l => l.PeriodSeconds)
            .ThenByDescending(l => l.CreatedAt)
            .ThenBy(l => l.Event.Id, StringComparer.Ordinal)
            .ToList();
        var lines = new List<string>();
        if (ranking.Count == 0)
        {
            lines.Add(filteredOut.Count == 0 ? $"no subscription listing for line {criteria.Line} was found" : $"no subscription listing for line {criteria.Line} fits");
        }
        else
        {
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"selected {ranking[0].Describe()}: {PerDay(ranking[0]):0} msat per day"));
            lines.AddRange(ranking.Skip(1).Select(other => string.Create(CultureInfo.InvariantCulture, $"not {other.Describe()}: {PerDay(other):0} msat per day")));
        }

        lines.AddRange(filteredOut.Select(r => "left out " + (r.EventId.Length > 12 ? r.EventId[..12] : r.EventId) + ": " + r.Reason));
        return new SubscriptionSelection(ranking.FirstOrDefault(), ranking, filteredOut, string.Join("; ", lines));
    }

    private static decimal PerDay(SubscriptionListing l) => (decimal)l.PriceMsat * 86400 / l.PeriodSeconds;

    private static string? FirstMiss(SubscriptionListing listing, SubscriptionCriteria criteria)
    {
        if (listing.Line != criteria.Line)
        {
            return $"it sells line {listing.Line}, not {criteria.Line}";
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
            ? string.Create(CultureInfo.InvariantCulture, $"its price {listing.PriceMsat} msat per period is above {max} msat")
            : null;
    }
}
