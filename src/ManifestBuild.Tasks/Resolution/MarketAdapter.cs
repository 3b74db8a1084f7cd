using ManifestBuild.Format;
using ManifestBuild.Format.Caching;
using ManifestBuild.Lightning.Nodes;
using ManifestBuild.Lightning.Payments;
using ManifestBuild.Market;
using ManifestBuild.Market.Buying;
using ManifestBuild.Market.Listings;
using ManifestBuild.Market.Selection;
using ManifestBuild.Nostr.Relays;
using ManifestBuild.Format.Locking;

namespace ManifestBuild.Tasks.Resolution;

/// <summary>
/// The build's side of ManifestBuild.Market: search every relay and select with an explanation
/// (<see cref="ChooseAsync"/>), then acquire through MarketClient (cache, free listing, receipt, or the
/// guarded L402 purchase through the user's node). The node is opened only when a listing is paid.
/// The budget is the one the build gives the item (its reservation's), handed to the payment guard: a
/// payment counts against it the moment the node reports it (or reports it in flight), whatever then
/// happens to the delivery. Several acquisitions run at once; they share the pool, the node and the
/// HTTP client (one connection pool per seller origin, reused from one request to the next).
/// </summary>
/// <param name="guardOptions">The payment guard's tunables; null (the build's case) uses the defaults. Test hosts
/// use it to stop a purchase at a durable step (and kill the process there).</param>
public sealed partial class MarketAdapter(ResolveSettings settings, PaymentGuardOptions? guardOptions = null) : IManifestMarket, IBundleMarket
{
    // Relays limit concurrent subscriptions per connection (often to 10-20); each search uses up to two.
    private const int ConcurrentSearches = 8;

    private readonly MarketClient client = new();
    private readonly Dictionary<DeclaredManifest, Task<SearchResult>> prefetched = new(ReferenceEqualityComparer.Instance);
    private readonly SemaphoreSlim searchSlots = new(ConcurrentSearches);
    private readonly object nodeGate = new();
    private ILightningNode? node;
    private Task<string>? network;
    private RelayPool? pool;

    /// <summary>One pool for the whole build: each relay is connected once, and a dead one is waited for once.</summary>
    /// <summary>How this build buys anything (a manifest or a bundle): its home, budget, node, fee cap, blocked sellers, receipts and guard.</summary>
    private async Task<AcquireOptions> PurchaseOptionsAsync(long? itemMaxPriceMsat, BuildBudget budget, ILightningNode? node, CancellationToken cancellationToken) => new()
    {
        Home = settings.Home,
        ItemMaxPriceMsat = itemMaxPriceMsat,
        BuildBudget = budget,
        Node = node,
        Network = node is null ? null : await NetworkAsync(node, cancellationToken).ConfigureAwait(false),
        MaxFeeMsat = settings.MaxFeeMsat,
        BlockedSellers = settings.BlockedSellers,
        ExtraReceipts = ExtraReceipts(),
        HttpTimeout = settings.Timeout,
        GuardOptions = guardOptions,
    };

    private RelayPool Pool => pool ??= client.CreatePool(settings.Relays);

    private TimeSpan SearchDeadline => TimeSpan.FromSeconds(Math.Clamp(settings.Timeout.TotalSeconds / 4, 2, 15));

    public async Task<MarketChoice> ChooseAsync(DeclaredManifest item, CancellationToken cancellationToken)
    {
        var query = QueryFor(item);
        var search = await (prefetched.Remove(item, out var started) ? started : SearchAsync(query, cancellationToken)).ConfigureAwait(false);
        if (search.Relays.Count > 0 && search.Relays.All(r => !r.Succeeded) && search.Listings.Count == 0)
        {
            throw new DsrsException(BuildErrorCodes.RelaysUnreachable, "no relay answered: " + string.Join("; ", search.Relays.Select(r => UntrustedText.Neutralise(r.ToString(), 300))));
        }

        var selection = client.Select(search.Listings, new SelectionCriteria { Filters = query, Reputation = search.Reputation, Blocked = SellerStanding.ForHome(settings.Home).Load(settings.BlockedSellers) });
        var winner = selection.Winner ?? throw new DsrsException(MarketErrorCodes.NoListingSelected, $"no listing fits ({Describe(query)}): {selection.Explanation}");
        var pays = !winner.IsFree && !AlreadyPaidFor(winner);
        if (!winner.IsFree)
        {
            // Opened here, one item at a time, so that the purchases that then run at once share one node.
            OpenNode();
        }

        return new MarketChoice(item, winner.CompiledId, winner.PriceMsat, pays, selection.Explanation, winner);
    }

    public async Task<MarketAcquisition> AcquireAsync(MarketChoice choice, BuildBudget budget, CancellationToken cancellationToken)
    {
        var winner = choice.Listing as Listing ?? throw new InvalidOperationException("the choice was not made by this market");
        var item = choice.Item;

        // Checked before the seller is even asked for an invoice; the guard checks again when it reserves.
        if (choice.Pays && winner.PriceMsat > budget.RemainingMsat && !AlreadyPaidFor(winner))
        {
            throw ManifestResolver.OverBudget("listing " + ManifestResolver.Short(winner.CompiledId), winner.PriceMsat, budget, settings);
        }

        var node = winner.IsFree ? null : OpenNode();
        var acquired = await client.AcquireAsync(winner, await PurchaseOptionsAsync(item.MaxPriceMsat, budget, node, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);

        var locked = new LockEntry
        {
            SignatureName = winner.SignatureName,
            CompiledId = acquired.CompiledId,
            Address = winner.Address,
            EventId = winner.Event.Id,
            Seller = winner.SellerPubKey,
            PriceMsat = winner.PriceMsat,
            PaymentHash = acquired.PaymentHash ?? string.Empty,
            Relays = settings.Relays.Select(RelayUrl.Format).ToArray(),
        };
        return new MarketAcquisition(acquired.Verified, locked, acquired.PricePaidMsat, acquired.Source is AcquireSource.Cache or AcquireSource.Receipt, choice.Explanation);
    }

    /// <summary>The ranking the build would use for this item now (for `dsrs outdated`): searches, selects, buys nothing.</summary>
    public async Task<SelectionResult?> RankAsync(DeclaredManifest item, CancellationToken cancellationToken)
    {
        var query = QueryFor(item);
        var search = await SearchAsync(query, cancellationToken).ConfigureAwait(false);
        if (search.Relays.Count > 0 && search.Relays.All(r => !r.Succeeded) && search.Listings.Count == 0)
        {
            throw new DsrsException(BuildErrorCodes.RelaysUnreachable, "no relay answered: " + string.Join("; ", search.Relays.Select(r => r.ToString())));
        }

        return client.Select(search.Listings, new SelectionCriteria { Filters = query, Reputation = search.Reputation });
    }

    public void Prefetch(IReadOnlyList<DeclaredManifest> items, CancellationToken cancellationToken)
    {
        foreach (var item in items)
        {
            if (!prefetched.ContainsKey(item))
            {
                prefetched[item] = SearchAsync(QueryFor(item), cancellationToken);
            }
        }
    }

    private async Task<SearchResult> SearchAsync(ListingQuery query, CancellationToken cancellationToken)
    {
        await searchSlots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await client.SearchAsync(query, Pool, SearchDeadline, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            searchSlots.Release();
        }
    }

    private static ListingQuery QueryFor(DeclaredManifest item) => new()
    {
        Family = item.Family,
        Domains = item.Domains,
        MinAccuracy = item.MinAccuracy,
        MaxPriceMsat = item.MaxPriceMsat,
        Sellers = item.SellerHex is null ? [] : [item.SellerHex],
        CompiledId = item.CompiledId,
    };

    public async Task<RestoreOutcome> RestoreAsync(LockEntry locked, CancellationToken cancellationToken)
    {
        var relays = settings.Relays.Count > 0
            ? settings.Relays
            : locked.Relays.Select(r => RelayUrl.TryParse(r, out var u, out _) ? u : null).OfType<Uri>().Distinct().ToArray();
        try
        {
            var restored = await client.RestoreAsync(locked.CompiledId, new RestoreOptions
            {
                Home = settings.Home,
                Relays = relays,
                Seller = locked.Seller.Length == 0 ? null : locked.Seller,
                Deadline = SearchDeadline,
                ExtraReceipts = ExtraReceipts(),
                HttpTimeout = settings.Timeout,
            }, cancellationToken).ConfigureAwait(false);
            return new RestoreOutcome(restored.Verified);
        }
        catch (DsrsException e) when (e.Code == MarketErrorCodes.RestoreFailed)
        {
            return new RestoreOutcome(null, e.Message);
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Searches nobody asked for in the end (an earlier item failed the build) are bounded by their
        // deadline; wait for them so that no socket outlives the task, then observe their outcome.
        foreach (var search in prefetched.Values)
        {
            try
            {
                await search.ConfigureAwait(false);
            }
            catch (Exception e) when (e is DsrsException or OperationCanceledException)
            {
            }
        }

        prefetched.Clear();
        if (pool is not null)
        {
            await pool.DisposeAsync().ConfigureAwait(false);
        }

        if (node is not null)
        {
            await node.DisposeAsync().ConfigureAwait(false);
        }

        searchSlots.Dispose();
    }

    /// <summary>The one node of the build; purchases running at once share it.</summary>
    private ILightningNode OpenNode()
    {
        lock (nodeGate)
        {
            return node ??= LightningNodeFactory.CreateConfigured(settings.Environment, settings.Home);
        }
    }

    /// <summary>The network invoices must be for, asked of the node once per build rather than once per purchase.</summary>
    private Task<string> NetworkAsync(ILightningNode node, CancellationToken cancellationToken)
    {
        lock (nodeGate)
        {
            return network ??= AskAsync();
        }

        async Task<string> AskAsync() => (await node.GetInfoAsync(cancellationToken).ConfigureAwait(false)).Network;
    }

    /// <summary>A receipt or a cached copy means this id costs nothing more (the guard never pays twice).</summary>
    /// <remarks>
    /// Only a receipt this listing's issuer (seller, node, origin) accepts counts: one from anyone else is
    /// never presented here, so buying from this listing would cost its full price again. A held
    /// subscription to the version's line from its issuer covers it too: it downloads the version, or
    /// renews through the guard, which checks the budget against the subscription's own price.
    /// </remarks>
    private bool AlreadyPaidFor(Listing winner) =>
        new ReceiptStore(settings.Home).FindFor(winner, ExtraReceipts()) is not null
        || new ManifestCache(settings.Home).Lookup(winner.CompiledId).Status == CacheLookupStatus.Hit
        || new SubscriptionStore(settings.Home).Covers(winner);

    private IReadOnlyList<Receipt> ExtraReceipts()
    {
        var text = settings.Environment(ReceiptStore.EnvironmentVariable);
        return string.IsNullOrWhiteSpace(text) ? [] : ReceiptStore.Parse(text);
    }

    private static string Describe(ListingQuery q) =>
        string.Join(", ", new[]
        {
            q.Family is null ? null : "family " + q.Family,
            q.Domains.Count == 0 ? null : "domains " + string.Join("+", q.Domains),
            q.MinAccuracy is null ? null : $"accuracy >= {q.MinAccuracy}",
            q.MaxPriceMsat is null ? null : $"price <= {q.MaxPriceMsat} msat",
            q.Sellers.Count == 0 ? null : "seller " + ManifestResolver.Short(q.Sellers[0]),
            q.CompiledId is null ? null : "compiled_id " + ManifestResolver.Short(q.CompiledId),
        }.Where(s => s is not null));
}
