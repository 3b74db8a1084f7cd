namespace ManifestBuild.Lightning.Nodes;

/// <summary>
/// The user's own Lightning node, whatever its kind (LND, Core Lightning, LNbits, phoenixd, NWC, dev).
/// Deliberately small: ManifestBuild only pays invoices it has checked, creates invoices to sell,
/// and looks payments up by hash to recover after a crash.
/// </summary>
public interface ILightningNode : IAsyncDisposable
{
    /// <summary>"lnd-rest", "clightning-rest", "lnbits", "phoenixd", "nwc", "dev".</summary>
    string Kind { get; }

    Task<NodeInfo> GetInfoAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Pays exactly the invoice's own amount (never an amount override) with an absolute routing fee
    /// cap. Returns when the node reports a final state, or Pending when it is still in flight at
    /// the node's own timeout. Throws DsrsException only when the request itself could not be made
    /// or was refused before any payment attempt (then nothing was paid).
    /// </summary>
    Task<PaymentResult> PayAsync(string bolt11, long maxFeeMsat, CancellationToken cancellationToken);

    /// <summary>Looks an outgoing payment up by its payment hash (lowercase hex).</summary>
    Task<PaymentResult> LookupPaymentAsync(string paymentHashHex, CancellationToken cancellationToken);

    /// <summary>Creates an invoice on this node (sellers). Description is stored in the `d` field.</summary>
    Task<CreatedInvoice> CreateInvoiceAsync(long amountMsat, string description, TimeSpan expiry, CancellationToken cancellationToken);
}

/// <summary>Network names as BOLT #11 uses them: "bitcoin", "testnet", "signet", "regtest".</summary>
public sealed record NodeInfo(string NodeIdHex, string Network, string? Alias, long? SpendableMsat);

public enum PaymentStatus
{
    /// <summary>The node has never seen a payment to this hash: nothing was paid, paying is allowed.</summary>
    NotFound,

    /// <summary>In flight: never re-send, keep tracking.</summary>
    Pending,

    /// <summary>Paid; the preimage is known.</summary>
    Succeeded,

    /// <summary>Definitively failed at the node: no money moved, a new attempt is allowed.</summary>
    Failed,
}

public sealed record PaymentResult(
    PaymentStatus Status,
    string PaymentHashHex,
    string? PreimageHex = null,
    long? AmountMsat = null,
    long? FeeMsat = null,
    string? FailureReason = null)
{
    /// <summary>Something the user must hear about a payment that did go through (e.g. a fee above the cap).</summary>
    public string? Warning { get; init; }
}

public sealed record CreatedInvoice(string Bolt11, string PaymentHashHex, DateTimeOffset ExpiresAt);
