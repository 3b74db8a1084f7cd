using ManifestBuild.Lightning.Payments;
using ManifestBuild.Nostr.Relays;
using Microsoft.Extensions.Logging;

namespace ManifestBuild.Agent.Market;

/// <summary>How an agent process reaches the market and what it may spend. Everything else comes from $DSRS_HOME.</summary>
public sealed record AgentMarketOptions
{
    /// <summary>The no-pay switch in the environment: <c>DSRS_NO_PAY=1</c> (any value but empty, 0 or false).</summary>
    public const string NoPayVariable = NoPaySwitch.Variable;

    /// <summary>The relays' environment variable when <see cref="Relays"/> is empty, as the dsrs tool reads it (';'-separated).</summary>
    public const string RelaysVariable = "DSRS_RELAYS";

    /// <summary>Relays to search; empty reads DSRS_RELAYS.</summary>
    public IReadOnlyList<Uri> Relays { get; init; } = [];

    /// <summary>$DSRS_HOME (cache, ledger, receipts, keys, config.json); null resolves it as the build does (DSRS_HOME, else ~/.dsrs).</summary>
    public string? Home { get; init; }

    /// <summary>The environment: DSRS_HOME, DSRS_NODE, DSRS_NO_PAY, DSRS_RELAYS, DSRS_RECEIPTS. Injectable for tests.</summary>
    public Func<string, string?> Environment { get; init; } = System.Environment.GetEnvironmentVariable;

    /// <summary>What the home's agents may spend per period; <see cref="PeriodBudget.None"/> (the default) pays nothing.</summary>
    public PeriodBudget Budget { get; init; } = PeriodBudget.None;

    /// <summary>The most one purchase may cost, msat; null leaves it to the query's maximum and the budget.</summary>
    public long? MaxPricePerPurchaseMsat { get; init; }

    /// <summary>Absolute routing fee cap per payment, msat; null uses the payment guard's default.</summary>
    public long? MaxFeeMsat { get; init; }

    /// <summary>Never pay (also DSRS_NO_PAY=1): cached, free and already-paid manifests still come through.</summary>
    public bool NoPay { get; init; }

    /// <summary>Decides buy or skip for each purchase; the default is <see cref="DefaultPurchasePolicy"/>.</summary>
    public IPurchasePolicy Policy { get; init; } = DefaultPurchasePolicy.Instance;

    /// <summary>Decides buy or skip for each subscription term; null buys any term within the per-purchase maximum and the period budget.</summary>
    public Func<SubscriptionCandidate, PurchaseDecision>? SubscriptionPolicy { get; init; }

    /// <summary>The floor on the seller's verified rating (1-5) the default policy applies; null for none.</summary>
    public double? MinVerifiedRating { get; init; }

    /// <summary>Where every purchase and skip is logged with its reason (never a secret); null logs nowhere.</summary>
    public ILoggerFactory? LoggerFactory { get; init; }

    /// <summary>Sellers never bought from (hex), on top of the home's standing (proven frauds, `dsrs sellers block`).</summary>
    public IReadOnlyList<string> BlockedSellers { get; init; } = [];

    public TimeSpan SearchDeadline { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan HttpTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long to wait for another process's purchase to release the home's budget lock.</summary>
    public TimeSpan BudgetLockTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>The clock of the budget period (tests move it).</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Guard tunables; null uses the build's defaults.</summary>
    public PaymentGuardOptions? GuardOptions { get; init; }

    public RelayPoolOptions? RelayOptions { get; init; }
}
