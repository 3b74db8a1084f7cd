using ManifestBuild.Market.Listings;
using ManifestBuild.Nostr;

namespace ManifestBuild.Market.Reviews;

/// <summary>Verified and unverified ratings of one seller or one listing.</summary>
public sealed record ReputationScore(int VerifiedCount, double? VerifiedMean, int UnverifiedCount, double? UnverifiedMean, int FraudReports)
{
    public static readonly ReputationScore None = new(0, null, 0, null, 0);

    // A few reviews should not outrank many: verified ratings are shrunk toward a neutral 3 with a
    // weight of two phantom reviews, so one 5-star review scores 3.67 and ten score 4.67.
    private const double PriorWeight = 2;
    private const double PriorRating = 3;

    /// <summary>The ranking score: the shrunk mean of verified ratings (3.0 when there are none).</summary>
    public double RankingScore => ((VerifiedMean ?? 0) * VerifiedCount + PriorRating * PriorWeight) / (VerifiedCount + PriorWeight);
}

/// <summary>Reviews aggregated per seller and per listing, plus the reviews rejected with reasons.</summary>
public sealed class ReputationBook
{
    private readonly Dictionary<string, ReputationScore> bySeller;
    private readonly Dictionary<string, ReputationScore> byListing;
    private readonly Dictionary<string, MeasuredScore> measuredBySeller;
    private readonly Dictionary<string, MeasuredScore> measuredByListing;

    private ReputationBook(Dictionary<string, ReputationScore> bySeller, Dictionary<string, ReputationScore> byListing, IReadOnlyList<Review> counted, IReadOnlyList<RejectedListing> rejected)
    {
        this.bySeller = bySeller;
        this.byListing = byListing;

        // A measurement counts only from a verified purchase (once per payment hash, as the counted
        // reviews already are), and never from a fraud report.
        var measured = counted.Where(r => r.IsVerified && r.FraudDeliveredSha256 is null && r.Measurement is not null).ToList();
        measuredBySeller = measured.GroupBy(r => r.SellerPubKey).ToDictionary(g => g.Key, g => MeasuredScore.From(g.Select(r => r.Measurement!)));
        measuredByListing = measured.GroupBy(r => r.Address).ToDictionary(g => g.Key, g => MeasuredScore.From(g.Select(r => r.Measurement!)));
        Counted = counted;
        Rejected = rejected;
    }

    public static ReputationBook Empty { get; } = new([], [], [], []);

    /// <summary>The reviews that count (verified ones deduplicated by payment hash, then unverified).</summary>
    public IReadOnlyList<Review> Counted { get; }

    /// <summary>Reviews left out, with the reason (event id, author, reason).</summary>
    public IReadOnlyList<RejectedListing> Rejected { get; }

    public ReputationScore ForSeller(string pubKey) => bySeller.GetValueOrDefault(pubKey) ?? ReputationScore.None;

    public ReputationScore ForListing(string address) => byListing.GetValueOrDefault(address) ?? ReputationScore.None;

    /// <summary>What verified buyers measured across the seller's listings.</summary>
    public MeasuredScore MeasuredForSeller(string pubKey) => measuredBySeller.GetValueOrDefault(pubKey) ?? MeasuredScore.None;

    /// <summary>What verified buyers measured of one listing (its coordinate).</summary>
    public MeasuredScore MeasuredForListing(string address) => measuredByListing.GetValueOrDefault(address) ?? MeasuredScore.None;

    /// <summary>
    /// Parses and aggregates review events. <paramref name="nodeByAddress"/> gives each listing's node
    /// (for proof checks). Verified reviews count once per payment hash: the first author to present a
    /// payment hash owns it, and that author's newest review for it counts.
    /// Unverified reviews count once per (author, listing), newest wins, and are reported apart.
    /// </summary>
    public static ReputationBook Build(IEnumerable<VerifiedEvent> reviews, IReadOnlyDictionary<string, string?> nodeByAddress)
    {
        var rejected = new List<RejectedListing>();
        var verified = new List<Review>();
        var unverified = new List<Review>();
        foreach (var e in reviews.DistinctBy(r => r.Id))
        {
            var address = e.Event.FirstTagValue("a") ?? string.Empty;
            if (!ReviewParser.TryParse(e, nodeByAddress.GetValueOrDefault(address), out var review, out var reason))
            {
                rejected.Add(new RejectedListing(e.Id, e.PubKey, reason));
                continue;
            }

            (review!.IsVerified ? verified : unverified).Add(review);
        }

        var counted = new List<Review>();
        foreach (var group in verified.GroupBy(r => r.PaymentHash!))
        {
            var owner = group.OrderBy(r => r.Event.CreatedAt).ThenBy(r => r.Event.Id, StringComparer.Ordinal).First().AuthorPubKey;
            var kept = group.Where(r => r.AuthorPubKey == owner).OrderByDescending(r => r.Event.CreatedAt).ThenBy(r => r.Event.Id, StringComparer.Ordinal).First();
            counted.Add(kept);
            rejected.AddRange(group.Where(r => r != kept).Select(r => new RejectedListing(r.Event.Id, r.AuthorPubKey, "another review already counts for this payment hash")));
        }

        foreach (var group in unverified.GroupBy(r => (r.AuthorPubKey, r.Address)))
        {
            counted.Add(group.OrderByDescending(r => r.Event.CreatedAt).ThenBy(r => r.Event.Id, StringComparer.Ordinal).First());
        }

        var bySeller = counted.GroupBy(r => r.SellerPubKey).ToDictionary(g => g.Key, Score);
        var byListing = counted.GroupBy(r => r.Address).ToDictionary(g => g.Key, Score);
        return new ReputationBook(bySeller, byListing, counted, rejected);
    }

    private static ReputationScore Score(IEnumerable<Review> reviews)
    {
        var list = reviews.ToList();
        var verified = list.Where(r => r.IsVerified).ToList();
        var unverified = list.Where(r => !r.IsVerified).ToList();
        return new ReputationScore(
            verified.Count,
            verified.Count > 0 ? verified.Average(r => r.Rating) : null,
            unverified.Count,
            unverified.Count > 0 ? unverified.Average(r => r.Rating) : null,
            verified.Count(r => r.FraudDeliveredSha256 is not null));
    }
}
