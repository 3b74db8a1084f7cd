using ManifestBuild.Format;
using ManifestBuild.Lightning.Payments;

namespace ManifestBuild.Tasks.Resolution;

/// <summary>
/// The items the build must search for and buy, acquired at once: each is chosen (searched and selected)
/// one by one in declaration order, and a paying item's price is reserved from the build's one budget
/// right then, before anything is paid. Each acquisition then runs with its reservation's own budget (at
/// most <see cref="ParallelPurchases"/> at a time), through the payment guard with all its checks, its
/// ledger record and its receipt, so no purchase can spend more than it reserved and together they never
/// exceed the budget. An item whose price did not fit waits until that round of acquisitions is over, then
/// is chosen again (a seller found a fraud meanwhile is blocked, a manifest bought meanwhile is cached) and
/// gets the budget that is left (what failed payments gave back), still in declaration order. The
/// results are handed over, logged and pinned afterwards, in declaration order, by the ordinary loop.
/// </summary>
public sealed partial class ManifestResolver
{
    /// <summary>How many acquisitions (seller requests and payments) run at once.</summary>
    internal const int ParallelPurchases = 8;

    /// <summary>
    /// The refusal of a price the build may not pay, the same words wherever it is checked (a manifest, a
    /// bundle, a dataset): DSRS0057 when the no-pay switch is on, else DSRS0473 with what is left.
    /// </summary>
    internal static DsrsException OverBudget(string what, long priceMsat, BuildBudget budget, ResolveSettings settings) =>
        settings.NoPay
            ? new DsrsException(BuildErrorCodes.NoPay, $"the selected {what} costs {priceMsat} msat and the no-pay switch ({NoPaySwitch.Variable}) is on; nothing was paid")
            : new DsrsException(PaymentErrorCodes.OverBudget, $"the selected {what} costs {priceMsat} msat but only {budget.RemainingMsat} of DsrsBudgetMsat {budget.TotalMsat} msat is left for this build; nothing was paid");

    /// <summary>
    /// Chooses, reserves and acquires every plan that buys; returns each item's finished acquisition
    /// (a result or its failure). Nothing it started is still running when it returns.
    /// </summary>
    private async Task<Dictionary<DeclaredManifest, Task<MarketAcquisition>>> AcquireAllAsync(IReadOnlyList<ItemPlan> plans, CancellationToken cancellationToken)
    {
        var outcomes = new Dictionary<DeclaredManifest, Task<MarketAcquisition>>(ReferenceEqualityComparer.Instance);
        var buying = plans.Where(p => p.Step == ResolveStep.Acquire).Select(p => p.Item).ToArray();
        if (buying.Length == 0 || settings.Relays.Count == 0)
        {
            return outcomes;
        }

        var market = OpenMarket();
        using var slots = new SemaphoreSlim(ParallelPurchases);
        var pending = buying.ToList();
        while (pending.Count > 0)
        {
            var waiting = new List<MarketChoice>();
            var started = new List<Task<MarketAcquisition>>();
            var chosen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var item in pending)
            {
                MarketChoice choice;
                try
                {
                    choice = await market.ChooseAsync(item, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e)
                {
                    outcomes[item] = Task.FromException<MarketAcquisition>(e);
                    continue;
                }

                // A second item on the same manifest waits for the first: chosen again, it is then cached, paid once.
                var reservation = !chosen.Add(choice.CompiledId) && choice.Pays ? null
                    : choice.Pays ? budget.TryReserveFor(choice.PriceMsat)
                    : null;
                if (choice.Pays && reservation is null)
                {
                    waiting.Add(choice);
                    continue;
                }

                var task = AcquireOneAsync(market, choice, reservation?.Budget ?? budget, reservation, slots, cancellationToken);
                outcomes[item] = task;
                started.Add(task);
            }

            await WhenAllSettledAsync(started).ConfigureAwait(false);
            if (started.Count == 0)
            {
                // Nothing else can give budget back: what still does not fit is refused, nothing paid.
                foreach (var choice in waiting)
                {
                    outcomes[choice.Item] = Task.FromException<MarketAcquisition>(OverBudget("listing " + Short(choice.CompiledId), choice.PriceMsat, budget, settings));
                }

                break;
            }

            // Every reservation of this round is settled: the waiting items are chosen again (a seller may
            // be blocked now, a manifest cached) and get what is left, still in declaration order.
            pending = [.. waiting.Select(c => c.Item)];
        }

        return outcomes;
    }

    /// <summary>One acquisition in its slot; its reservation is settled the moment it is over, whatever the outcome.</summary>
    private static async Task<MarketAcquisition> AcquireOneAsync(IManifestMarket market, MarketChoice choice, BuildBudget itemBudget, BudgetReservation? reservation, SemaphoreSlim slots, CancellationToken cancellationToken)
    {
        try
        {
            await slots.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                return await market.AcquireAsync(choice, itemBudget, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                slots.Release();
            }
        }
        finally
        {
            reservation?.Settle();
        }
    }

    private static async Task WhenAllSettledAsync(IEnumerable<Task> tasks)
    {
        foreach (var task in tasks.ToArray())
        {
            try
            {
                await task.ConfigureAwait(false);
            }
            catch (Exception)
            {
                // Observed here, reported by the item's own step (in declaration order).
            }
        }
    }
}
