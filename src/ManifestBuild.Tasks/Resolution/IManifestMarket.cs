using ManifestBuild.Format;
using ManifestBuild.Lightning.Payments;
using ManifestBuild.Format.Locking;
using ManifestBuild.Market.Selection;

namespace ManifestBuild.Tasks.Resolution;

/// <summary>
/// What the build needs from the market. Created only when an item really needs the network, so a
/// build that the lockfile and the cache satisfy never opens a socket.
/// </summary>
public interface IManifestMarket : IAsyncDisposable
{
    /// <summary>
    /// Searches the relays and selects (with an explanation), buying nothing: the listing the item would
    /// come from, its price and whether acquiring it would pay (not free, no receipt, not cached). The build
    /// calls this for its items one by one, in declaration order, and reserves each paying item's price
    /// from its one budget before any of them pays.
    /// </summary>
    Task<MarketChoice> ChooseAsync(DeclaredManifest item, CancellationToken cancellationToken);

    /// <summary>
    /// Acquires the chosen listing: pays if needed within <paramref name="budget"/> (for a paying item the
    /// budget of its reservation, so it can never spend more than its price; the payment guard reserves from
    /// it when it pays and never gives back what the node says paid or in flight), verifies and caches:
    /// the build takes the verified manifest as it is. The build runs several of these at once.
    /// </summary>
    Task<MarketAcquisition> AcquireAsync(MarketChoice choice, BuildBudget budget, CancellationToken cancellationToken);

    /// <summary>Chooses and acquires one item within the budget (what a build does for an item it must buy again late).</summary>
    async Task<MarketAcquisition> AcquireAsync(DeclaredManifest item, BuildBudget budget, CancellationToken cancellationToken) =>
        await AcquireAsync(await ChooseAsync(item, cancellationToken).ConfigureAwait(false), budget, cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Starts the relay searches of items that are about to be acquired, all at once, so that a build
    /// with many manifests waits for the relays about once rather than once per item. ChooseAsync for the
    /// same item uses the result.
    /// </summary>
    void Prefetch(IReadOnlyList<DeclaredManifest> items, CancellationToken cancellationToken)
    {
    }

    /// <summary>
    /// Gets the content of a locked version without paying: a free listing on the relays or the seller
    /// with a stored receipt, verified and cached. Manifest is null (and Problem says why) when neither works.
    /// </summary>
    Task<RestoreOutcome> RestoreAsync(LockEntry locked, CancellationToken cancellationToken);

    /// <summary>
    /// The selection the build would make for this item now (searches, selects, buys nothing), for
    /// `dsrs outdated` and DsrsCheckOutdated; null from a market that cannot rank.
    /// </summary>
    Task<SelectionResult?> RankAsync(DeclaredManifest item, CancellationToken cancellationToken) => Task.FromResult<SelectionResult?>(null);
}

/// <summary>
/// What the market would acquire for an item: the selected listing's compiled_id and price, whether
/// acquiring it pays (<see cref="PaysMsat"/> is then the price to reserve), why it won, and the market's own
/// handle on the listing (opaque to the build).
/// </summary>
public sealed record MarketChoice(DeclaredManifest Item, string CompiledId, long PriceMsat, bool Pays, string Explanation, object? Listing = null)
{
    /// <summary>What to set aside from the build's budget before acquiring: the price when it pays, else 0.</summary>
    public long PaysMsat => Pays ? PriceMsat : 0;
}

/// <summary>A manifest the market delivered (verified and cached), the lock entry to pin, what was paid and why it won.</summary>
public sealed record MarketAcquisition(VerifiedManifest Manifest, LockEntry Lock, long PaidMsat, bool FromReceiptOrCache, string Explanation);

/// <summary>A restore's result: the verified, cached content, or why there is none.</summary>
public sealed record RestoreOutcome(VerifiedManifest? Manifest, string? Problem = null);
