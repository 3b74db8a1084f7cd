namespace ManifestBuild.Lightning.Payments;

/// <summary>
/// One purchase's share of a <see cref="BuildBudget"/>, set aside before the purchase starts. The purchase
/// is handed <see cref="Budget"/> (a budget of exactly the reserved amount) and pays through the payment
/// guard as any purchase does: the guard reserves from it when it pays, keeps a payment the node reports
/// paid or in flight, and releases one the node says failed. <see cref="Settle"/>, called once the purchase
/// is over, returns to the build's budget what the purchase did not spend (all of it for an item that was
/// free, cached or already paid after all), so the build's budget ends holding exactly what was paid.
/// </summary>
public sealed class BudgetReservation
{
    private readonly BuildBudget parent;
    private int settled;

    internal BudgetReservation(BuildBudget parent, long amountMsat)
    {
        this.parent = parent;
        AmountMsat = amountMsat;
        Budget = new BuildBudget(amountMsat);
    }

    /// <summary>What was set aside.</summary>
    public long AmountMsat { get; }

    /// <summary>The purchase's own budget: it can never spend more than the reservation.</summary>
    public BuildBudget Budget { get; }

    /// <summary>
    /// Gives back the part the purchase did not spend; the spent part stays spent in the build's budget.
    /// Call it only when the purchase is over (its task finished): a payment still being made would be
    /// counted as unspent. Idempotent. Returns what stays spent.
    /// </summary>
    public long Settle()
    {
        var spent = Budget.SpentMsat;
        if (Interlocked.Exchange(ref settled, 1) == 0)
        {
            parent.Release(AmountMsat - spent);
        }

        return spent;
    }
}
