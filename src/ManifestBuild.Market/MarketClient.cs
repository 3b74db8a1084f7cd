using ManifestBuild.Market.Buying;
using ManifestBuild.Market.Listings;
using ManifestBuild.Market.Reviews;
using ManifestBuild.Market.Selection;
using ManifestBuild.Nostr;
using ManifestBuild.Nostr.Relays;

namespace ManifestBuild.Market;

/// <summary>A search's outcome: accepted listings, rejected ones with reasons, reputation and a report per relay.</summary>
public sealed record SearchResult(
    IReadOnlyList<Listing> Listings,
    IReadOnlyList<RejectedListing> Rejected,
    ReputationBook Reputation,
    IReadOnlyList<RelayQueryReport> Relays)
{
    /// <summary>Events the relays sent that failed id/signature verification (counted by the pool, never returned).</summary>
    public int InvalidEvents => Relays.Sum(r => r.Invalid);
}

/// <summary>
/// The buyer's high-level API, shared by the CLI and the MSBuild tasks: search relays, select,
/// acquire (cache, free listing, receipt or the guarded L402 purchase), restore in locked mode,
/// publish events and build reviews. Stateless apart from the injected HTTP client.
/// </summary>
public sealed partial class MarketClient
{
    private readonly HttpClient http;
    private readonly RelayPoolOptions? relayOptions;

    /// <param name="http">Used for L402 requests to sellers; a default client when null.</param>
    public MarketClient(HttpClient? http = null, RelayPoolOptions? relayOptions = null)
    {
        this.http = http ?? SharedHttp.Value;
        this.relayOptions = relayOptions;
    }

    private static readonly Lazy<HttpClient> SharedHttp = new(() => new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = Timeout.InfiniteTimeSpan });

    /// <summary>
    /// Queries every relay at once, verifies and filters listings (§2), and fetches their reviews
    /// (kind 1985 by #a) to compute verified reputation. Partial results when the deadline passes.
    /// </summary>
    public async Task<SearchResult> SearchAsync(ListingQuery query, IReadOnlyList<Uri> relays, TimeSpan deadline, CancellationToken cancellationToken = default, bool includeReputation = true)
    {
        await using var pool = CreatePool(relays);
        return await SearchAsync(query, pool, deadline, cancellationToken, includeReputation).ConfigureAwait(false);
    }

    /// <summary>A pool with this client's relay options, for callers that run several searches over the same connections.</summary>
    public RelayPool CreatePool(IReadOnlyList<Uri> relays) => new(relays, relayOptions);

    /// <summary>The same search over a pool the caller owns (a build searching for many items at once shares one).</summary>
    public async Task<SearchResult> SearchAsync(ListingQuery query, RelayPool pool, TimeSpan deadline, CancellationToken cancellationToken = default, bool includeReputation = true)
    {
        var started = DateTime.UtcNow;
        var result = await pool.QueryAsync([query.ToFilter()], deadline, cancellationToken).ConfigureAwait(false);
        var set = ListingParser.ParseAll(result.Verified, query);
        var rejected = set.Rejected.ToList();
        foreach (var report in result.Relays.Where(r => r.Invalid > 0))
        {
            rejected.Add(new RejectedListing(string.Empty, string.Empty, $"{report.Invalid} event(s) with a wrong id or signature (forged or corrupted)", RelayUrl.Format(report.Relay)));
        }

        var reputation = ReputationBook.Empty;
        if (includeReputation && set.Accepted.Count > 0)
        {
            var left = deadline - (DateTime.UtcNow - started);
            reputation = await FetchReputationAsync(pool, set.Accepted, left > TimeSpan.FromSeconds(1) ? left : TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
        }

        return new SearchResult(set.Accepted, rejected, reputation, result.Relays);
    }

    /// <summary>Fetches and aggregates the reviews of the given listings.</summary>
    public async Task<ReputationBook> FetchReputationAsync(IReadOnlyList<Listing> listings, IReadOnlyList<Uri> relays, TimeSpan deadline, CancellationToken cancellationToken = default)
    {
        await using var pool = new RelayPool(relays, relayOptions);
        return await FetchReputationAsync(pool, listings, deadline, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deterministic selection with an explanation (see <see cref="ListingSelector"/>).</summary>
    public SelectionResult Select(IReadOnlyList<Listing> listings, SelectionCriteria criteria) => ListingSelector.Select(listings, criteria);

    /// <summary>Acquires the whole manifest of a listing; see <see cref="ManifestAcquirer"/>.</summary>
    public Task<AcquiredManifest> AcquireAsync(Listing listing, AcquireOptions options, CancellationToken cancellationToken = default) =>
        AcquireContentAsync(listing, options, cancellationToken);

    private async Task<AcquiredManifest> AcquireContentAsync(Listing listing, AcquireOptions options, CancellationToken cancellationToken) =>
        (await new ManifestAcquirer(http, options).AcquireAsync(listing, cancellationToken).ConfigureAwait(false)).ToManifest();

    /// <summary>
    /// Queries every relay at once for bundle listings (kind 31990, #k dsrs-bundle; by bundle_id and sellers
    /// when given) and checks each (see <see cref="BundleListingParser"/>).
    /// </summary>
    public async Task<BundleListingSet> SearchBundlesAsync(string? bundleId, IReadOnlyList<string> sellers, RelayPool pool, TimeSpan deadline, CancellationToken cancellationToken = default)
    {
        var result = await pool.QueryAsync([BundleListingParser.Filter(bundleId, sellers)], deadline, cancellationToken).ConfigureAwait(false);
        var set = BundleListingParser.ParseAll(result.Events);
        var rejected = set.Rejected.ToList();
        foreach (var report in result.Relays.Where(r => r.Invalid > 0))
        {
            rejected.Add(new RejectedListing(string.Empty, string.Empty, $"{report.Invalid} event(s) with a wrong id or signature (forged or corrupted)", RelayUrl.Format(report.Relay)));
        }

        return set with { Rejected = rejected };
    }

    /// <summary>Every member of a bundle with at most one payment; see <see cref="BundleAcquirer"/>.</summary>
    public Task<AcquiredBundle> AcquireBundleAsync(BundleListing bundle, AcquireOptions options, CancellationToken cancellationToken = default) =>
        new BundleAcquirer(http, options).AcquireAsync(bundle, cancellationToken);

    /// <summary>Locked mode: a bundle member from the cache, else from the bundle's seller with the bundle's receipt. Never pays.</summary>
    public Task<AcquiredManifest> RestoreBundleMemberAsync(string bundleId, string compiledId, RestoreOptions options, CancellationToken cancellationToken = default) =>
        new BundleAcquirer(http, new AcquireOptions { Home = options.Home, AllowPay = false, ExtraReceipts = options.ExtraReceipts, HttpTimeout = options.HttpTimeout }).RestoreMemberAsync(bundleId, compiledId, cancellationToken);

    /// <summary>
    /// Locked mode: the content of a pinned compiled_id from the cache, else a free listing found by
    /// #x, else the seller with a stored receipt. Never pays (DSRS0534 when nothing works).
    /// </summary>
    public async Task<AcquiredManifest> RestoreAsync(string compiledId, RestoreOptions options, CancellationToken cancellationToken = default)
    {
        var acquirer = new ManifestAcquirer(http, new AcquireOptions { Home = options.Home, AllowPay = false, ExtraReceipts = options.ExtraReceipts, HttpTimeout = options.HttpTimeout });
        if (acquirer.TryFromCache(compiledId) is { } cached)
        {
            return cached.ToManifest();
        }

        var problems = new List<string>();
        if (options.Relays.Count > 0)
        {
            await using var pool = new RelayPool(options.Relays, relayOptions);
            var query = new ListingQuery { CompiledId = compiledId, Sellers = options.Seller is null ? [] : [options.Seller] };
            var result = await pool.QueryAsync([query.ToFilter()], options.Deadline, cancellationToken).ConfigureAwait(false);
            var set = ListingParser.ParseAll(result.Verified, query);
            foreach (var listing in set.Accepted.OrderBy(l => l.IsFree ? 0 : 1))
            {
                try
                {
                    return (await acquirer.AcquireAsync(listing, cancellationToken).ConfigureAwait(false)).ToManifest();
                }
                catch (Format.DsrsException e)
                {
                    problems.Add(e.ToString());
                }
            }

            if (set.Accepted.Count == 0)
            {
                problems.Add($"no relay returned a valid listing for it ({string.Join("; ", result.Relays.Select(r => Format.UntrustedText.Neutralise(r.ToString(), 300)))})");
            }
        }

        // The relays may be gone: a receipt that remembers the seller's URL still works.
        if (acquirer.FindReceiptWithUrl(compiledId) is { Url: not null } receipt)
        {
            try
            {
                return (await acquirer.DownloadWithReceiptAsync(compiledId, receipt, receipt.Url!, cancellationToken).ConfigureAwait(false)).ToManifest();
            }
            catch (Format.DsrsException e)
            {
                problems.Add(e.ToString());
            }
        }

        throw new Format.DsrsException(MarketErrorCodes.RestoreFailed, $"manifest {compiledId} is not in the cache and could not be restored without paying: " + (problems.Count == 0 ? "no relay configured and no receipt with a seller URL" : string.Join("; ", problems)));
    }

    /// <summary>Publishes a signed event to every relay; one result per relay.</summary>
    public async Task<IReadOnlyList<PublishResult>> PublishAsync(NostrEvent signed, IReadOnlyList<Uri> relays, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        await using var pool = new RelayPool(relays, relayOptions);
        return await pool.PublishAsync(signed, timeout, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Finds one listing by compiled_id or naddr coordinate (newest valid one).</summary>
    public async Task<SearchResult> FindAsync(string? compiledId, Nip19Address? address, IReadOnlyList<Uri> relays, TimeSpan deadline, CancellationToken cancellationToken = default)
    {
        var query = address is not null
            ? new ListingQuery { Sellers = [address.PubKey], CompiledId = address.Identifier.StartsWith(Listing.DTagPrefix, StringComparison.Ordinal) ? address.Identifier[Listing.DTagPrefix.Length..] : null }
            : new ListingQuery { CompiledId = compiledId };
        if (query.CompiledId is null)
        {
            throw new Format.DsrsException(MarketErrorCodes.ListingNotFound, "the address does not name a dsrs-manifest listing");
        }

        return await SearchAsync(query, relays, deadline, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<ReputationBook> FetchReputationAsync(RelayPool pool, IReadOnlyList<Listing> listings, TimeSpan deadline, CancellationToken cancellationToken)
    {
        var addresses = listings.Select(l => l.Address).Distinct(StringComparer.Ordinal).ToArray();
        var filter = new NostrFilter { Kinds = [NostrKinds.Label] }.WithTag("a", addresses).WithTag("L", Review.Namespace);
        var result = await pool.QueryAsync([filter], deadline, cancellationToken).ConfigureAwait(false);
        var nodes = listings.GroupBy(l => l.Address).ToDictionary(g => g.Key, g => g.First().NodeIdHex);
        return ReputationBook.Build(result.Verified, nodes);
    }
}

/// <summary>How locked mode restores content.</summary>
public sealed record RestoreOptions
{
    public required string Home { get; init; }

    public IReadOnlyList<Uri> Relays { get; init; } = [];

    /// <summary>The locked seller (hex pubkey), to query by author too; optional.</summary>
    public string? Seller { get; init; }

    public TimeSpan Deadline { get; init; } = TimeSpan.FromSeconds(10);

    public IReadOnlyList<Receipt> ExtraReceipts { get; init; } = [];

    public TimeSpan HttpTimeout { get; init; } = TimeSpan.FromSeconds(30);
}
