using ManifestBuild.Format;
using ManifestBuild.Format.Locking;
using ManifestBuild.Lightning.Payments;

namespace ManifestBuild.Tasks.Resolution;

/// <summary>
/// What the build needs from the market for a <c>&lt;DsrsBundle&gt;</c>; a market that does not sell bundles
/// simply does not implement it. Opened, like <see cref="IManifestMarket"/>, only when an item needs the network.
/// </summary>
public interface IBundleMarket
{
    /// <summary>Searches the relays for bundle listings, selects one with an explanation, buys it once within the budget and returns every member verified.</summary>
    Task<BundleAcquisition> AcquireBundleAsync(DeclaredBundle item, BuildBudget budget, CancellationToken cancellationToken);

    /// <summary>Locked mode: one member's content with the bundle's receipt (never pays); throws DSRS0565 naming why not.</summary>
    Task<VerifiedManifest> RestoreBundleMemberAsync(LockEntry bundle, LockEntry member, CancellationToken cancellationToken);
}

/// <summary>A bought (or receipt-restored) bundle: its lock entry, each member's content and lock entry, what was paid and why it won.</summary>
public sealed record BundleAcquisition(LockEntry Bundle, IReadOnlyList<(LockEntry Lock, VerifiedManifest Manifest)> Members, long PaidMsat, string Explanation);
