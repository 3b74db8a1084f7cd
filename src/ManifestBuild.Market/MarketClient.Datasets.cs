using ManifestBuild.Market.Buying;
using ManifestBuild.Market.Listings;
using ManifestBuild.Market.Selection;
using ManifestBuild.Nostr.Relays;

namespace ManifestBuild.Market;

/// <summary>A dataset search's outcome: the accepted listings, the rejected ones with reasons, a report per relay.</summary>
public sealed record DatasetSearchResult(IReadOnlyList<DatasetListing> Listings, IReadOnlyList<RejectedListing> Rejected, IReadOnlyList<RelayQueryReport> Relays);

/// <summary>
/// Datasets on the market: the same relays, selection discipline, L402 path, payment guard, receipts and
/// fraud memory as manifests (see <see cref="AssetKind"/>), with a dataset's own listing and cache.
/// </summary>
public sealed partial class MarketClient
{
    public async Task<DatasetSearchResult> SearchDatasetsAsync(DatasetQuery query, IReadOnlyList<Uri> relays, TimeSpan deadline, CancellationToken cancellationToken = default)
    {
        await using var pool = CreatePool(relays);
        return await SearchDatasetsAsync(query, pool, deadline, cancellationToken).ConfigureAwait(false);
    }

    public async Task<DatasetSearchResult> SearchDatasetsAsync(DatasetQuery query, RelayPool pool, TimeSpan deadline, CancellationToken cancellationToken = default)
    {
        var result = await pool.QueryAsync([query.ToFilter()], deadline, cancellationToken).ConfigureAwait(false);
        var set = DatasetListingParser.ParseAll(result.Verified, query);
        var rejected = set.Rejected.ToList();
        foreach (var report in result.Relays.Where(r => r.Invalid > 0))
        {
            rejected.Add(new RejectedListing(string.Empty, string.Empty, $"{report.Invalid} event(s) with a wrong id or signature (forged or corrupted)", RelayUrl.Format(report.Relay)));
        }

        return new DatasetSearchResult(set.Accepted, rejected, result.Relays);
    }

    public DatasetSelection SelectDataset(IReadOnlyList<DatasetListing> listings, BlockedSellers? blocked = null) => DatasetSelector.Select(listings, blocked);

    /// <summary>The whole dataset of a listing: cache, free listing, receipt, or the guarded L402 purchase; verified against its dataset_id.</summary>
    public async Task<AcquiredDataset> AcquireDatasetAsync(DatasetListing listing, AcquireOptions options, CancellationToken cancellationToken = default) =>
        (await new ManifestAcquirer(http, options, AssetKind.Dataset(options.Home)).AcquireAsync(listing.AsOffer(), cancellationToken).ConfigureAwait(false)).ToDataset();

    /// <summary>Locked mode: the cache, else a free listing found by #x, else the seller with a stored receipt. Never pays (DSRS0549).</summary>
    public async Task<AcquiredDataset> RestoreDatasetAsync(string datasetId, RestoreOptions options, CancellationToken cancellationToken = default)
    {
        var acquirer = new ManifestAcquirer(http, new AcquireOptions { Home = options.Home, AllowPay = false, ExtraReceipts = options.ExtraReceipts, HttpTimeout = options.HttpTimeout }, AssetKind.Dataset(options.Home));
        if (acquirer.TryFromCache(datasetId) is { } cached)
        {
            return cached.ToDataset();
        }

        var problems = new List<string>();
        if (options.Relays.Count > 0)
        {
            var query = new DatasetQuery { DatasetId = datasetId, Sellers = options.Seller is null ? [] : [options.Seller] };
            var found = await SearchDatasetsAsync(query, options.Relays, options.Deadline, cancellationToken).ConfigureAwait(false);
            foreach (var listing in found.Listings.OrderBy(l => l.IsFree ? 0 : 1))
            {
                try
                {
                    return (await acquirer.AcquireAsync(listing.AsOffer(), cancellationToken).ConfigureAwait(false)).ToDataset();
                }
                catch (Format.DsrsException e)
                {
                    problems.Add(e.ToString());
                }
            }

            if (found.Listings.Count == 0)
            {
                problems.Add("no relay returned a valid listing for it");
            }
        }

        if (acquirer.FindReceiptWithUrl(datasetId) is { Url: not null } receipt)
        {
            try
            {
                return (await acquirer.DownloadWithReceiptAsync(datasetId, receipt, receipt.Url!, cancellationToken).ConfigureAwait(false)).ToDataset();
            }
            catch (Format.DsrsException e)
            {
                problems.Add(e.ToString());
            }
        }

        throw new Format.DsrsException(MarketErrorCodes.DatasetRestoreFailed, $"dataset {datasetId} is not in the cache and could not be restored without paying: " + (problems.Count == 0 ? "no relay configured and no receipt with a seller URL" : string.Join("; ", problems)));
    }
}
