namespace ManifestBuild.Lightning.Payments;

/// <summary>Refusal codes of the payment guard, the purchase ledger and the dev node (DSRS0470-0499).</summary>
public static class PaymentErrorCodes
{
    /// <summary>The invoice has no amount: ManifestBuild never pays an amount it chose itself.</summary>
    public const string NoAmount = "DSRS0470";

    /// <summary>The invoice amount differs from the listing's price.</summary>
    public const string AmountMismatch = "DSRS0471";

    /// <summary>The price is above the item's MaxPriceMsat.</summary>
    public const string OverItemCap = "DSRS0472";

    /// <summary>The price is above what is left of the build's budget.</summary>
    public const string OverBudget = "DSRS0473";

    /// <summary>The invoice is for another network than the configured one.</summary>
    public const string WrongNetwork = "DSRS0474";

    /// <summary>The invoice is not signed by the listing's node.</summary>
    public const string WrongPayee = "DSRS0475";

    /// <summary>The invoice has expired or expires within the safety margin.</summary>
    public const string Expired = "DSRS0476";

    /// <summary>The invoice has no payment secret.</summary>
    public const string NoPaymentSecret = "DSRS0477";

    /// <summary>The invoice description does not name the compiled_id being bought.</summary>
    public const string DescriptionWithoutCompiledId = "DSRS0478";

    /// <summary>The invoice's signature is invalid or cannot be recovered.</summary>
    public const string BadSignature = "DSRS0479";

    /// <summary>The invoice is not a valid BOLT #11 invoice for another reason (the inner code says which rule).</summary>
    public const string InvalidInvoice = "DSRS0480";

    /// <summary>The purchase request itself is malformed (compiled_id, price, cap, node id, fee cap).</summary>
    public const string InvalidRequest = "DSRS0481";

    /// <summary>The node reported a definitive failure: nothing was paid, a later attempt may pay.</summary>
    public const string PaymentFailed = "DSRS0482";

    /// <summary>The payment is still in flight (or its outcome unknown): it is tracked, never re-sent.</summary>
    public const string PaymentInFlight = "DSRS0483";

    /// <summary>The node reported success with a preimage that does not hash to the payment hash.</summary>
    public const string PreimageMismatch = "DSRS0484";

    /// <summary>Another process held the purchase lock for too long.</summary>
    public const string LockTimeout = "DSRS0485";

    /// <summary>A ledger record is unreadable or inconsistent.</summary>
    public const string LedgerCorrupt = "DSRS0486";

    /// <summary>No ledger record for that payment hash.</summary>
    public const string RecordNotFound = "DSRS0487";

    /// <summary>The ledger record is not in a state that allows the change (e.g. delivering an unpaid purchase).</summary>
    public const string InvalidTransition = "DSRS0488";

    /// <summary>Dev node: the invoice is not a regtest invoice.</summary>
    public const string DevNotRegtest = "DSRS0490";

    /// <summary>Dev node: the invoice has no amount (the dev node never chooses one).</summary>
    public const string DevNoAmount = "DSRS0491";

    /// <summary>Dev node: the invoice is already paid or a payment to it is in flight.</summary>
    public const string DevAlreadyPaid = "DSRS0492";

    /// <summary>Dev node: the invoice has expired.</summary>
    public const string DevExpired = "DSRS0493";

    /// <summary>Dev node: a node cannot pay its own invoice.</summary>
    public const string DevSelfPayment = "DSRS0494";

    /// <summary>Dev node: bad node name, ledger folder, amount, fee cap or hold-invoice operation.</summary>
    public const string DevInvalid = "DSRS0495";

    /// <summary>Dev node: the shared ledger lock could not be taken in time.</summary>
    public const string DevLedgerBusy = "DSRS0496";

    /// <summary>The purchase ledger cannot be written because the disk is full (ENOSPC).</summary>
    public const string LedgerDiskFull = "DSRS0497";

    /// <summary>The purchase ledger cannot be written for another reason (permissions, I/O error); the message names it.</summary>
    public const string LedgerWriteFailed = "DSRS0498";
}
