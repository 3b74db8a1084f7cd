using ManifestBuild.Format.Locking;
using ManifestBuild.Format;
using ManifestBuild.Lightning.Payments;
using ManifestBuild.Market;
using ManifestBuild.Market.Buying;
using ManifestBuild.Market.Listings;
using ManifestBuild.Market.Selection;

namespace ManifestBuild.Tasks.Resolution;

/// <summary>The build's side of bundles: search, select (explained), the one guarded purchase, lock entries per member.</summary>
public sealed partial class MarketAdapter
{
    public async Task<BundleAcquisition> AcquireBundleAsync(DeclaredBundle item, BuildBudget budget, CancellationToken cancellationToken)
    {
        var sellers = item.SellerHex is null ? Array.Empty<string>() : [item.SellerHex];
        var found = await client.SearchBundlesAsync(item.BundleId, sellers, Pool, SearchDeadline, cancellationToken).ConfigureAwait(false);
        var selection = BundleSelector.Select(found.Accepted, new BundleCriteria
        {
            Name = item.BundleName,
            BundleId = item.BundleId,
            Sellers = sellers,
            MaxPriceMsat = item.MaxPriceMsat,
            Blocked = SellerStanding.ForHome(settings.Home).Load(settings.BlockedSellers),
        }, found.Rejected);
        var winner = selection.Winner ?? throw new DsrsException(MarketErrorCodes.NoBundleSelected, $"no bundle listing fits ({item.BundleName ?? item.BundleId}): {selection.Explanation}");
        if (winner.PriceMsat > budget.RemainingMsat && !BundlePaidFor(winner))
        {
            throw ManifestResolver.OverBudget(winner.Describe(), winner.PriceMsat, budget, settings);
        }

        var options = await PurchaseOptionsAsync(item.MaxPriceMsat, budget, OpenNodeWhenNeeded(winner), cancellationToken).ConfigureAwait(false);
        var acquired = await client.AcquireBundleAsync(winner, options, cancellationToken).ConfigureAwait(false);

        var relays = settings.Relays.Select(r => r.OriginalString).ToArray();
        var paymentHash = acquired.PaymentHash ?? string.Empty;
        var bundle = new LockEntry
        {
            SignatureName = winner.Name,
            CompiledId = winner.BundleId,
            Address = winner.Address,
            EventId = winner.Event.Id,
            Seller = winner.SellerPubKey,
            PriceMsat = winner.PriceMsat,
            PaymentHash = paymentHash,
            Relays = relays,
            Members = winner.Members,
        };
        var members = acquired.Members.Select(m => (new LockEntry
        {
            SignatureName = m.Manifest.Json.GetString("signature_name") ?? string.Empty,
            CompiledId = m.CompiledId,
            Address = $"{Nostr.NostrKinds.HandlerInformation}:{winner.SellerPubKey}:{Listing.DTagPrefix}{m.CompiledId}",
            EventId = winner.Event.Id,
            Seller = winner.SellerPubKey,
            PaymentHash = paymentHash,
            Relays = relays,
            Bundle = winner.BundleId,
        }.WithFacts(ManifestFacts.Of(m.Verified)), m.Verified)).ToList();
        return new BundleAcquisition(bundle, members, acquired.PricePaidMsat, selection.Explanation);
    }

    public async Task<VerifiedManifest> RestoreBundleMemberAsync(LockEntry bundle, LockEntry member, CancellationToken cancellationToken)
    {
        var restored = await client.RestoreBundleMemberAsync(bundle.CompiledId, member.CompiledId, new RestoreOptions
        {
            Home = settings.Home,
            ExtraReceipts = ExtraReceipts(),
            HttpTimeout = settings.Timeout,
        }, cancellationToken).ConfigureAwait(false);
        return restored.Verified;
    }

    /// <summary>A receipt this bundle's issuer (seller, node, origin) issued: presenting it costs nothing.</summary>
    private bool BundlePaidFor(BundleListing winner) => new ReceiptStore(settings.Home).FindFor(winner, ExtraReceipts()) is not null;

    /// <summary>The node only when the bundle must be paid now: a cache or receipt answer never opens it.</summary>
    private Lightning.Nodes.ILightningNode? OpenNodeWhenNeeded(BundleListing winner) =>
        BundlePaidFor(winner) || winner.Members.All(m => new Format.Caching.ManifestCache(settings.Home).Lookup(m).Status == Format.Caching.CacheLookupStatus.Hit) ? null : OpenNode();
}
