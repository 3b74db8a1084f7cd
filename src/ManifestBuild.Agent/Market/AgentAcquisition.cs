using System.Globalization;
using ManifestBuild.Market.Buying;
using ManifestBuild.Market.Listings;
using ManifestBuild.Market.Selection;
using ManifestBuild.Runtime;

namespace ManifestBuild.Agent.Market;

/// <summary>
/// Why this manifest: the selector's ranking (winner and why, the listings it beat and those filtered
/// out) and the purchase decision. Every part is safe to print or log.
/// </summary>
public sealed record AcquisitionExplanation(SelectionResult Selection, PurchaseDecision Decision)
{
    /// <summary>The listings ranked below the winner.</summary>
    public IReadOnlyList<RankedListing> Losers => Selection.Ranking.Skip(1).ToArray();

    /// <summary>The selector's sentence: what won, on what, among how many, what was filtered out.</summary>
    public string Why => Selection.Explanation;

    public override string ToString()
    {
        var losers = Losers.Count == 0
            ? string.Empty
            : "; losers: " + string.Join(", ", Losers.Select(l => $"{l.Listing.CompiledId[..12]} ({(l.Listing.IsFree ? "free" : Money.Format(l.Listing.PriceMsat))}, accuracy {(l.Accuracy < 0 ? "unstated" : l.Accuracy.ToString("0.###", CultureInfo.InvariantCulture))})"));
        return $"{Why}{losers}; {(Decision.Buy ? "decision" : "skipped")}: {Decision.Reason}";
    }
}

/// <summary>A verified manifest an agent holds now: content (its compiled_id recomputed), where it came from, what it cost, and a callable signature.</summary>
public sealed record AgentAcquisition
{
    public required string CompiledId { get; init; }

    public required Format.Manifest Manifest { get; init; }

    /// <summary>The exact text in the cache.</summary>
    public required string Text { get; init; }

    public required Listing Listing { get; init; }

    public required AcquireSource Source { get; init; }

    /// <summary>What this call paid, msat: 0 from the cache, a free listing, a receipt, or a payment an earlier run made.</summary>
    public required long PaidMsat { get; init; }

    public long? FeeMsat { get; init; }

    /// <summary>The payment behind it (now or earlier); null for a free manifest.</summary>
    public string? PaymentHash { get; init; }

    public required AcquisitionExplanation Explanation { get; init; }

    /// <summary>The manifest as a signature to call through any IChatClient (the generated classes' prompt layout and reply parser).</summary>
    public required DynamicSignature Signature { get; init; }

    public string CachePath { get; init; } = string.Empty;
}
