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
    /// Searches the relays, selects (with an explanation), pays if needed within the build's one
    /// budget (reserved by the payment guard when it pays, never given back once the node says paid
    /// or in flight), verifies and caches: the build takes the verified manifest as it is.
    /// </summary>
    Task<MarketAcquisition> AcquireAsync(DeclaredManifest item, BuildBudget budget, CancellationToken cancellationToken);

    /// <summary>
    /// Starts the relay searches of items that are about to be acquired, all at once, so that a build
    /// with many manifests waits for the relays about once rather than once per item (purchases still
    /// happen one at a time, in order, within the budget). AcquireAsync for the same item uses the result.
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

/// <summary>A manifest the market delivered (verified and cached), the lock entry to pin, what was paid and why it won.</summary>
public sealed record MarketAcquisition(VerifiedManifest Manifest, LockEntry Lock, long PaidMsat, bool FromReceiptOrCache, string Explanation);

/// <summary>A restore's result: the verified, cached content, or why there is none.</summary>
public sealed record RestoreOutcome(VerifiedManifest? Manifest, string? Problem = null);
