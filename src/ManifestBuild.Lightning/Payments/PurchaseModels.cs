namespace ManifestBuild.Lightning.Payments;

/// <summary>Everything the guard needs to decide whether an L402 invoice may be paid, and to pay it.</summary>
public sealed record PurchaseRequest
{
    /// <summary>The manifest being bought (64 lowercase hex); the invoice description must name it.</summary>
    public required string CompiledId { get; init; }

    /// <summary>The listing's `price` tag, msat: the invoice must ask exactly this.</summary>
    public required long PriceMsat { get; init; }

    /// <summary>The listing's `node` tag (33-byte hex): the invoice must be signed by this node.</summary>
    public required string ListingNodeId { get; init; }

    /// <summary>The network the user's node is on ("bitcoin", "testnet", "signet", "regtest").</summary>
    public required string ExpectedNetwork { get; init; }

    /// <summary>The item's MaxPriceMsat; null means no per-item cap.</summary>
    public long? MaxPriceMsat { get; init; }

    /// <summary>The build's shared budget; null means no build budget.</summary>
    public BuildBudget? Budget { get; init; }

    /// <summary>The L402 token (macaroon) that goes with the invoice; kept as part of the receipt.</summary>
    public required string Token { get; init; }

    public required string Bolt11 { get; init; }

    /// <summary>Absolute routing fee cap; null uses the guard's default (see PaymentGuardOptions.DefaultFeeCap).</summary>
    public long? MaxFeeMsat { get; init; }

    /// <summary>Who sells it (Nostr pubkey hex), for the receipt; optional.</summary>
    public string? Seller { get; init; }
}

/// <summary>A purchase that is paid: the receipt the L402 retry presents (token and preimage).</summary>
public sealed record PaidPurchase(
    string CompiledId,
    string PaymentHash,
    string Preimage,
    string Token,
    string Bolt11,
    long AmountMsat,
    long? FeeMsat,
    bool AlreadyPaid)
{
    /// <summary>Set when the node charged more in fees than the cap allowed (the payment did go through).</summary>
    public string? FeeWarning { get; init; }
}

/// <summary>The life of a purchase record.</summary>
public enum PurchaseState
{
    /// <summary>Written before the node is called; resolved by a lookup after a crash.</summary>
    Paying,

    /// <summary>The node returned the preimage.</summary>
    Paid,

    /// <summary>The content arrived (check MarkedFraud: delivered content that did not match).</summary>
    Delivered,

    /// <summary>The node said the payment definitively failed: nothing was paid.</summary>
    Failed,
}

/// <summary>One payment, stored as $DSRS_HOME/ledger/PAYMENT_HASH.json. Token and preimage are receipts: never print them unasked.</summary>
public sealed record PurchaseRecord
{
    public required string PaymentHash { get; init; }

    public required string CompiledId { get; init; }

    public required string Bolt11 { get; init; }

    public required string Token { get; init; }

    public required long AmountMsat { get; init; }

    public required string Payee { get; init; }

    public required PurchaseState State { get; init; }

    public string? Preimage { get; init; }

    public long? FeeMsat { get; init; }

    public long MaxFeeMsat { get; init; }

    public string? Seller { get; init; }

    public string? NodeKind { get; init; }

    /// <summary>How many times this invoice was handed to the node (only a definitive failure allows another).</summary>
    public int Attempts { get; init; }

    public string? FailureReason { get; init; }

    /// <summary>The node reported a fee above <see cref="MaxFeeMsat"/>: said here, and to the user, never silently.</summary>
    public string? FeeWarning { get; init; }

    public bool Fraud { get; init; }

    public string? FraudReason { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>Paid or delivered, with a preimage, not flagged: a receipt that can be presented again.</summary>
    public bool IsReceipt => State is PurchaseState.Paid or PurchaseState.Delivered && Preimage is not null && !Fraud;

    /// <summary>Settled, never delivered, flagged: the seller took the money; its receipt is kept for a late delivery.</summary>
    public bool IsUndeliveredFraud => State == PurchaseState.Paid && Preimage is not null && Fraud;

    /// <summary>Settled and not yet delivered (flagged or not): what may only ever be delivered, never paid again.</summary>
    public bool IsPaidUndelivered => State == PurchaseState.Paid && Preimage is not null;

    public PaidPurchase ToPaidPurchase(bool alreadyPaid) =>
        new(CompiledId, PaymentHash, Preimage!, Token, Bolt11, AmountMsat, FeeMsat, alreadyPaid) { FeeWarning = FeeWarning };
}

/// <summary>Points where the guard reports progress (the crash tests kill the process at each).</summary>
public enum PurchaseStep
{
    /// <summary>The `paying` record is durable; the node has not been called yet.</summary>
    RecordWritten,

    /// <summary>The node returned from PayAsync; its answer is not recorded yet.</summary>
    NodeReturned,

    /// <summary>The preimage is durable in the `paid` record.</summary>
    PreimageStored,
}
