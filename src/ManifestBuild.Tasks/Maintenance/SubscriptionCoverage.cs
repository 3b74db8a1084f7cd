using System.Globalization;
using ManifestBuild.Market.Buying;
using ManifestBuild.Market.Listings;

namespace ManifestBuild.Tasks.Maintenance;

/// <summary>`dsrs outdated`: says when a held subscription covers the version an item would move to.</summary>
public static class SubscriptionCoverage
{
    public static OutdatedItem Annotate(OutdatedItem item, Listing? best, string home)
    {
        if (best is null || item.Status is "up-to-date" || new SubscriptionStore(home).For(best) is not { Count: > 0 } held)
        {
            return item;
        }

        // A term opens the versions published before its expiry: one listed later needs a renewal.
        var term = held[0];
        var covering = held.FirstOrDefault(h => h.ExpiresAt >= best.CreatedAt);
        var note = covering is not null
            ? $"covered by your subscription to line {term.Line} (until {covering.Claim.Expires.ToString("u", CultureInfo.InvariantCulture)}): `dsrs update` moves to it paying 0 msat"
            : string.Create(CultureInfo.InvariantCulture, $"your subscription to line {term.Line} ended at {term.Claim.Expires:u}, before this version: `dsrs update` renews it for {term.Listing.PriceMsat} msat through the budget");
        return item with { Subscription = note, Why = note + "; " + item.Why };
    }
}
