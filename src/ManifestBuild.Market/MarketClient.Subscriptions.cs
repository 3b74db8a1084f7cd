using ManifestBuild.Market.Buying;
using ManifestBuild.Market.Listings;
using ManifestBuild.Nostr.Relays;

namespace ManifestBuild.Market;

public sealed partial class MarketClient
{
    /// <summary>
    /// Queries every relay at once for subscription listings (kind 31990, #k dsrs-subscription; by line and
    /// sellers when given) and checks each (see <see cref="SubscriptionListingParser"/>).
    /// </summary>
    public async Task<SubscriptionListingSet> SearchSubscriptionsAsync(string? line, IReadOnlyList<string> sellers, RelayPool pool, TimeSpan deadline, CancellationToken cancellationToken = default)
    {
        var result = await pool.QueryAsync([SubscriptionListingParser.Filter(line, sellers)], deadline, cancellationToken).ConfigureAwait(false);
        var set = SubscriptionListingParser.ParseAll(result.Verified);
        var rejected = set.Rejected.ToList();
        foreach (var report in result.Relays.Where(r => r.Invalid > 0))
        {
            rejected.Add(new RejectedListing(string.Empty, string.Empty, $"{report.Invalid} event(s) with a wrong id or signature (forged or corrupted)", RelayUrl.Format(report.Relay)));
        }

        return set with { Rejected = rejected };
    }

    /// <summary>
    /// Subscribes to a line: an active subscription from this listing's issuer is returned as held (0 paid),
    /// otherwise one term is bought with one L402 payment through the payment guard; see <see cref="SubscriptionAcquirer"/>.
    /// </summary>
    public Task<SubscriptionPurchase> SubscribeAsync(SubscriptionListing listing, AcquireOptions options, CancellationToken cancellationToken = default) =>
        new SubscriptionAcquirer(http, options).SubscribeAsync(listing, cancellationToken);
}
