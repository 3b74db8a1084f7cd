using ManifestBuild.Format;
using ManifestBuild.Market;
using ManifestBuild.Market.Buying;
using ManifestBuild.Market.Listings;
using ManifestBuild.Market.Selection;
using ManifestBuild.Runtime;

namespace ManifestBuild.Agent.Market;

/// <summary>What an agent subscribes to: a line, optionally from given sellers, at most a price per period.</summary>
public sealed record AgentSubscriptionQuery
{
    public required string Line { get; init; }

    public IReadOnlyList<string> Sellers { get; init; } = [];

    public long? MaxPriceMsat { get; init; }
}

/// <summary>What the subscription policy is asked about: the selected subscription listing and what is left of the period budget.</summary>
public sealed record SubscriptionCandidate(SubscriptionListing Listing, long RemainingBudgetMsat, long? MaxPriceMsat);

/// <summary>A subscription the agent holds (bought now or earlier), what this call paid and why.</summary>
public sealed record AgentSubscription(HeldSubscription Subscription, long PaidMsat, string Explanation);

public sealed partial class AgentMarket
{
    /// <summary>
    /// Subscribes to a line: an active subscription from the chosen listing's issuer costs nothing; otherwise
    /// one term is bought through the payment guard within the agent's limits and policy, as a manifest is:
    /// DSRS1254 no-pay, DSRS1257 per-purchase maximum, DSRS1256 period budget, DSRS1255 policy skip,
    /// DSRS0568 no subscription listing fits. A renewal is this same call once the term has run out.
    /// </summary>
    public async Task<AgentSubscription> SubscribeAsync(AgentSubscriptionQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (!LineName.Check(query.Line) || query.MaxPriceMsat < 0)
        {
            throw new DsrsException(AgentErrorCodes.InvalidAgentOptions, $"a subscription query needs a line of {LineName.Rule} and no negative price");
        }

        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await SubscribeOneAsync(query, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>
    /// Follows a subscribed line live (<see cref="AgentLineFeed"/>): each version the relays deliver after now is
    /// downloaded with the subscription (never paid), verified, and applied when its field schema is the one
    /// in use (<see cref="SignatureUpgrade"/>, as <c>UseManifest</c> does). DSRS1262 without a held subscription.
    /// </summary>
    /// <param name="inUse">The manifest in use now: versions are checked against its schema; null takes the first that arrives as the baseline.</param>
    /// <param name="apply">Applies a checked version to the caller's signature (e.g. a generated class's <c>TryUseManifest</c>); null when it refuses, else its refusal.</param>
    public async Task<AgentLineFeed> FollowLineAsync(string sellerPubKey, string line, DynamicSignature? inUse = null, Func<DynamicSignature, DsrsException?>? apply = null, CancellationToken cancellationToken = default)
    {
        if (new SubscriptionStore(Home).ForLine(sellerPubKey, line).Count == 0)
        {
            throw new DsrsException(AgentErrorCodes.NotSubscribed, $"this home holds no subscription to line {line} from seller {sellerPubKey}: SubscribeAsync first");
        }

        return await AgentLineFeed.StartAsync(Relays, sellerPubKey, line, options.RelayOptions, inUse, apply, DownloadFreeAsync, log, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A version through what costs nothing: the cache, a receipt, the subscription. Never pays (a renewal is <see cref="SubscribeAsync"/>).</summary>
    private async Task<AcquiredManifest> DownloadFreeAsync(Listing version, CancellationToken cancellationToken) =>
        await client.AcquireAsync(version, AcquireOptionsFor(allowPay: false, node: null, remainingMsat: null, itemMaxMsat: null), cancellationToken).ConfigureAwait(false);

    private async Task<AgentSubscription> SubscribeOneAsync(AgentSubscriptionQuery query, CancellationToken cancellationToken)
    {
        var maxPrice = Tighter(query.MaxPriceMsat, options.MaxPricePerPurchaseMsat);
        var found = await client.SearchSubscriptionsAsync(query.Line, query.Sellers, pool, options.SearchDeadline, cancellationToken).ConfigureAwait(false);
        var selection = SubscriptionSelector.Select(found.Accepted, new SubscriptionCriteria { Line = query.Line, Sellers = query.Sellers, Blocked = SellerStanding.ForHome(Home).Load(options.BlockedSellers) }, found.Rejected);
        var winner = selection.Winner ?? throw log.LineRefused(query.Line, MarketErrorCodes.NoSubscriptionSelected, selection.Explanation);
        log.LineNote(query.Line, selection.Explanation);

        try
        {
            var held = await client.SubscribeAsync(winner, AcquireOptionsFor(allowPay: false, node: null, remainingMsat: null, itemMaxMsat: null), cancellationToken).ConfigureAwait(false);
            log.LineNote(query.Line, $"already subscribed until {held.Subscription.Claim.Expires:u}: nothing paid");
            return new AgentSubscription(held.Subscription, 0, selection.Explanation);
        }
        catch (DsrsException e) when (e.Code == MarketErrorCodes.PaymentNotAllowed)
        {
            // No active term: one must be bought.
        }

        if (NoPay)
        {
            throw log.LineRefused(query.Line, AgentErrorCodes.NoPay, $"{winner.Describe()} must be paid and the no-pay switch is on; nothing was paid");
        }

        if (maxPrice is { } cap && winner.PriceMsat > cap)
        {
            throw log.LineRefused(query.Line, AgentErrorCodes.OverPurchaseMaximum, $"{winner.Describe()} is above the per-purchase maximum of {Money.Format(cap)}; nothing was paid");
        }

        if (spending.RemainingMsat() is var left && winner.PriceMsat > left)
        {
            throw log.LineRefused(query.Line, AgentErrorCodes.OverPeriodBudget, $"{winner.Describe()} but only {Money.Format(left)} is left of the budget ({spending.Budget}); nothing was paid");
        }

        var verdict = options.SubscriptionPolicy?.Invoke(new SubscriptionCandidate(winner, left, maxPrice)) ?? PurchaseDecision.Purchase("within the per-purchase maximum and the period budget");
        if (!verdict.Buy)
        {
            throw log.LineRefused(query.Line, AgentErrorCodes.PolicySkipped, $"the subscription policy skipped {winner.Describe()}: {verdict.Reason}; nothing was paid");
        }

        using (await spending.LockAsync(options.BudgetLockTimeout, cancellationToken).ConfigureAwait(false))
        {
            var remaining = spending.RemainingMsat();
            if (winner.PriceMsat > remaining)
            {
                throw log.LineRefused(query.Line, AgentErrorCodes.OverPeriodBudget, $"{winner.Describe()} but only {Money.Format(remaining)} is left of the budget ({spending.Budget}); nothing was paid");
            }

            var bought = await client.SubscribeAsync(winner, AcquireOptionsFor(allowPay: true, OpenNode(), remaining, maxPrice), cancellationToken).ConfigureAwait(false);
            log.LineNote(query.Line, $"subscribed until {bought.Subscription.Claim.Expires:u} for {Money.Format(bought.PaidMsat)} (payment {bought.Subscription.PaymentHash}): {verdict.Reason}");
            return new AgentSubscription(bought.Subscription, bought.PaidMsat, selection.Explanation + "; " + verdict.Reason);
        }
    }
}
