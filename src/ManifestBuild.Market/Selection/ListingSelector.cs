using System.Globalization;
using ManifestBuild.Format;
using ManifestBuild.Market.Buying;
using ManifestBuild.Market.Listings;
using ManifestBuild.Market.Reviews;

namespace ManifestBuild.Market.Selection;

/// <summary>What the build or the buyer asks for; the same filters as a query, applied again here.</summary>
public sealed record SelectionCriteria
{
    public ListingQuery Filters { get; init; } = new();

    /// <summary>Verified reputation; empty when reviews were not fetched.</summary>
    public ReputationBook Reputation { get; init; } = ReputationBook.Empty;

    /// <summary>
    /// Opt-in: rank a listing by the accuracy verified buyers measured (pooled) instead of the claimed one,
    /// when at least this many verified buyers measured it. Null, the default, ranks by the claim.
    /// </summary>
    public int? RankByMeasuredMinBuyers { get; init; }

    /// <summary>Sellers never selected (a proven fraud, the user's or the project's block); see <see cref="SellerStanding"/>.</summary>
    public BlockedSellers Blocked { get; init; } = BlockedSellers.None;
}

/// <summary>A listing with the values it was ranked by.</summary>
/// <param name="MeasuredBy">How many verified buyers measured <see cref="Accuracy"/>; 0 when it is the seller's claim.</param>
public sealed record RankedListing(Listing Listing, double Reputation, int VerifiedReviews, double Accuracy, long Examples, long CreatedAt, int MeasuredBy = 0);

/// <summary>The winner, the ranking, the listings filtered out and a human explanation (safe to print).</summary>
public sealed record SelectionResult(Listing? Winner, IReadOnlyList<RankedListing> Ranking, IReadOnlyList<RejectedListing> FilteredOut, string Explanation)
{
    /// <summary>
    /// The blocked sellers whose listings were skipped, one line each with DSRS0542: what a build reports
    /// as a warning every time, so a standing loss is never silent.
    /// </summary>
    public IReadOnlyList<string> StandingWarnings { get; init; } = [];
}

/// <summary>
/// Deterministic selection (§2): filters first (family, domains, min accuracy, max price, allowed
/// sellers, pinned compiled_id), then rank by verified seller reputation, accuracy, example count,
/// recency, and finally compiled_id (ascending) so the same inputs always give the same winner.
/// </summary>
public static class ListingSelector
{
    public static SelectionResult Select(IEnumerable<Listing> listings, SelectionCriteria criteria)
    {
        var filteredOut = new List<RejectedListing>();
        var candidates = new List<RankedListing>();
        foreach (var listing in listings.DistinctBy(l => l.Event.Id))
        {
            if (criteria.Filters.FirstMiss(listing) is { } miss)
            {
                filteredOut.Add(new RejectedListing(listing.Event.Id, listing.SellerPubKey, miss));
                continue;
            }

            if (criteria.Blocked.Find(listing.SellerPubKey) is { } blocked)
            {
                filteredOut.Add(new RejectedListing(listing.Event.Id, listing.SellerPubKey, $"{BlockedPrefix}{blocked.Describe()}"));
                continue;
            }

            var score = criteria.Reputation.ForSeller(listing.SellerPubKey);
            var measured = criteria.Reputation.MeasuredForListing(listing.Address);
            var useMeasured = criteria.RankByMeasuredMinBuyers is { } min && measured.Mean is not null && measured.Buyers >= Math.Max(1, min);
            candidates.Add(new RankedListing(listing, score.RankingScore, score.VerifiedCount, useMeasured ? measured.Mean!.Value : listing.Accuracy ?? -1, listing.ExampleCount ?? -1, listing.CreatedAt, useMeasured ? measured.Buyers : 0));
        }

        var ranking = candidates
            .OrderByDescending(c => c.Reputation)
            .ThenByDescending(c => c.Accuracy)
            .ThenByDescending(c => c.Examples)
            .ThenByDescending(c => c.CreatedAt)
            .ThenBy(c => c.Listing.CompiledId, StringComparer.Ordinal)
            .ToList();

        var winner = ranking.FirstOrDefault();
        var warnings = filteredOut.Where(f => f.Reason.StartsWith(BlockedPrefix, StringComparison.Ordinal))
            .GroupBy(f => f.PubKey, StringComparer.Ordinal)
            .Select(g => $"{MarketErrorCodes.SellerBlocked}: skipped {g.Count()} listing(s): {g.First().Reason[BlockedPrefix.Length..]}")
            .ToList();
        var explanation = Explain(ranking, filteredOut);
        if (criteria.RankByMeasuredMinBuyers is { } minimum && ranking.Any(c => c.MeasuredBy > 0))
        {
            explanation += $"; ranked by measured accuracy where at least {Math.Max(1, minimum)} verified buyer(s) measured it, else by the claimed one";
        }

        explanation += string.Concat(warnings.Select(w => "; " + w));
        return new SelectionResult(winner?.Listing, ranking, filteredOut, explanation) { StandingWarnings = warnings };
    }

    private const string BlockedPrefix = "seller blocked: ";

    /// <summary>Selects or throws DSRS0525 saying what the filters removed.</summary>
    public static SelectionResult SelectOrThrow(IEnumerable<Listing> listings, SelectionCriteria criteria)
    {
        var result = Select(listings, criteria);
        return result.Winner is not null ? result : throw new DsrsException(MarketErrorCodes.NoListingSelected, result.Explanation);
    }

    private static string Explain(IReadOnlyList<RankedListing> ranking, IReadOnlyList<RejectedListing> filteredOut)
    {
        var removed = filteredOut.Count == 0
            ? string.Empty
            : $"; filtered out {filteredOut.Count}: " + string.Join(", ", filteredOut.GroupBy(f => Category(f.Reason)).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Count()} {g.Key}"));
        if (ranking.Count == 0)
        {
            return "no listing passes the filters" + removed;
        }

        var w = ranking[0];
        var text = $"selected {UntrustedText.Neutralise(w.Listing.SignatureName, 64)} {w.Listing.CompiledId[..12]} from seller {w.Listing.SellerPubKey[..12]} " +
                   $"({Describe(w)}) among {ranking.Count} candidate{(ranking.Count == 1 ? string.Empty : "s")}{removed}";
        if (ranking.Count > 1)
        {
            var r = ranking[1];
            text += $"; it beat {r.Listing.CompiledId[..12]} on {Decider(w, r)}";
        }

        return text;
    }

    private static string Describe(RankedListing c) =>
        $"reputation {c.Reputation.ToString("0.00", CultureInfo.InvariantCulture)} from {c.VerifiedReviews} verified review{(c.VerifiedReviews == 1 ? string.Empty : "s")}, " +
        $"accuracy {(c.Accuracy < 0 ? "unstated" : c.Accuracy.ToString("0.###", CultureInfo.InvariantCulture))}{(c.MeasuredBy > 0 ? $" measured by {c.MeasuredBy} verified buyer(s), claimed {(c.Listing.Accuracy is { } claimed ? claimed.ToString("0.###", CultureInfo.InvariantCulture) : "nothing")}" : string.Empty)}, " +
        $"{(c.Examples < 0 ? "unstated" : c.Examples.ToString(CultureInfo.InvariantCulture))} examples, " +
        $"{(c.Listing.IsFree ? "free" : c.Listing.PriceMsat.ToString(CultureInfo.InvariantCulture) + " msat")}";

    private static string Decider(RankedListing w, RankedListing r)
    {
        if (w.Reputation != r.Reputation)
        {
            return $"verified reputation ({w.Reputation.ToString("0.00", CultureInfo.InvariantCulture)} > {r.Reputation.ToString("0.00", CultureInfo.InvariantCulture)})";
        }

        if (w.Accuracy != r.Accuracy)
        {
            return $"{(w.MeasuredBy > 0 || r.MeasuredBy > 0 ? "measured or claimed " : string.Empty)}accuracy ({w.Accuracy.ToString("0.###", CultureInfo.InvariantCulture)} > {(r.Accuracy < 0 ? "unstated" : r.Accuracy.ToString("0.###", CultureInfo.InvariantCulture))})";
        }

        if (w.Examples != r.Examples)
        {
            return $"example count ({w.Examples} > {(r.Examples < 0 ? "unstated" : r.Examples.ToString(CultureInfo.InvariantCulture))})";
        }

        if (w.CreatedAt != r.CreatedAt)
        {
            return $"recency ({DateTimeOffset.FromUnixTimeSeconds(w.CreatedAt):u} is newer)";
        }

        return "the compiled_id tie-break (lower id wins)";
    }

    private static string Category(string reason)
    {
        return reason switch
        {
            _ when reason.StartsWith("price", StringComparison.Ordinal) => "over the max price",
            _ when reason.StartsWith("accuracy", StringComparison.Ordinal) || reason.StartsWith("states no accuracy", StringComparison.Ordinal) => "below the min accuracy",
            _ when reason.StartsWith("family", StringComparison.Ordinal) => "of another family",
            _ when reason.StartsWith("not tagged", StringComparison.Ordinal) => "missing a domain",
            _ when reason.StartsWith(BlockedPrefix, StringComparison.Ordinal) => $"from blocked sellers ({MarketErrorCodes.SellerBlocked})",
            _ when reason.StartsWith("seller", StringComparison.Ordinal) => "from sellers not allowed",
            _ when reason.StartsWith("compiled_id", StringComparison.Ordinal) => "not the pinned version",
            _ => "other",
        };
    }
}
