using ManifestBuild.Agent.Domains;
using ManifestBuild.Agent.Suggestions;
using ManifestBuild.Format;
using ManifestBuild.Lightning.Nodes;
using ManifestBuild.Lightning.Payments;
using ManifestBuild.Market;
using ManifestBuild.Market.Buying;
using ManifestBuild.Market.Listings;
using ManifestBuild.Market.Selection;
using ManifestBuild.Nostr.Relays;
using ManifestBuild.Runtime;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ManifestBuild.Agent.Market;

/// <summary>
/// The market for an agent process: search the relays, select with the build's selector, take what
/// costs nothing (cache, free listing, receipt), and otherwise buy through the build's payment guard
/// within the agent's policy, per-purchase maximum and per-period budget. Cache, ledger, receipts and
/// node configuration are the home's, shared with builds: what one bought the other never pays again.
/// </summary>
public sealed partial class AgentMarket : IAsyncDisposable
{
    private readonly AgentMarketOptions options;
    private readonly MarketClient client;
    private readonly RelayPool pool;
    private readonly HomeSpending spending;
    private readonly AgentLog log;
    private readonly SemaphoreSlim gate = new(1, 1);
    private ILightningNode? node;

    private AgentMarket(AgentMarketOptions options, string home, IReadOnlyList<Uri> relays, bool noPay)
    {
        this.options = options;
        Home = home;
        Relays = relays;
        NoPay = noPay;
        client = new MarketClient(null, options.RelayOptions);
        pool = client.CreatePool(relays);
        spending = new HomeSpending(PurchaseLedger.ForHome(home), options.Budget, options.Time);
        log = new AgentLog((options.LoggerFactory ?? NullLoggerFactory.Instance).CreateLogger(typeof(AgentMarket).FullName!));
    }

    /// <summary>$DSRS_HOME as resolved for this market.</summary>
    public string Home { get; }

    public IReadOnlyList<Uri> Relays { get; }

    /// <summary>True when nothing may be paid (the option or DSRS_NO_PAY).</summary>
    public bool NoPay { get; }

    public PeriodBudget Budget => options.Budget;

    /// <summary>What the home's ledger shows spent in the current budget period, msat.</summary>
    public long SpentThisPeriodMsat => spending.SpentMsat();

    /// <summary>
    /// Opens the market: resolves the home and the relays (DSRS_RELAYS when none are given) and checks
    /// the limits. Opens no socket and no node yet (DSRS1253 when the options are unusable).
    /// </summary>
    public static AgentMarket Open(AgentMarketOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var home = options.Home is { Length: > 0 } given ? Path.GetFullPath(given) : DsrsHome.Resolve(options.Environment);
        var relays = options.Relays.Count > 0 ? options.Relays : ParseRelays(options.Environment(AgentMarketOptions.RelaysVariable));
        if (relays.Count == 0)
        {
            throw new DsrsException(AgentErrorCodes.InvalidAgentOptions, $"no relay to search: give AgentMarketOptions.Relays or set {AgentMarketOptions.RelaysVariable}");
        }

        if (options.MaxPricePerPurchaseMsat < 0 || options.MaxFeeMsat < 0)
        {
            throw new DsrsException(AgentErrorCodes.InvalidAgentOptions, "the per-purchase maximum and the fee cap must not be negative");
        }

        ArgumentNullException.ThrowIfNull(options.Policy);
        return new AgentMarket(options, home, relays, options.NoPay || NoPaySwitch.IsOn(options.Environment));
    }

    /// <summary>
    /// The best listing for the query, verified and cached. Costs nothing when the manifest is cached,
    /// free or already paid (by this agent, another process or a build); otherwise the policy decides
    /// and the limits apply: DSRS1254 no-pay, DSRS1255 policy skip, DSRS1256 period budget, DSRS1257
    /// per-purchase maximum, DSRS0525 no listing fits, DSRS1258 no relay answered; payment failures
    /// keep the guard's and the market's codes. Every outcome is logged with its reason.
    /// </summary>
    public async Task<AgentAcquisition> AcquireAsync(AgentQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (string.IsNullOrWhiteSpace(query.Family) || query.MaxPriceMsat < 0 || query.ValueEstimateMsat < 0)
        {
            throw new DsrsException(AgentErrorCodes.InvalidAgentOptions, "an agent query needs a family, and no negative price or value estimate");
        }

        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await AcquireOneAsync(query, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>
    /// What the relays list for the detected domains, one suggestion per family (as `dsrs suggest`
    /// prints them): which detected domains its best listing carries, and limits that admit it.
    /// Searches the top five domains at once; buys nothing.
    /// </summary>
    public async Task<IReadOnlyList<SuggestedItem>> SuggestAsync(DomainReport report, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(report);
        var searches = report.Tags.Take(SuggestDomainsQueried)
            .Select(tag => client.SearchAsync(new ListingQuery { Domains = [tag] }, pool, options.SearchDeadline, cancellationToken, includeReputation: false));
        var listings = (await Task.WhenAll(searches).ConfigureAwait(false)).SelectMany(s => s.Listings).DistinctBy(l => l.Event.Id).ToList();
        return ManifestSuggester.Suggest(report, listings);
    }

    private const int SuggestDomainsQueried = 5;

    private async Task<AgentAcquisition> AcquireOneAsync(AgentQuery query, CancellationToken cancellationToken)
    {
        var filters = new ListingQuery { Family = query.Family, Domains = query.Domains, MinAccuracy = query.MinAccuracy, MaxPriceMsat = query.MaxPriceMsat, Sellers = query.Sellers };
        var search = await client.SearchAsync(filters, pool, options.SearchDeadline, cancellationToken).ConfigureAwait(false);
        if (search.Relays.Count > 0 && search.Relays.All(r => !r.Succeeded) && search.Listings.Count == 0)
        {
            throw log.Refused(query, null, AgentErrorCodes.RelaysUnreachable, "no relay answered: " + string.Join("; ", search.Relays.Select(r => UntrustedText.Neutralise(r.ToString(), 300))));
        }

        var selection = client.Select(search.Listings, new SelectionCriteria { Filters = filters, Reputation = search.Reputation, Blocked = SellerStanding.ForHome(Home).Load(options.BlockedSellers) });
        log.Selected(query, selection.Explanation);
        var winner = selection.Winner ?? throw log.Refused(query, null, MarketErrorCodes.NoListingSelected, "no listing fits: " + selection.Explanation);

        // What costs nothing first, through the very path a locked build takes: it never pays.
        try
        {
            var unpaid = await client.AcquireAsync(winner, AcquireOptionsFor(allowPay: false, node: null, remainingMsat: null, itemMaxMsat: null), cancellationToken).ConfigureAwait(false);
            var decision = PurchaseDecision.Purchase(Unpaid(unpaid.Source));
            log.Acquired(query, winner, unpaid, decision.Reason);
            return Result(unpaid, winner, new AcquisitionExplanation(selection, decision));
        }
        catch (DsrsException e) when (e.Code == MarketErrorCodes.PaymentNotAllowed)
        {
            // It has to be bought: no cache entry, no receipt, not free.
        }

        if (NoPay)
        {
            throw log.Refused(query, winner, AgentErrorCodes.NoPay, $"it costs {Money.Format(winner.PriceMsat)} and the no-pay switch is on ({(options.NoPay ? "AgentMarketOptions.NoPay" : AgentMarketOptions.NoPayVariable)}); nothing was paid");
        }

        // The limits before the policy, so that a refusal names the limit; the budget is read again under the lock.
        if (options.MaxPricePerPurchaseMsat is { } cap && winner.PriceMsat > cap)
        {
            throw log.Refused(query, winner, AgentErrorCodes.OverPurchaseMaximum, $"it costs {Money.Format(winner.PriceMsat)}, above the per-purchase maximum of {Money.Format(cap)}; nothing was paid");
        }

        if (spending.RemainingMsat() is var left && winner.PriceMsat > left)
        {
            throw log.Refused(query, winner, AgentErrorCodes.OverPeriodBudget, OverBudget(winner, left));
        }

        var maxPrice = Tighter(query.MaxPriceMsat, options.MaxPricePerPurchaseMsat);
        var candidate = new PurchaseCandidate(
            winner,
            search.Reputation.ForSeller(winner.SellerPubKey),
            search.Reputation.ForListing(winner.Address),
            query.ValueEstimateMsat,
            spending.RemainingMsat(),
            maxPrice,
            query.MinAccuracy,
            options.MinVerifiedRating);
        var verdict = options.Policy.Decide(candidate) ?? throw new DsrsException(AgentErrorCodes.InvalidAgentOptions, "the purchase policy returned no decision");
        if (!verdict.Buy)
        {
            throw log.Refused(query, winner, AgentErrorCodes.PolicySkipped, $"the purchase policy skipped it: {verdict.Reason}; nothing was paid");
        }

        using (await spending.LockAsync(options.BudgetLockTimeout, cancellationToken).ConfigureAwait(false))
        {
            // Read again under the lock: another process may have spent since the policy looked.
            var remaining = spending.RemainingMsat();
            if (winner.PriceMsat > remaining)
            {
                throw log.Refused(query, winner, AgentErrorCodes.OverPeriodBudget, OverBudget(winner, remaining));
            }

            AcquiredManifest bought;
            try
            {
                bought = await client.AcquireAsync(winner, AcquireOptionsFor(allowPay: true, OpenNode(), remaining, maxPrice), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.PurchaseFailed(query, winner, e);
                throw;
            }

            log.Acquired(query, winner, bought, verdict.Reason);
            return Result(bought, winner, new AcquisitionExplanation(selection, verdict));
        }
    }

    private AcquireOptions AcquireOptionsFor(bool allowPay, ILightningNode? node, long? remainingMsat, long? itemMaxMsat) => new()
    {
        Home = Home,
        AllowPay = allowPay,
        Node = node,
        ItemMaxPriceMsat = itemMaxMsat,
        BuildBudget = remainingMsat is { } remaining ? new BuildBudget(remaining) : null,
        MaxFeeMsat = options.MaxFeeMsat,
        BlockedSellers = options.BlockedSellers,
        ExtraReceipts = ExtraReceipts(),
        HttpTimeout = options.HttpTimeout,
        GuardOptions = options.GuardOptions,
    };

    private IReadOnlyList<Receipt> ExtraReceipts()
    {
        var text = options.Environment(ReceiptStore.EnvironmentVariable);
        return string.IsNullOrWhiteSpace(text) ? [] : ReceiptStore.Parse(text);
    }

    /// <summary>The home's node (DSRS_NODE, else $DSRS_HOME/config.json), opened at the first purchase only.</summary>
    private ILightningNode OpenNode() => node ??= LightningNodeFactory.CreateConfigured(options.Environment, Home);

    private static AgentAcquisition Result(AcquiredManifest acquired, Listing listing, AcquisitionExplanation explanation) => new()
    {
        CompiledId = acquired.CompiledId,
        Manifest = acquired.Manifest,
        Text = acquired.Text,
        Listing = listing,
        Source = acquired.Source,
        PaidMsat = acquired.PricePaidMsat,
        FeeMsat = acquired.FeePaidMsat,
        PaymentHash = acquired.PaymentHash,
        Explanation = explanation,
        Signature = DynamicSignature.FromVerified(acquired.Verified),
        CachePath = acquired.CachePath,
    };

    private static string Unpaid(AcquireSource source) => source switch
    {
        AcquireSource.Cache => "already in the cache of this home: nothing to pay",
        AcquireSource.FreeListing => "the listing is free",
        AcquireSource.Receipt => "already paid (a stored receipt): downloaded again, nothing paid",
        _ => "already paid by an earlier run: nothing paid now",
    };

    private string OverBudget(Listing winner, long remaining) =>
        $"it costs {Money.Format(winner.PriceMsat)} but only {Money.Format(remaining)} is left of the budget ({spending.Budget}); nothing was paid";

    private static long? Tighter(long? a, long? b) => a is null ? b : b is null ? a : Math.Min(a.Value, b.Value);

    private static IReadOnlyList<Uri> ParseRelays(string? text)
    {
        var relays = new List<Uri>();
        foreach (var part in (text ?? string.Empty).Split([';', ',', ' '], StringSplitOptions.RemoveEmptyEntries))
        {
            if (!Uri.TryCreate(part, UriKind.Absolute, out var uri) || (uri.Scheme != "ws" && uri.Scheme != "wss"))
            {
                throw new DsrsException(AgentErrorCodes.InvalidAgentOptions, $"{AgentMarketOptions.RelaysVariable}: '{UntrustedText.Neutralise(part, 100)}' is not a ws:// or wss:// relay URL");
            }

            relays.Add(uri);
        }

        return relays;
    }

    public async ValueTask DisposeAsync()
    {
        await pool.DisposeAsync().ConfigureAwait(false);
        if (node is not null)
        {
            await node.DisposeAsync().ConfigureAwait(false);
        }

        gate.Dispose();
    }
}
