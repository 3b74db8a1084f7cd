using System.Globalization;
using ManifestBuild.Format;
using ManifestBuild.Lightning.Payments;

namespace ManifestBuild.Agent.Market;

/// <summary>How the period of a <see cref="PeriodBudget"/> is counted.</summary>
public enum BudgetPeriodKind
{
    /// <summary>The last <see cref="PeriodBudget.Period"/> before now (a sliding window).</summary>
    Rolling,

    /// <summary>Fixed UTC periods: a day starts at 00:00 UTC, an hour on the hour, a week on Monday 00:00 UTC.</summary>
    Calendar,
}

/// <summary>
/// What agents on one $DSRS_HOME may spend per period, in msat of listing prices (routing fees are
/// capped per payment by MaxFeeMsat). Kept nowhere but in the purchase ledger: the spend is the sum
/// of the home's payments in the period, so a restart or another process on the same home sees it.
/// </summary>
public sealed record PeriodBudget
{
    public PeriodBudget(long limitMsat, TimeSpan period, BudgetPeriodKind kind = BudgetPeriodKind.Rolling)
    {
        if (limitMsat < 0)
        {
            throw new DsrsException(AgentErrorCodes.InvalidAgentOptions, $"the budget of {limitMsat} msat is negative");
        }

        if (period <= TimeSpan.Zero)
        {
            throw new DsrsException(AgentErrorCodes.InvalidAgentOptions, "the budget period must be longer than zero");
        }

        LimitMsat = limitMsat;
        Period = period;
        Kind = kind;
    }

    /// <summary>No budget: an agent pays nothing until it is given one (as a build with DsrsBudgetMsat 0).</summary>
    public static PeriodBudget None { get; } = new(0, TimeSpan.FromDays(1));

    public long LimitMsat { get; }

    public TimeSpan Period { get; }

    public BudgetPeriodKind Kind { get; }

    /// <summary>At most <paramref name="sats"/> per day (rolling 24 hours unless told otherwise).</summary>
    public static PeriodBudget SatsPerDay(long sats, BudgetPeriodKind kind = BudgetPeriodKind.Rolling) => new(checked(sats * 1000), TimeSpan.FromDays(1), kind);

    /// <summary>The first instant that counts towards the period containing <paramref name="now"/>.</summary>
    public DateTimeOffset PeriodStart(DateTimeOffset now) => Kind == BudgetPeriodKind.Rolling
        ? now - Period
        : new DateTimeOffset(now.UtcTicks - (now.UtcTicks % Period.Ticks), TimeSpan.Zero);

    public override string ToString() =>
        $"{LimitMsat.ToString(CultureInfo.InvariantCulture)} msat per {(Kind == BudgetPeriodKind.Rolling ? "rolling " : "calendar ")}{Period}";
}

/// <summary>
/// The home's spending against a <see cref="PeriodBudget"/>: read from the ledger under one OS lock
/// (ledger/locks/agent-budget.lock) that an agent holds from the check until its payment is recorded,
/// so two processes can never both take the last of the budget.
/// </summary>
internal sealed class HomeSpending(PurchaseLedger ledger, PeriodBudget budget, TimeProvider time)
{
    public PeriodBudget Budget => budget;

    /// <summary>
    /// What the home's ledger shows paid or in flight in the current period, builds' payments included
    /// (one wallet). A record counts by its last change, so a payment retried later is never missed.
    /// </summary>
    public long SpentMsat()
    {
        var start = budget.PeriodStart(time.GetUtcNow());
        return ledger.List()
            .Where(r => r.State != PurchaseState.Failed && r.UpdatedAt >= start)
            .Sum(r => r.AmountMsat);
    }

    public long RemainingMsat() => Math.Max(0, budget.LimitMsat - SpentMsat());

    public async Task<IDisposable> LockAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var path = Path.Combine(ledger.Directory, "locks", "agent-budget.lock");
        return await FileLock.TryAcquireAsync(path, timeout, cancellationToken).ConfigureAwait(false)
            ?? throw new DsrsException(AgentErrorCodes.BudgetLockTimeout, $"another process held the budget lock {path} for more than {timeout.TotalSeconds:0} s; nothing was paid");
    }
}
