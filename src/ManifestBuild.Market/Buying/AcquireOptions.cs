using ManifestBuild.Lightning.Nodes;
using ManifestBuild.Lightning.Payments;

namespace ManifestBuild.Market.Buying;

/// <summary>How a manifest may be acquired: what may be paid, through which node, where receipts live.</summary>
public sealed record AcquireOptions
{
    /// <summary>$DSRS_HOME: cache, ledger and receipts.</summary>
    public required string Home { get; init; }

    /// <summary>The item's MaxPriceMsat; null means no per-item cap.</summary>
    public long? ItemMaxPriceMsat { get; init; }

    /// <summary>The build's shared budget; null means none.</summary>
    public BuildBudget? BuildBudget { get; init; }

    /// <summary>The user's own node; required only when a payment is needed.</summary>
    public ILightningNode? Node { get; init; }

    /// <summary>The network invoices must be for; null asks the node.</summary>
    public string? Network { get; init; }

    /// <summary>Absolute routing fee cap; null uses the guard's default.</summary>
    public long? MaxFeeMsat { get; init; }

    /// <summary>False in locked mode (and while `dsrs buy` checks whether it must pay at all): a paid manifest without a receipt fails instead of paying.</summary>
    public bool AllowPay { get; init; } = true;

    /// <summary>Extra receipts (from DSRS_RECEIPTS), consulted after the home's.</summary>
    public IReadOnlyList<Receipt> ExtraReceipts { get; init; } = [];

    /// <summary>Guard tunables (tests shorten waits); null uses the defaults.</summary>
    public PaymentGuardOptions? GuardOptions { get; init; }

    /// <summary>Timeout of each HTTP request to a seller.</summary>
    public TimeSpan HttpTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Sellers the project blocks (DsrsBlockedSellers, hex), on top of the ledger's standing.</summary>
    public IReadOnlyList<string> BlockedSellers { get; init; } = [];

    /// <summary>How delivery is retried after a settled payment before the seller counts as a fraud.</summary>
    public DeliveryRetry Delivery { get; init; } = DeliveryRetry.Default;
}

/// <summary>
/// The retry policy after a settled payment: up to <see cref="Attempts"/> downloads, waiting
/// <see cref="Delay"/> (doubling) between them. A seller that still has not delivered took the money
/// without delivering: the payment is flagged and the seller blocked; the receipt is kept, so a later
/// build retries the delivery with it and never pays again.
/// </summary>
public sealed record DeliveryRetry(int Attempts, TimeSpan Delay)
{
    public static readonly DeliveryRetry Default = new(3, TimeSpan.FromSeconds(1));
}

/// <summary>Where an acquired manifest came from.</summary>
public enum AcquireSource
{
    /// <summary>The local cache: no network.</summary>
    Cache,

    /// <summary>A free listing's content.</summary>
    FreeListing,

    /// <summary>Bought now (or paid by an earlier run and delivered now).</summary>
    Purchase,

    /// <summary>Downloaded again with a stored receipt: nothing paid.</summary>
    Receipt,
}

/// <summary>A verified whole manifest (its compiled_id recomputed), stored in the cache.</summary>
public sealed record AcquiredManifest
{
    /// <summary>The content as delivered, checked once by <see cref="Format.ManifestVerifier"/> against the id asked for.</summary>
    public required Format.VerifiedManifest Verified { get; init; }

    public string CompiledId => Verified.CompiledId;

    public Format.Manifest Manifest => Verified.Manifest;

    /// <summary>The exact text stored in the cache.</summary>
    public string Text => Verified.Text;

    public required AcquireSource Source { get; init; }

    /// <summary>Set when a payment backs this manifest (now or earlier).</summary>
    public string? PaymentHash { get; init; }

    /// <summary>What this call paid, msat (0 for cache, free, receipt, or a payment made by an earlier run).</summary>
    public long PricePaidMsat { get; init; }

    public long? FeePaidMsat { get; init; }

    public string CachePath { get; init; } = string.Empty;
}

/// <summary>What proves a seller delivered content that does not match the compiled_id it sold.</summary>
public sealed record FraudEvidence(string CompiledId, string SellerPubKey, string PaymentHash, string Bolt11, string PreimageHex, string DeliveredSha256, string Reason);

/// <summary>DSRS0530: the delivered content is not the manifest that was paid for. The fraud is in the ledger.</summary>
public sealed class ContentMismatchException : Format.DsrsException
{
    public ContentMismatchException(FraudEvidence evidence)
        : base(MarketErrorCodes.ContentMismatch, $"the seller delivered content that is not manifest {evidence.CompiledId} ({evidence.Reason}); payment {evidence.PaymentHash} is recorded as fraud in the ledger and `dsrs review` can publish the proof")
    {
        Evidence = evidence;
    }

    public FraudEvidence Evidence { get; }
}
