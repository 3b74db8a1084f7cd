using System.Globalization;
using ManifestBuild.Market.Listings;
using ManifestBuild.Market.Reviews;

namespace ManifestBuild.Agent.Market;

/// <summary>What a purchase policy is asked about: the selected listing and the facts around it.</summary>
/// <param name="Listing">The listing the selector chose (verified event, parsed tags).</param>
/// <param name="SellerReputation">The seller's reputation from reviews with a verified purchase proof.</param>
/// <param name="ListingReputation">The same for this listing alone.</param>
/// <param name="ValueEstimateMsat">What the caller says a correct decision is worth; null when it did not say.</param>
/// <param name="RemainingBudgetMsat">What is left of the home's period budget now.</param>
/// <param name="MaxPriceMsat">The tighter of the query's maximum and the agent's per-purchase maximum; null for none.</param>
/// <param name="MinAccuracy">The query's accuracy floor; null for none.</param>
/// <param name="MinVerifiedRating">The agent's reputation floor (1-5, verified reviews); null for none.</param>
public sealed record PurchaseCandidate(
    Listing Listing,
    ReputationScore SellerReputation,
    ReputationScore ListingReputation,
    long? ValueEstimateMsat,
    long RemainingBudgetMsat,
    long? MaxPriceMsat,
    double? MinAccuracy,
    double? MinVerifiedRating);

/// <summary>Buy or skip, with the reason that is logged and put in the explanation.</summary>
public sealed record PurchaseDecision(bool Buy, string Reason)
{
    public static PurchaseDecision Purchase(string reason) => new(true, reason);

    public static PurchaseDecision Skip(string reason) => new(false, reason);
}

/// <summary>
/// Decides whether an agent buys the selected listing. Consulted only when a payment would be made
/// (never for a cached, free or already-paid manifest). Whatever it answers, the no-pay switch, the
/// per-purchase maximum and the period budget are enforced after it.
/// </summary>
public interface IPurchasePolicy
{
    PurchaseDecision Decide(PurchaseCandidate candidate);
}

/// <summary>A policy from a delegate: <c>PurchasePolicy.From(c => ...)</c>.</summary>
public static class PurchasePolicy
{
    public static IPurchasePolicy From(Func<PurchaseCandidate, PurchaseDecision> decide) => new DelegatePolicy(decide ?? throw new ArgumentNullException(nameof(decide)));

    private sealed class DelegatePolicy(Func<PurchaseCandidate, PurchaseDecision> decide) : IPurchasePolicy
    {
        public PurchaseDecision Decide(PurchaseCandidate candidate) => decide(candidate);
    }
}

/// <summary>
/// The default: buy when the price fits the remaining budget and the maximum price, the listing's
/// accuracy and the seller's verified rating are at or above their floors, and, when the caller gave
/// a value estimate, the price is below it.
/// </summary>
public sealed class DefaultPurchasePolicy : IPurchasePolicy
{
    public static DefaultPurchasePolicy Instance { get; } = new();

    public PurchaseDecision Decide(PurchaseCandidate candidate)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        var listing = candidate.Listing;
        var price = listing.PriceMsat;
        if (price > candidate.RemainingBudgetMsat)
        {
            return PurchaseDecision.Skip($"price {Msat(price)} is above the {Msat(candidate.RemainingBudgetMsat)} left of the budget");
        }

        if (candidate.MaxPriceMsat is { } max && price > max)
        {
            return PurchaseDecision.Skip($"price {Msat(price)} is above the maximum of {Msat(max)}");
        }

        if (candidate.MinAccuracy is { } floor && (listing.Accuracy is not { } accuracy || accuracy < floor))
        {
            return PurchaseDecision.Skip($"accuracy {Number(listing.Accuracy)} is below the floor {Number(floor)}");
        }

        var reputation = candidate.SellerReputation;
        if (candidate.MinVerifiedRating is { } minRating && (reputation.VerifiedMean is not { } rating || rating < minRating))
        {
            return PurchaseDecision.Skip(reputation.VerifiedCount == 0
                ? $"the seller has no verified review and the rating floor is {Number(minRating)}"
                : $"the seller's verified rating {Number(reputation.VerifiedMean)} is below the floor {Number(minRating)}");
        }

        if (candidate.ValueEstimateMsat is { } value && price >= value)
        {
            return PurchaseDecision.Skip($"price {Msat(price)} is not below the caller's value estimate of {Msat(value)}");
        }

        var why = $"price {Msat(price)} fits the {Msat(candidate.RemainingBudgetMsat)} left of the budget";
        why += candidate.ValueEstimateMsat is { } estimate ? $" and is below the value estimate of {Msat(estimate)}" : " (no value estimate given)";
        why += reputation.VerifiedCount > 0 ? $"; seller rated {Number(reputation.VerifiedMean)}/5 from {reputation.VerifiedCount} verified review(s)" : "; seller without verified reviews";
        return PurchaseDecision.Purchase(why);
    }

    private static string Msat(long msat) => Money.Format(msat);

    private static string Number(double? value) => value is { } v ? v.ToString("0.###", CultureInfo.InvariantCulture) : "unstated";
}
