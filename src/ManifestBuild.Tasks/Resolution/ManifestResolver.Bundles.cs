using ManifestBuild.Format.Locking;
using ManifestBuild.Format;

namespace ManifestBuild.Tasks.Resolution;

/// <summary>
/// The <c>&lt;DsrsBundle&gt;</c> items: the bundle's own lock entry (its compiled_id is the bundle_id, its
/// members listed) and one entry per member (keyed by the member's class name, naming the bundle). A lock
/// that satisfies the item is used: each member from the cache, else restored with the bundle's one receipt,
/// never paid; otherwise, outside locked and design-time builds, the bundle is selected and bought once
/// within the build's budget. Every member is checked against its lock entry before it is handed over.
/// </summary>
public sealed partial class ManifestResolver
{
    private async Task ResolveBundlesAsync(IReadOnlyList<DeclaredBundle> bundles, IReadOnlyList<DeclaredManifest> declared, LockFileDocument lockFile, List<HandOverEntry> resolved, Dictionary<string, LockEntry> pinned, List<ResolveFailure> failures, CancellationTokenSource timeout, CancellationToken cancellationToken)
    {
        var taken = declared.Select(d => d.Name).Concat(bundles.Select(b => b.Name)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var bundle in bundles)
        {
            try
            {
                var locked = lockFile.Get(bundle.Name);
                var members = locked is { IsBundle: true }
                    ? lockFile.Entries.Where(e => e.Value.Bundle == locked.CompiledId && locked.Members.Contains(e.Value.CompiledId, StringComparer.Ordinal)).ToList()
                    : [];
                var unmet = UnmetBundle(bundle, locked, members);
                if (unmet is null && !(settings.ResolveAgain.Contains(bundle.Name) && !settings.LockedMode && !settings.DesignTime))
                {
                    await UseBundleLockAsync(bundle, locked!, members, resolved, pinned, timeout.Token).ConfigureAwait(false);
                }
                else if (settings.DesignTime)
                {
                    log.Detail($"dsrs: {bundle.Name}: {unmet ?? "resolving again"}; a design-time build does not fetch it");
                }
                else if (settings.LockedMode)
                {
                    throw new DsrsException(BuildErrorCodes.LockedDeclarationsChanged, $"{unmet}; locked mode never resolves again: build once without locked mode and commit the lockfile");
                }
                else
                {
                    await AcquireBundleAsync(bundle, locked is null ? null : unmet, taken, resolved, pinned, timeout.Token).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                failures.Add(new ResolveFailure(bundle.Location, BuildErrorCodes.ResolveTimeout, $"DsrsBundle '{bundle.Name}': resolution did not finish within DsrsResolveTimeout ({settings.Timeout.TotalSeconds:0} s)"));
                break;
            }
            catch (DsrsException e)
            {
                failures.Add(new ResolveFailure(bundle.Location, e.Code, $"DsrsBundle '{bundle.Name}': {e.Message}"));
            }
        }
    }

    /// <summary>Why the lock does not satisfy the bundle item, or null when it does.</summary>
    private static string? UnmetBundle(DeclaredBundle bundle, LockEntry? locked, IReadOnlyList<KeyValuePair<string, LockEntry>> members) =>
        locked is null ? "it is not in the lockfile"
        : !locked.IsBundle ? "its lock entry is not a bundle's"
        : bundle.BundleId is not null && bundle.BundleId != locked.CompiledId ? $"the lockfile pins bundle {Short(locked.CompiledId)}, the item asks for {Short(bundle.BundleId)}"
        : bundle.BundleName is not null && bundle.BundleName != locked.SignatureName ? $"the lockfile pins bundle {locked.SignatureName}, the item asks for {bundle.BundleName}"
        : bundle.SellerHex is not null && bundle.SellerHex != locked.Seller ? $"the lockfile pins seller {Short(locked.Seller)}, the item asks for {Short(bundle.SellerHex)}"
        : members.Count != locked.Members.Count ? "a member's lock entry is missing"
        : null;

    private async Task UseBundleLockAsync(DeclaredBundle bundle, LockEntry locked, IReadOnlyList<KeyValuePair<string, LockEntry>> members, List<HandOverEntry> resolved, Dictionary<string, LockEntry> pinned, CancellationToken cancellationToken)
    {
        var restoredCount = 0;
        var handed = new List<(HandOverEntry Entry, string Name, LockEntry Lock)>();
        foreach (var (name, member) in members.OrderBy(m => m.Key, StringComparer.Ordinal))
        {
            var content = ReadCached(bundle.AsLogItem, member);
            if (content is null)
            {
                if (settings.DesignTime)
                {
                    log.Detail($"dsrs: {name} (bundle {bundle.Name}) is not in the cache; a design-time build does not fetch it");
                    continue;
                }

                if (OpenMarket() is not IBundleMarket market)
                {
                    throw new DsrsException(BuildErrorCodes.LockedBundleUnavailable, $"member {name} ({member.CompiledId}) is not in the cache and this market cannot restore bundles");
                }

                content = await market.RestoreBundleMemberAsync(locked, member, cancellationToken).ConfigureAwait(false);
                LockCheck.Verify(content, member, $"the restored member {name}"); // verified and cached by the market
                restoredCount++;
            }
            else
            {
                LockCheck.Verify(content, member, $"the cached file {cache.PathOf(member.CompiledId)}");
            }

            handed.Add((await HandOverAsync(name, content, cancellationToken).ConfigureAwait(false), name, member));
        }

        foreach (var (entry, name, member) in handed)
        {
            resolved.Add(entry);
            pinned[name] = member;
            tally.Add(restoredCount > 0 ? "restored" : settings.LockedMode ? "locked" : "cached");
        }

        pinned[bundle.Name] = locked;
        var how = restoredCount > 0 ? $"restored (bundle receipt, {restoredCount} of {members.Count} members)" : settings.LockedMode ? "locked" : "cached";
        log.Summary(bundle.AsLogItem, $"dsrs: {bundle.Name} <- seller {Short(locked.Seller)} bundle {locked.SignatureName} {Short(locked.CompiledId)} ({members.Count} manifests) {how}", important: restoredCount > 0);
    }

    private async Task AcquireBundleAsync(DeclaredBundle bundle, string? why, HashSet<string> taken, List<HandOverEntry> resolved, Dictionary<string, LockEntry> pinned, CancellationToken cancellationToken)
    {
        if (why is not null)
        {
            log.Summary(bundle.AsLogItem, $"dsrs: {bundle.Name}: {why}: resolving again", important: true);
        }

        if (settings.Relays.Count == 0)
        {
            throw new DsrsException(BuildErrorCodes.NoRelays, "it must come from the market but DsrsRelays is empty: set <DsrsRelays>wss://...</DsrsRelays>");
        }

        var market = OpenMarket() as IBundleMarket ?? throw new DsrsException(BuildErrorCodes.Unexpected, "this market cannot sell bundles");
        var acquired = await market.AcquireBundleAsync(bundle, budget, cancellationToken).ConfigureAwait(false);
        log.Detail($"dsrs: {bundle.Name}: {acquired.Explanation}");
        var names = DeclaredBundle.MemberNames(acquired.Members.Select(m => (m.Lock.CompiledId, m.Lock.SignatureName)));
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        foreach (var (className, id) in names)
        {
            var (memberLock, json) = acquired.Members.First(m => m.Lock.CompiledId == id);
            if (!CSharpName.IsValidClassName(className) || !taken.Add(className))
            {
                throw new DsrsException(BuildErrorCodes.BundleMemberNameCollision, $"member {id} of bundle {acquired.Bundle.SignatureName} would generate class {className}, which {(CSharpName.IsValidClassName(className) ? "another item already names" : "is not a valid C# identifier")}; rename the other item (the payment, if any, is kept: its receipt restores the bundle)");
            }

            LockCheck.Verify(json, memberLock, $"the delivered member {className}"); // verified and cached by the market
            resolved.Add(await HandOverAsync(className, json, cancellationToken).ConfigureAwait(false));
            pinned[className] = memberLock with { ResolvedAt = now };
        }

        pinned[bundle.Name] = acquired.Bundle with { ResolvedAt = now };
        var line = $"dsrs: {bundle.Name} <- seller {Short(acquired.Bundle.Seller)} bundle {acquired.Bundle.SignatureName} {Short(acquired.Bundle.CompiledId)} ({names.Count} manifests: {string.Join(", ", names.Select(n => n.ClassName))}) ";
        if (acquired.PaidMsat > 0)
        {
            log.Payment(bundle.AsLogItem, line + $"paid {acquired.PaidMsat} msat once");
            tally.Bought(acquired.PaidMsat);
        }
        else
        {
            log.Summary(bundle.AsLogItem, line + "receipt (already paid)", important: true);
            tally.Add("already paid");
        }
    }
}
