using ManifestBuild.Lightning.Dev;
using ManifestBuild.Lightning.Nodes;

namespace ManifestBuild.Lightning.Tests.SpecFakes;

/// <summary>What a spec fake does with the next payment it is asked to make.</summary>
internal enum FakePayOutcome
{
    /// <summary>Pay through the dev network (a hold invoice stays in flight until its payee settles it).</summary>
    Pay,

    /// <summary>Find no route: nothing leaves the wallet, the payment is recorded as failed.</summary>
    NoRoute,

    /// <summary>Pay, then drop the connection before answering (the caller never hears the outcome).</summary>
    PayThenDrop,

    /// <summary>Record the attempt as in flight without paying yet (a real node still retrying).</summary>
    StayInFlight,
}

/// <summary>One outgoing payment as the fake node's own database holds it.</summary>
internal sealed record FakePayment(string Hash, string Bolt11, long AmountMsat, FakePaymentState State, string? Preimage, long FeeMsat, string? Failure, long Index, DateTimeOffset CreatedAt);

internal enum FakePaymentState
{
    InFlight,
    Succeeded,
    Failed,
}

/// <summary>
/// The wallet behind every spec fake: the node's payment database plus real settlement through a
/// dev node on a dev network, so the seller's dev node sees exactly the payments that arrived and a
/// double payment is visible there. Spec violations are collected and fail the test when the fake stops.
/// </summary>
internal sealed class FakeLightningBackend
{
    private readonly object gate = new();
    private readonly Dictionary<string, FakePayment> payments = [];
    private readonly List<string> violations = [];
    private long nextIndex = 1;
    private TaskCompletionSource changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public FakeLightningBackend(DevNode wallet, long feeMsat = 0)
    {
        Wallet = wallet;
        FeeMsat = feeMsat;
    }

    /// <summary>The dev node that actually moves the money.</summary>
    public DevNode Wallet { get; }

    /// <summary>The routing fee every successful payment reports, in msat.</summary>
    public long FeeMsat { get; set; }

    /// <summary>Chooses what happens to the next payment (default: pay).</summary>
    public Func<string, FakePayOutcome> Outcome { get; set; } = _ => FakePayOutcome.Pay;

    public IReadOnlyList<string> Violations
    {
        get
        {
            lock (gate)
            {
                return [.. violations];
            }
        }
    }

    /// <summary>Records a request that the node's own spec does not allow.</summary>
    public void Violation(string text)
    {
        lock (gate)
        {
            violations.Add(text);
        }
    }

    /// <summary>The stored payment for a hash, refreshed from the dev network while in flight.</summary>
    public async Task<FakePayment?> FindAsync(string hash)
    {
        FakePayment? payment;
        lock (gate)
        {
            payment = payments.GetValueOrDefault(hash);
        }

        if (payment is not { State: FakePaymentState.InFlight } || payment.Failure == "not sent yet")
        {
            return payment;
        }

        var now = await Wallet.LookupPaymentAsync(hash, CancellationToken.None);
        return Store(now.Status switch
        {
            PaymentStatus.Succeeded => payment with { State = FakePaymentState.Succeeded, Preimage = now.PreimageHex, FeeMsat = FeeMsat },
            PaymentStatus.Failed => payment with { State = FakePaymentState.Failed, Failure = now.FailureReason },
            _ => payment,
        });
    }

    /// <summary>
    /// Starts a payment as a node does: refused when one for the hash is already in flight or
    /// succeeded (returns that one and <c>true</c>), else recorded first and then sent.
    /// </summary>
    public async Task<(FakePayment Payment, bool Existing, FakePayOutcome Outcome)> PayAsync(string bolt11)
    {
        var facts = InvoiceFacts.Read(bolt11);
        var hash = facts.PaymentHashHex;
        FakePayment started;
        var outcome = Outcome(hash);
        lock (gate)
        {
            PayRequests++;
            if (payments.TryGetValue(hash, out var existing) && existing.State != FakePaymentState.Failed)
            {
                return (existing, true, outcome);
            }

            started = new FakePayment(hash, bolt11, facts.AmountMsat ?? 0, FakePaymentState.InFlight, null, 0, outcome == FakePayOutcome.StayInFlight ? "not sent yet" : null, nextIndex++, DateTimeOffset.UtcNow);
            payments[hash] = started;
        }

        if (outcome == FakePayOutcome.StayInFlight)
        {
            return (started, false, outcome);
        }

        if (outcome == FakePayOutcome.NoRoute)
        {
            return (Store(started with { State = FakePaymentState.Failed, Failure = "no route" }), false, outcome);
        }

        var result = await Wallet.PayAsync(bolt11, long.MaxValue, CancellationToken.None);
        return (Store(result.Status switch
        {
            PaymentStatus.Succeeded => started with { State = FakePaymentState.Succeeded, Preimage = result.PreimageHex, FeeMsat = FeeMsat },
            PaymentStatus.Failed => started with { State = FakePaymentState.Failed, Failure = result.FailureReason },
            _ => started,
        }), false, outcome);
    }

    /// <summary>Sends a payment that was held back with <see cref="FakePayOutcome.StayInFlight"/>.</summary>
    public async Task ReleaseAsync(string hash)
    {
        FakePayment payment;
        lock (gate)
        {
            payment = payments[hash];
        }

        Store(payment with { Failure = null });
        var result = await Wallet.PayAsync(payment.Bolt11, long.MaxValue, CancellationToken.None);
        Store(result.Status == PaymentStatus.Succeeded
            ? payment with { State = FakePaymentState.Succeeded, Preimage = result.PreimageHex, FeeMsat = FeeMsat, Failure = null }
            : payment with { Failure = null });
    }

    /// <summary>Completes when any payment changes next (a stream waiting for a final state awaits it).</summary>
    public Task NextChange
    {
        get
        {
            lock (gate)
            {
                return changed.Task;
            }
        }
    }

    /// <summary>How many payments the fake node was asked to start (refused duplicates included).</summary>
    public int PayRequests { get; private set; }

    private FakePayment Store(FakePayment payment)
    {
        TaskCompletionSource fired;
        lock (gate)
        {
            payments[payment.Hash] = payment;
            fired = changed;
            changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        fired.TrySetResult();
        return payment;
    }
}
