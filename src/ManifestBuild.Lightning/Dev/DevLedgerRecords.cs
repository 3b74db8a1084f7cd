namespace ManifestBuild.Lightning.Dev;

/// <summary>States of an invoice issued by a dev node.</summary>
public enum DevInvoiceState
{
    /// <summary>Issued, unpaid.</summary>
    Open,

    /// <summary>A hold invoice whose payment arrived and waits for the payee to settle or cancel it.</summary>
    Accepted,

    /// <summary>Paid: the payer holds the preimage.</summary>
    Settled,

    /// <summary>A hold invoice the payee cancelled: the payer's payment failed, no money moved.</summary>
    Cancelled,
}

/// <summary>An invoice issued by a dev node, as the shared ledger stores it. The single source of truth of a dev payment.</summary>
public sealed record DevInvoice
{
    public required string PaymentHash { get; init; }

    public required string Preimage { get; init; }

    public required string PayeeName { get; init; }

    public required string PayeeNodeId { get; init; }

    public required long AmountMsat { get; init; }

    public required string Description { get; init; }

    public required string Bolt11 { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset ExpiresAt { get; init; }

    public bool Hold { get; init; }

    public DevInvoiceState State { get; init; }

    /// <summary>The name of the dev node that paid it.</summary>
    public string? PaidBy { get; init; }

    public DateTimeOffset? PaidAt { get; init; }
}

/// <summary>A payer's record that it attempted a payment (the outcome is read from the invoice).</summary>
internal sealed record DevPaymentRecord
{
    public required string PaymentHash { get; init; }

    public required long AmountMsat { get; init; }

    /// <summary>When the payment reached the ledger (after the node's latency): its end.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When PayAsync was called (before the latency); null in records written before it was kept.</summary>
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>Set when the payment failed before reaching an invoice of this ledger.</summary>
    public string? FailureReason { get; init; }
}

/// <summary>One line of the ledger's append-only attempt log: every PayAsync call that reached the ledger.</summary>
internal sealed record DevAttempt(string Payer, string PaymentHash, string Outcome, DateTimeOffset At);

/// <summary>
/// One payment a dev node made, as its ledger recorded it: when PayAsync was called and when the payment
/// reached the ledger (settled or failed), so tests can see payments that overlapped in time.
/// </summary>
public sealed record DevPayment(string PaymentHash, long AmountMsat, DateTimeOffset StartedAt, DateTimeOffset FinishedAt, bool Failed);
