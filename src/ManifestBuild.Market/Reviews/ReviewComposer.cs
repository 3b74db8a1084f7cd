using System.Text.RegularExpressions;
using ManifestBuild.Format;
using ManifestBuild.Lightning.Payments;
using ManifestBuild.Nostr;

namespace ManifestBuild.Market.Reviews;

/// <summary>
/// Turns what the buyer's ledger knows into a review: a verified-purchase review when the ledger holds
/// a delivered purchase of the manifest, a fraud report (rating 1, with the proof and the hash of what
/// was delivered) when the purchase was recorded as fraud, else an unverified review.
/// </summary>
public static partial class ReviewComposer
{
    /// <param name="measurement">A <c>dsrs evaluate</c> result to attach; it requires a verified purchase (DSRS0576).</param>
    public static NostrEvent Compose(NostrKeyPair author, string sellerPubKey, string compiledId, int rating, string? comment, string home, bool requireVerified = false, Measurement? measurement = null)
    {
        // Only this seller's purchases: an impostor's fraud for the same compiled_id is not the real seller's.
        var records = PurchaseLedger.ForHome(home).FindByCompiledId(compiledId)
            .Where(r => r.Seller is null || string.Equals(r.Seller, sellerPubKey, StringComparison.OrdinalIgnoreCase)).ToList();
        var fraud = records.FirstOrDefault(r => r.Fraud && r.Preimage is not null);
        if (fraud is not null)
        {
            var delivered = DeliveredHash().Match(fraud.FraudReason ?? string.Empty);
            var sha = delivered.Success ? delivered.Groups[1].Value : new string('0', 64);
            var what = fraud.IsUndeliveredFraud ? "The seller was paid but never delivered the manifest." : "The seller was paid but delivered content that does not hash to the compiled_id.";
            return ReviewBuilder.Build(author, sellerPubKey, compiledId, 1, comment ?? what, new PurchaseProof(fraud.Bolt11, fraud.Preimage!), sha);
        }

        var delivered2 = records.FirstOrDefault(r => r.State == PurchaseState.Delivered && r.Preimage is not null && !r.Fraud)
                         ?? records.FirstOrDefault(r => r.IsReceipt);
        if (delivered2 is null && measurement is not null)
        {
            throw new DsrsException(MarketErrorCodes.MeasurementNotVerified, $"the ledger in {home} holds no delivered purchase of {compiledId}; a measurement counts only from a verified purchase");
        }

        if (delivered2 is null && requireVerified)
        {
            throw new DsrsException(MarketErrorCodes.ReviewBuildFailed, $"the ledger in {home} holds no purchase of {compiledId}, so the review cannot be a verified purchase");
        }

        return ReviewBuilder.Build(author, sellerPubKey, compiledId, rating, comment, delivered2 is null ? null : new PurchaseProof(delivered2.Bolt11, delivered2.Preimage!), measurement: measurement);
    }

    public static NostrEvent ComposeFraud(NostrKeyPair author, Buying.FraudEvidence evidence, string? comment = null) =>
        ReviewBuilder.Build(author, evidence.SellerPubKey, evidence.CompiledId, 1, comment ?? $"Paid, but the delivered content does not hash to the compiled_id ({evidence.Reason}).", new PurchaseProof(evidence.Bolt11, evidence.PreimageHex), evidence.DeliveredSha256);

    [GeneratedRegex("sha256 ([0-9a-f]{64})")]
    private static partial Regex DeliveredHash();
}
