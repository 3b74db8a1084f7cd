using ManifestBuild.Format;
using ManifestBuild.Format.Json;

namespace ManifestBuild.Tasks.Resolution;

public sealed record ResolveFailure(ItemLocation Location, string Code, string Message);

public sealed record ResolveOutcome(IReadOnlyList<HandOverEntry> Resolved, IReadOnlyList<ResolveFailure> Failures);

/// <summary>
/// The build's resolution, independent of MSBuild: for each declared item, the local file, or the
/// locked version from the cache (no network), or a restore (free listing / receipt), or - outside
/// locked mode - a fresh search, selection and purchase. Writes the verified JSON to obj/dsrs/ and,
/// outside locked mode, the lockfile (only when it changed).
/// </summary>
public sealed class ManifestResolver
{
    private readonly ResolveSettings settings;
    private readonly IResolveLog log;
    private readonly Func<ResolveSettings, IManifestMarket> marketFactory;
    private readonly ManifestCacheStore cache;
    private IManifestMarket? market;
    private long budgetLeftMsat;

    public ManifestResolver(ResolveSettings settings, IResolveLog log, Func<ResolveSettings, IManifestMarket>? marketFactory = null)
    {
        this.settings = settings;
        this.log = log;
        this.marketFactory = marketFactory ?? (s => new MarketAdapter(s));
        cache = new ManifestCacheStore(settings.Home);
        budgetLeftMsat = settings.BudgetMsat;
    }

    /// <summary>True once anything asked for the market: tests use it to prove a no-op build stays offline.</summary>
    public bool MarketWasOpened => market is not null;

    public async Task<ResolveOutcome> ResolveAsync(IReadOnlyList<DeclaredManifest> declared, CancellationToken cancellationToken)
    {
        var lockFileLocation = new ItemLocation(settings.LockFilePath, 0, 0);
        var failures = new List<ResolveFailure>();
        LockFileDocument lockFile;
        try
        {
            lockFile = LockFileStore.Read(settings.LockFilePath);
        }
        catch (DsrsException e)
        {
            return new ResolveOutcome([], [new ResolveFailure(lockFileLocation, e.Code, e.Message)]);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(settings.Timeout);
        var resolved = new List<HandOverEntry>();
        var pinned = new Dictionary<string, LockedManifest>(StringComparer.Ordinal);
        try
        {
            var toAcquire = declared.Where(item => WillSearch(item, lockFile.Get(item.Name))).ToArray();
            if (toAcquire.Length > 1)
            {
                OpenMarket().Prefetch(toAcquire, timeout.Token);
            }

            foreach (var item in declared)
            {
                try
                {
                    var (entry, locked) = await ResolveOneAsync(item, lockFile.Get(item.Name), timeout.Token).ConfigureAwait(false);
                    if (entry is not null)
                    {
                        resolved.Add(entry);
                    }

                    if (locked is not null)
                    {
                        pinned[item.Name] = locked;
                    }
                }
                catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
                {
                    failures.Add(new ResolveFailure(item.Location, BuildErrorCodes.ResolveTimeout, $"DsrsManifest '{item.Name}': resolution did not finish within DsrsResolveTimeout ({settings.Timeout.TotalSeconds:0} s)"));
                    break;
                }
                catch (DsrsException e)
                {
                    failures.Add(new ResolveFailure(item.Location, e.Code, $"DsrsManifest '{item.Name}': {e.Message}"));
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    failures.Add(new ResolveFailure(item.Location, BuildErrorCodes.Unexpected, $"DsrsManifest '{item.Name}': unexpected {e.GetType().Name}: {e.Message}"));
                }
            }
        }
        finally
        {
            if (market is not null)
            {
                await market.DisposeAsync().ConfigureAwait(false);
            }
        }

        // What was bought stays pinned even when another item failed, so that no payment is forgotten.
        if (!settings.LockedMode && !settings.DesignTime)
        {
            try
            {
                var names = declared.Select(d => d.Name).ToHashSet(StringComparer.Ordinal);
                if (await LockFileStore.UpdateAsync(settings.LockFilePath, settings.Home, pinned, settings.PruneLockFile && failures.Count == 0 ? names : null, cancellationToken).ConfigureAwait(false))
                {
                    log.Detail($"dsrs: wrote {settings.LockFilePath}");
                }
            }
            catch (DsrsException e)
            {
                failures.Add(new ResolveFailure(lockFileLocation, e.Code, e.Message));
            }
        }

        return new ResolveOutcome(resolved, failures);
    }

    /// <summary>True when ResolveOneAsync will search the relays for this item (never in locked or design-time builds).</summary>
    private bool WillSearch(DeclaredManifest item, LockedManifest? locked) =>
        !item.IsLocal && !settings.DesignTime && !settings.LockedMode && settings.Relays.Count > 0
        && !(locked is not null && Satisfies(item, locked));

    private async Task<(HandOverEntry? Entry, LockedManifest? Locked)> ResolveOneAsync(DeclaredManifest item, LockedManifest? locked, CancellationToken cancellationToken)
    {
        if (item.IsLocal)
        {
            return await ResolveLocalAsync(item, locked, cancellationToken).ConfigureAwait(false);
        }

        var usable = locked is not null && Satisfies(item, locked);
        if (!usable)
        {
            if (settings.DesignTime)
            {
                log.Detail($"dsrs: {item.Name} is not locked and cached yet; a design-time build does not fetch it");
                return (null, null);
            }

            if (settings.LockedMode)
            {
                throw new DsrsException(BuildErrorCodes.LockedDeclarationsChanged, locked is null
                    ? $"the item is not in the lockfile {settings.LockFilePath}; the declarations changed since it was written: build once without locked mode (DsrsLockedMode=false) and commit the lockfile"
                    : $"the item's declaration ({Describe(item)}) no longer matches its lockfile entry (compiled_id {Short(locked.CompiledId)}, seller {Short(locked.Seller)}, {locked.PriceMsat} msat): update the lockfile outside locked mode");
            }

            return await AcquireAsync(item, cancellationToken).ConfigureAwait(false);
        }

        var content = ReadCachedForLock(item, locked!);
        var how = settings.LockedMode ? "locked" : "cached";
        if (content is null)
        {
            if (settings.DesignTime)
            {
                log.Detail($"dsrs: {item.Name} ({Short(locked!.CompiledId)}) is not in the cache; a design-time build does not fetch it");
                return (null, null);
            }

            var restored = await OpenMarket().RestoreAsync(locked!, cancellationToken).ConfigureAwait(false);
            content = restored.Json;
            if (content is null)
            {
                if (settings.LockedMode)
                {
                    throw new DsrsException(BuildErrorCodes.LockedContentUnavailable, $"compiled_id {locked!.CompiledId} is not in the cache, not listed free on the relays and has no stored receipt (DSRS_RECEIPTS); locked mode never pays" + (restored.Problem is null ? string.Empty : ": " + restored.Problem));
                }

                log.Detail($"dsrs: {item.Name}: no free restore ({restored.Problem}); buying it again");

                // Outside locked mode a lost, receipt-less paid manifest is bought again, pinned to the locked id.
                return await AcquireAsync(item with { CompiledId = locked!.CompiledId }, cancellationToken).ConfigureAwait(false);
            }

            CheckAgainstLock(content, locked!, "the restored content");
            cache.Write(content);
            how = locked!.IsFree ? "restored (free listing)" : "restored (receipt)";
        }

        var entry = await HandOverAsync(item.Name, locked!.CompiledId, content, cancellationToken).ConfigureAwait(false);
        log.Summary(item, $"dsrs: {item.Name} <- {SellerLabel(locked.Seller)} {Short(locked.CompiledId)} {how}", important: how.StartsWith("restored", StringComparison.Ordinal));
        return (entry, locked);
    }

    private async Task<(HandOverEntry?, LockedManifest?)> AcquireAsync(DeclaredManifest item, CancellationToken cancellationToken)
    {
        if (settings.Relays.Count == 0)
        {
            throw new DsrsException(BuildErrorCodes.NoRelays, "it must come from the market but DsrsRelays is empty: set <DsrsRelays>wss://...</DsrsRelays> or give the item a Path");
        }

        var acquired = await OpenMarket().AcquireAsync(item, budgetLeftMsat, cancellationToken).ConfigureAwait(false);
        log.Detail($"dsrs: {item.Name}: {acquired.Explanation}");
        if (acquired.Explanation.Contains(Market.MarketErrorCodes.SellerBlocked, StringComparison.Ordinal))
        {
            log.Warning(item, Market.MarketErrorCodes.SellerBlocked, $"DsrsManifest '{item.Name}': a blocked seller's listing was skipped: {acquired.Explanation}");
        }
        CheckAgainstLock(acquired.Json, acquired.Lock, "the delivered content");
        budgetLeftMsat -= acquired.PaidMsat;
        cache.Write(acquired.Json);
        var entry = await HandOverAsync(item.Name, acquired.Lock.CompiledId, acquired.Json, cancellationToken).ConfigureAwait(false);
        var price = acquired.PaidMsat > 0 ? $"paid {acquired.PaidMsat} msat" : acquired.Lock.IsFree ? "free" : "receipt (already paid)";
        log.Summary(item, $"dsrs: {item.Name} <- {SellerLabel(acquired.Lock.Seller)} {Short(acquired.Lock.CompiledId)} {price}", important: true);
        return (entry, acquired.Lock with { ResolvedAt = DateTimeOffset.UtcNow.ToUnixTimeSeconds() });
    }

    private async Task<(HandOverEntry?, LockedManifest?)> ResolveLocalAsync(DeclaredManifest item, LockedManifest? locked, CancellationToken cancellationToken)
    {
        string text;
        try
        {
            text = await File.ReadAllTextAsync(item.LocalPath!, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DsrsException(BuildErrorCodes.LocalFileMissing, $"the local manifest '{item.LocalPath}' cannot be read: {e.Message}");
        }

        var (id, signatureName) = ManifestCheck.Verify(text, item.LocalPath!);
        if (item.CompiledId is not null && item.CompiledId != id)
        {
            throw new DsrsException(BuildErrorCodes.LocalPinMismatch, $"the local manifest '{item.LocalPath}' has compiled_id {id}, not the pinned {item.CompiledId}");
        }

        if (settings.LockedMode && !settings.DesignTime && (locked is null || locked.CompiledId != id))
        {
            throw new DsrsException(BuildErrorCodes.LockedDeclarationsChanged, locked is null
                ? $"the item is not in the lockfile {settings.LockFilePath}; build once without locked mode and commit the lockfile"
                : $"the local manifest '{item.LocalPath}' now has compiled_id {Short(id)} but the lockfile pins {Short(locked.CompiledId)}: update the lockfile outside locked mode");
        }

        var entry = await HandOverAsync(item.Name, id, text, cancellationToken).ConfigureAwait(false);
        log.Summary(item, $"dsrs: {item.Name} <- local {Path.GetFileName(item.LocalPath)} {Short(id)}", important: false);
        var pin = locked is not null && locked.CompiledId == id
            ? locked
            : new LockedManifest { SignatureName = signatureName, CompiledId = id, ResolvedAt = DateTimeOffset.UtcNow.ToUnixTimeSeconds() };
        return (entry, pin);
    }

    /// <summary>The cached content of a locked version, or null. A cache entry that does not hash to the id is refused.</summary>
    private string? ReadCachedForLock(DeclaredManifest item, LockedManifest locked)
    {
        try
        {
            var content = cache.TryRead(locked.CompiledId);
            if (content is not null)
            {
                CheckAgainstLock(content, locked, $"the cached file {cache.PathOf(locked.CompiledId)}");
            }

            return content;
        }
        catch (DsrsException e) when (settings.DesignTime || (!settings.LockedMode && e.Code == BuildErrorCodes.LockedContentMismatch))
        {
            // Outside locked mode a corrupt entry (now quarantined) is simply fetched again; locked mode stops.
            log.Warning(item, e.Code, e.Message);
            return null;
        }
    }

    private static void CheckAgainstLock(string content, LockedManifest locked, string what)
    {
        string id;
        try
        {
            (id, _) = ManifestCheck.Verify(content, what);
        }
        catch (DsrsException e)
        {
            throw new DsrsException(BuildErrorCodes.LockedContentMismatch, $"{what} does not hash to the locked compiled_id {locked.CompiledId}: {e.Message}", e);
        }

        if (id != locked.CompiledId)
        {
            throw new DsrsException(BuildErrorCodes.LockedContentMismatch, $"{what} hashes to {id}, not to the locked compiled_id {locked.CompiledId}");
        }
    }

    private async Task<HandOverEntry> HandOverAsync(string name, string id, string content, CancellationToken cancellationToken)
    {
        var file = Path.Combine(settings.IntermediateDirectory, name + ".json");
        await AtomicFile.WriteIfChangedAsync(file, content, cancellationToken).ConfigureAwait(false);
        return new HandOverEntry(name, id, Path.GetFullPath(file));
    }

    private IManifestMarket OpenMarket()
    {
        if (settings.DesignTime)
        {
            throw new InvalidOperationException("a design-time build must never reach the market");
        }

        return market ??= marketFactory(settings);
    }

    /// <summary>Does a lock entry still satisfy the declaration? Family/domains are not in the lock: a pin, seller or price change is what counts.</summary>
    internal static bool Satisfies(DeclaredManifest item, LockedManifest locked) =>
        (item.CompiledId is null || item.CompiledId == locked.CompiledId)
        && (item.SellerHex is null || item.SellerHex == locked.Seller)
        && (item.MaxPriceMsat is null || locked.PriceMsat <= item.MaxPriceMsat);

    private static string Describe(DeclaredManifest item) =>
        string.Join(", ", new[]
        {
            item.CompiledId is null ? null : "CompiledId " + Short(item.CompiledId),
            item.SellerHex is null ? null : "Seller " + Short(item.SellerHex),
            item.MaxPriceMsat is null ? null : $"MaxPriceMsat {item.MaxPriceMsat}",
        }.Where(s => s is not null));

    internal static string Short(string id) => id.Length > 12 ? id[..12] : id.Length == 0 ? "-" : id;

    private static string SellerLabel(string seller) => seller.Length == 0 ? "local" : "seller " + Short(seller);
}
