using ManifestBuild.Format.Locking;
using ManifestBuild.Market.Selection;
using ManifestBuild.Tasks.Resolution;

namespace ManifestBuild.Tasks.Maintenance;

/// <summary>One locked item compared with the best listing the relays offer for its declaration now.</summary>
/// <param name="Status">up-to-date, newer (a later listing now wins), ranks-higher (an older or equal one wins on rank), not-locked, no-listing or local.</param>
/// <param name="Subscription">When a held subscription covers the best version: what it is and whether moving costs nothing or a renewal.</param>
public sealed record OutdatedItem(string Name, string? LockedId, string? BestId, long? BestPriceMsat, string Status, string Why, string? Subscription = null);

/// <summary>
/// `dsrs outdated`: for each item of a project, the selection the build would make now (same query,
/// same ranking), compared with the lock entry. Searches only; never pays, never writes.
/// </summary>
public static class OutdatedCheck
{
    public static async Task<IReadOnlyList<OutdatedItem>> RunAsync(ProjectDeclarations project, ResolveSettings settings, CancellationToken cancellationToken)
    {
        var lockFile = LockFileStore.Read(settings.LockFilePath);
        var results = new List<OutdatedItem>();
        await using var market = new MarketAdapter(settings);
        foreach (var item in project.Items)
        {
            var locked = lockFile.Get(item.Name);
            if (item.IsLocal)
            {
                results.Add(new OutdatedItem(item.Name, locked?.CompiledId, null, null, "local", "a local file (Path): nothing to update from the market"));
                continue;
            }

            var ranking = await market.RankAsync(item, cancellationToken).ConfigureAwait(false);
            results.Add(SubscriptionCoverage.Annotate(Compare(item, locked, ranking!), ranking!.Winner, settings.Home));
        }

        return results;
    }

    /// <summary>The lock entry against the selection the build would make now; shared with DsrsCheckOutdated.</summary>
    public static OutdatedItem Compare(DeclaredManifest item, LockEntry? locked, SelectionResult ranking)
    {
        var best = ranking.Winner;
        if (best is null)
        {
            return new OutdatedItem(item.Name, locked?.CompiledId, null, null, "no-listing", ranking.Explanation);
        }

        if (locked is null)
        {
            return new OutdatedItem(item.Name, null, best.CompiledId, best.PriceMsat, "not-locked", ranking.Explanation);
        }

        if (best.CompiledId == locked.CompiledId)
        {
            return new OutdatedItem(item.Name, locked.CompiledId, best.CompiledId, best.PriceMsat, "up-to-date", "the locked version still ranks first");
        }

        var lockedListing = ranking.Ranking.FirstOrDefault(r => r.Listing.CompiledId == locked.CompiledId);
        var status = lockedListing is null || best.CreatedAt > lockedListing.CreatedAt ? "newer" : "ranks-higher";
        var why = (lockedListing is null ? "the locked version is no longer listed for this declaration; " : string.Empty) + ranking.Explanation;
        return new OutdatedItem(item.Name, locked.CompiledId, best.CompiledId, best.PriceMsat, status, why);
    }

    /// <summary>True when a version other than the locked one now wins (what `dsrs update` would move to).</summary>
    public static bool IsBehind(OutdatedItem item) => item.Status is "newer" or "ranks-higher";
}
