using ManifestBuild.Format;

namespace ManifestBuild.Lightning.Payments;

/// <summary>
/// What one build may still spend (DsrsBudgetMsat). Shared by every purchase of that build, thread-safe:
/// a price is reserved before paying and released again only when the node says the payment failed.
/// A build that pays several items at once first takes a <see cref="BudgetReservation"/> per item, in
/// declaration order, and hands each purchase the reservation's own budget: the purchases then run in
/// parallel, each unable to spend more than its reservation, so together they never exceed this one.
/// </summary>
public sealed class BuildBudget
{
    private readonly object gate = new();
    private long spentMsat;

    public BuildBudget(long totalMsat)
    {
        if (totalMsat < 0)
        {
            throw new DsrsException(PaymentErrorCodes.InvalidRequest, "the build budget is negative");
        }

        TotalMsat = totalMsat;
    }

    public long TotalMsat { get; }

    public long SpentMsat
    {
        get
        {
            lock (gate)
            {
                return spentMsat;
            }
        }
    }

    public long RemainingMsat
    {
        get
        {
            lock (gate)
            {
                return TotalMsat - spentMsat;
            }
        }
    }

    /// <summary>Reserves the amount if it fits in what remains.</summary>
    public bool TryReserve(long amountMsat)
    {
        lock (gate)
        {
            if (amountMsat < 0 || amountMsat > TotalMsat - spentMsat)
            {
                return false;
            }

            spentMsat += amountMsat;
            return true;
        }
    }

    /// <summary>
    /// Sets aside the amount for one purchase if it fits in what remains; null when it does not. The
    /// purchase spends from <see cref="BudgetReservation.Budget"/>; <see cref="BudgetReservation.Settle"/>
    /// then gives back whatever of it the purchase did not spend.
    /// </summary>
    public BudgetReservation? TryReserveFor(long amountMsat) =>
        TryReserve(amountMsat) ? new BudgetReservation(this, amountMsat) : null;

    /// <summary>Gives back a reservation whose payment definitively failed.</summary>
    public void Release(long amountMsat)
    {
        lock (gate)
        {
            spentMsat = Math.Max(0, spentMsat - amountMsat);
        }
    }
}
