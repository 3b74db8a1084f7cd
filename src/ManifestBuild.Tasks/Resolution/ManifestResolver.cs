using ManifestBuild.Format;
using ManifestBuild.Lightning.Payments;
using ManifestBuild.Format.Locking;

namespace ManifestBuild.Tasks.Resolution;

public sealed record ResolveFailure(ItemLocation Location, string Code, string Message);

public sealed record ResolveOutcome(IReadOnlyList<HandOverEntry> Resolved, IReadOnlyList<ResolveFailure> Failures);

/// <summary>
/// The build's resolution, independent of MSBuild. First a plan per item, decided once from the
/// declaration, the lockfile and the cache (<see cref="Plan"/>): the local file, the locked version,
/// a refusal (locked mode) or a fresh search, selection and purchase. The purchases run first, at once,
/// each price reserved from the one <see cref="BuildBudget"/> in declaration order before anything is
/// paid (<see cref="AcquireAllAsync"/>); then the plans finish in declaration order (hand-over, log, lock). Writes the verified JSON to obj/dsrs/ and, outside locked mode, the lockfile (only
/// when it changed).
/// </summary>
public sealed partial class ManifestResolver
{
    private readonly ResolveSettings settings;
    private readonly IResolveLog log;
    private readonly Func<ResolveSettings, IManifestMarket> marketFactory;
    private readonly ManifestCacheStore cache;
    private readonly BuildBudget budget;
    private readonly ResolveTally tally = new();
    private IManifestMarket? market;

    public ManifestResolver(ResolveSettings settings, IResolveLog log, Func<ResolveSettings, IManifestMarket>? marketFactory = null)
    {
        this.settings = settings;
        this.log = log;
        this.marketFactory = marketFactory ?? (s => new MarketAdapter(s));
        cache = new ManifestCacheStore(settings.Home);
        budget = new BuildBudget(settings.DesignTime || settings.LockedMode || settings.NoPay ? 0 : settings.BudgetMsat);
    }

    /// <summary>True once anything asked for the market: tests use it to prove a no-op build stays offline.</summary>
    public bool MarketWasOpened => market is not null;

    /// <summary>The one budget of this build: what every purchase reserved (payments whose delivery failed included).</summary>
    public BuildBudget Budget => budget;

    public Task<ResolveOutcome> ResolveAsync(IReadOnlyList<DeclaredManifest> declared, CancellationToken cancellationToken) =>
        ResolveAsync(declared, [], cancellationToken);

    /// <summary>The manifests, then the bundles (<see cref="ResolveBundlesAsync"/>), against the one budget and lockfile.</summary>
    public async Task<ResolveOutcome> ResolveAsync(IReadOnlyList<DeclaredManifest> declared, IReadOnlyList<DeclaredBundle> bundles, CancellationToken cancellationToken)
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
        var pinned = new Dictionary<string, LockEntry>(StringComparer.Ordinal);
        var plans = declared.Select(item => Plan(item, lockFile.Get(item.Name))).ToArray();
        try
        {
            var searches = plans.Where(p => p.Searches && settings.Relays.Count > 0).Select(p => p.Item).ToArray();
            if (searches.Length > 1)
            {
                OpenMarket().Prefetch(searches, timeout.Token);
            }

            // The purchases first, at once within the one budget; then every item in declaration order.
            var acquisitions = await AcquireAllAsync(plans, timeout.Token).ConfigureAwait(false);
            var timedOut = false;
            foreach (var plan in plans)
            {
                var item = plan.Item;
                acquisitions.TryGetValue(item, out var acquisition);
                if (timedOut && acquisition is not { IsCompletedSuccessfully: true })
                {
                    continue;
                }

                try
                {
                    // After a timeout only what was already delivered (and paid) is finished: it must be pinned.
                    var (entry, locked) = await (acquisition is null
                        ? ExecuteAsync(plan, timeout.Token)
                        : FinishAcquireAsync(plan, acquisition, timedOut ? cancellationToken : timeout.Token)).ConfigureAwait(false);
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
                    if (!timedOut)
                    {
                        failures.Add(new ResolveFailure(item.Location, BuildErrorCodes.ResolveTimeout, $"DsrsManifest '{item.Name}': resolution did not finish within DsrsResolveTimeout ({settings.Timeout.TotalSeconds:0} s)"));
                    }

                    timedOut = true;
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

            await ResolveBundlesAsync(bundles, declared, lockFile, resolved, pinned, failures, timeout, cancellationToken).ConfigureAwait(false);
            if (settings.CheckOutdated && !settings.DesignTime && settings.Relays.Count > 0)
            {
                var kept = plans.Where(p => p.Step == ResolveStep.UseLock && pinned.ContainsKey(p.Item.Name)).Select(p => (p.Item, pinned[p.Item.Name]));
                await ReportBetterVersionsAsync(kept, timeout.Token).ConfigureAwait(false);
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
                var names = declared.Select(d => d.Name).Concat(bundles.Select(b => b.Name)).Concat(pinned.Keys).ToHashSet(StringComparer.Ordinal);
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

        if (!settings.DesignTime && declared.Count + bundles.Count > 0)
        {
            log.Total(tally.Line(budget.SpentMsat, failures.Count), paid: budget.SpentMsat > 0);
        }

        return new ResolveOutcome(resolved, failures);
    }

    /// <summary>
    /// Decides, once and without the network, how an item is resolved. An entry that predates the
    /// recorded facts (family, domains, accuracy) gets them from the cached content when it is there.
    /// </summary>
    public ItemPlan Plan(DeclaredManifest item, LockEntry? locked)
    {
        if (item.IsLocal)
        {
            return new ItemPlan(item, locked, ResolveStep.Local, null);
        }

        if (locked is { HasFacts: false } && ReadCached(item, locked) is { } cached)
        {
            locked = locked.WithFacts(ManifestFacts.Of(cached));
        }

        var unmet = locked is null ? "it is not in the lockfile" : LockConstraints.Unmet(item, locked);
        if (unmet is null && !settings.LockedMode && !settings.DesignTime && settings.ResolveAgain.Contains(item.Name))
        {
            return new ItemPlan(item, locked, ResolveStep.Acquire, "`dsrs update` asked for the best version now");
        }

        var step = unmet is null ? ResolveStep.UseLock
            : settings.DesignTime ? ResolveStep.SkipInDesignTime
            : settings.LockedMode ? ResolveStep.Refuse
            : ResolveStep.Acquire;
        return new ItemPlan(item, locked, step, unmet);
    }

    private Task<(HandOverEntry? Entry, LockEntry? Locked)> ExecuteAsync(ItemPlan plan, CancellationToken cancellationToken) => plan.Step switch
    {
        ResolveStep.Local => ResolveLocalAsync(plan.Item, plan.Locked, cancellationToken),
        ResolveStep.UseLock => UseLockAsync(plan.Item, plan.Locked!, cancellationToken),
        ResolveStep.Acquire => AcquireAsync(plan, cancellationToken), // no relays: refused there
        ResolveStep.SkipInDesignTime => SkipAsync(plan),
        _ => throw Refusal(plan.Item, plan.Locked, plan.Why!),
    };

    private Task<(HandOverEntry?, LockEntry?)> SkipAsync(ItemPlan plan)
    {
        log.Detail($"dsrs: {plan.Item.Name}: {plan.Why}; a design-time build does not fetch it");
        return Task.FromResult<(HandOverEntry?, LockEntry?)>((null, null));
    }

    private DsrsException Refusal(DeclaredManifest item, LockEntry? locked, string why) =>
        new(BuildErrorCodes.LockedDeclarationsChanged, locked is null
            ? $"the item is not in the lockfile {settings.LockFilePath}; the declarations changed since it was written: build once without locked mode (DsrsLockedMode=false) and commit the lockfile"
            : $"{why}; locked mode never resolves again: build once without locked mode (or run `dsrs update {item.Name}`) and commit the lockfile");

    private async Task<(HandOverEntry?, LockEntry?)> UseLockAsync(DeclaredManifest item, LockEntry locked, CancellationToken cancellationToken)
    {
        var content = ReadCached(item, locked);
        var how = settings.LockedMode ? "locked" : "cached";
        if (content is null)
        {
            if (settings.DesignTime)
            {
                log.Detail($"dsrs: {item.Name} ({Short(locked.CompiledId)}) is not in the cache; a design-time build does not fetch it");
                return (null, null);
            }

            var restored = await OpenMarket().RestoreAsync(locked, cancellationToken).ConfigureAwait(false);
            content = restored.Manifest;
            if (content is null)
            {
                if (settings.LockedMode)
                {
                    throw new DsrsException(BuildErrorCodes.LockedContentUnavailable, $"compiled_id {locked.CompiledId} is not in the cache, not listed free on the relays and has no stored receipt (DSRS_RECEIPTS); locked mode never pays" + (restored.Problem is null ? string.Empty : ": " + restored.Problem));
                }

                log.Detail($"dsrs: {item.Name}: no free restore ({restored.Problem}); buying it again");

                // Outside locked mode a lost, receipt-less paid manifest is bought again, pinned to the locked id.
                return await AcquireAsync(new ItemPlan(item with { CompiledId = locked.CompiledId }, locked, ResolveStep.Acquire, null), cancellationToken).ConfigureAwait(false);
            }

            LockCheck.Verify(content, locked, "the restored content");
            how = locked.IsFree ? "restored (free listing)" : "restored (receipt)";
        }
        else
        {
            LockCheck.Verify(content, locked, $"the cached file {cache.PathOf(locked.CompiledId)}");
        }

        if (!locked.HasFacts)
        {
            // An entry from before the facts were recorded: judge it now that its content is known.
            locked = locked.WithFacts(ManifestFacts.Of(content));
            if (LockConstraints.Unmet(item, locked) is { } unmet)
            {
                if (settings.LockedMode || settings.DesignTime)
                {
                    throw Refusal(item, locked, unmet);
                }

                return await AcquireAsync(new ItemPlan(item, locked, ResolveStep.Acquire, unmet), cancellationToken).ConfigureAwait(false);
            }
        }

        var entry = await HandOverAsync(item.Name, content, cancellationToken).ConfigureAwait(false);
        log.Summary(item, $"dsrs: {item.Name} <- {SellerLabel(locked.Seller)} {Short(locked.CompiledId)} {how}", important: how.StartsWith("restored", StringComparison.Ordinal));
        tally.Add(how.StartsWith("restored", StringComparison.Ordinal) ? "restored" : how);
        return (entry, locked);
    }

    /// <summary>
    /// DsrsCheckOutdated: for each item its lock satisfied, the listing the build would select now. A
    /// better one is reported, never taken: the build does not move a satisfied lock (`dsrs update` does).
    /// A search that fails only says so; it never fails the build.
    /// </summary>
    private async Task ReportBetterVersionsAsync(IEnumerable<(DeclaredManifest Item, LockEntry Locked)> kept, CancellationToken cancellationToken)
    {
        foreach (var (item, locked) in kept)
        {
            try
            {
                if (await OpenMarket().RankAsync(item, cancellationToken).ConfigureAwait(false) is not { } ranking)
                {
                    continue;
                }

                var verdict = Maintenance.OutdatedCheck.Compare(item, locked, ranking);
                if (Maintenance.OutdatedCheck.IsBehind(verdict))
                {
                    log.Summary(item, $"dsrs: {item.Name}: a better version is listed: {Short(verdict.BestId!)} ({verdict.Status}, {verdict.BestPriceMsat} msat) over the locked {Short(locked.CompiledId)}; the lock stays, `dsrs update {item.Name}` moves it: {verdict.Why}", important: false);
                }
                else
                {
                    log.Detail($"dsrs: {item.Name}: the locked {Short(locked.CompiledId)} is the best listed version ({verdict.Status})");
                }
            }
            catch (DsrsException e)
            {
                log.Summary(item, $"dsrs: {item.Name}: could not check for a better version: {e.Code}: {e.Message}", important: false);
            }
        }
    }

    /// <summary>An item bought late (its lock could not be used after all): chosen and acquired alone, within what is left of the budget.</summary>
    private Task<(HandOverEntry?, LockEntry?)> AcquireAsync(ItemPlan plan, CancellationToken cancellationToken) =>
        FinishAcquireAsync(plan, settings.Relays.Count == 0 ? null : OpenMarket().AcquireAsync(plan.Item, budget, cancellationToken), cancellationToken);

    /// <summary>Logs, checks, hands over and pins an acquisition (already running or finished: <see cref="AcquireAllAsync"/>).</summary>
    private async Task<(HandOverEntry?, LockEntry?)> FinishAcquireAsync(ItemPlan plan, Task<MarketAcquisition>? acquisition, CancellationToken cancellationToken)
    {
        var item = plan.Item;
        if (plan.Locked is not null && plan.Why is not null)
        {
            log.Summary(item, $"dsrs: {item.Name}: {plan.Why}: resolving again", important: true);
        }

        if (acquisition is null)
        {
            throw new DsrsException(BuildErrorCodes.NoRelays, "it must come from the market but DsrsRelays is empty: set <DsrsRelays>wss://...</DsrsRelays> or give the item a Path");
        }

        var acquired = await acquisition.ConfigureAwait(false);
        log.Detail($"dsrs: {item.Name}: {acquired.Explanation}");
        if (acquired.Explanation.Contains(Market.MarketErrorCodes.SellerBlocked, StringComparison.Ordinal))
        {
            log.Warning(item, Market.MarketErrorCodes.SellerBlocked, $"DsrsManifest '{item.Name}': a blocked seller's listing was skipped: {acquired.Explanation}");
        }
        LockCheck.Verify(acquired.Manifest, acquired.Lock, "the delivered content");
        var entry = await HandOverAsync(item.Name, acquired.Manifest, cancellationToken).ConfigureAwait(false);
        var line = $"dsrs: {item.Name} <- {SellerLabel(acquired.Lock.Seller)} {Short(acquired.Lock.CompiledId)} ";
        if (acquired.PaidMsat > 0)
        {
            log.Payment(item, line + $"paid {acquired.PaidMsat} msat");
            tally.Bought(acquired.PaidMsat);
        }
        else
        {
            var how = acquired.Lock.IsFree ? "free" : "receipt (already paid)";
            log.Summary(item, line + how, important: true);
            tally.Add(acquired.Lock.IsFree ? "free" : "already paid");
        }

        var facts = ManifestFacts.Of(acquired.Manifest);
        return (entry, acquired.Lock.WithFacts(facts) with { ResolvedAt = DateTimeOffset.UtcNow.ToUnixTimeSeconds() });
    }

    private async Task<(HandOverEntry?, LockEntry?)> ResolveLocalAsync(DeclaredManifest item, LockEntry? locked, CancellationToken cancellationToken)
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

        VerifiedManifest verified;
        try
        {
            verified = ManifestVerifier.Verify(text);
        }
        catch (DsrsException e)
        {
            throw new DsrsException(e.Code, $"{item.LocalPath}: {e.Message}", e);
        }

        var id = verified.CompiledId;
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

        var entry = await HandOverAsync(item.Name, verified, cancellationToken).ConfigureAwait(false);
        log.Summary(item, $"dsrs: {item.Name} <- local {Path.GetFileName(item.LocalPath)} {Short(id)}", important: false);
        tally.Add("local");
        var facts = ManifestFacts.Of(verified);
        var pin = locked is not null && locked.CompiledId == id
            ? locked.WithFacts(facts)
            : new LockEntry { SignatureName = verified.SignatureName, CompiledId = id, ResolvedAt = DateTimeOffset.UtcNow.ToUnixTimeSeconds() }.WithFacts(facts);
        return (entry, pin);
    }

    /// <summary>
    /// The cached content of a locked version, or null. A corrupt entry (the cache has quarantined it)
    /// is a miss in every mode, reported as a warning: the content is restored in this same build.
    /// </summary>
    private VerifiedManifest? ReadCached(DeclaredManifest item, LockEntry locked)
    {
        try
        {
            return cache.TryRead(locked.CompiledId);
        }
        catch (DsrsException e) when (e.Code == BuildErrorCodes.LockedContentMismatch)
        {
            log.Warning(item, e.Code, e.Message + (settings.DesignTime ? "; it was quarantined" : "; it was quarantined and is restored now"));
            return null;
        }
    }

    private async Task<HandOverEntry> HandOverAsync(string name, VerifiedManifest content, CancellationToken cancellationToken)
    {
        var file = Path.Combine(settings.IntermediateDirectory, name + ".json");
        await AtomicFile.WriteIfChangedAsync(file, content.Text, cancellationToken).ConfigureAwait(false);
        return new HandOverEntry(name, content.CompiledId, Path.GetFullPath(file));
    }

    private IManifestMarket OpenMarket()
    {
        if (settings.DesignTime)
        {
            throw new InvalidOperationException("a design-time build must never reach the market");
        }

        return market ??= marketFactory(settings);
    }

    internal static string Short(string id) => id.Length > 12 ? id[..12] : id.Length == 0 ? "-" : id;

    private static string SellerLabel(string seller) => seller.Length == 0 ? "local" : "seller " + Short(seller);
}
