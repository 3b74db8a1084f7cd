using ManifestBuild.Format;
using ManifestBuild.Format.Datasets;
using ManifestBuild.Format.Locking;
using ManifestBuild.Lightning.Nodes;
using ManifestBuild.Lightning.Payments;
using ManifestBuild.Market;
using ManifestBuild.Market.Buying;
using ManifestBuild.Market.Listings;
using ManifestBuild.Tasks.Resolution;

namespace ManifestBuild.Tasks.Datasets;

/// <summary>Where the dataset resolver's lines go (the task maps them onto MSBuild's log; a payment is warning DSRS0055).</summary>
public interface IDatasetLog
{
    void Summary(string line);

    void Payment(ItemLocation where, string line);

    void Detail(string line);
}

/// <summary>One dataset handed to the project: item name, verified dataset_id and the JSON file in obj/dsrs/datasets/.</summary>
public sealed record DatasetHandOverEntry(string Name, string DatasetId, string FilePath);

/// <summary>
/// Resolves the build's DsrsDataset items after its manifests, within the same <see cref="BuildBudget"/>.
/// Per item: the lock entry and the cache (no socket), else a locked restore that never pays (free
/// listing, receipt), else, outside locked mode, a search, an explained selection and the guarded
/// purchase through the user's node. Whatever arrives is verified against its dataset_id, cached, written
/// to obj/dsrs/datasets/ and pinned in the lockfile's "datasets" member.
/// </summary>
public sealed class DatasetResolver(ResolveSettings settings, BuildBudget budget, IDatasetLog log)
{
    private readonly MarketClient client = new();
    private readonly DatasetCache cache = new(settings.Home);
    private ILightningNode? node;

    public async Task<(IReadOnlyList<DatasetHandOverEntry> Resolved, IReadOnlyList<ResolveFailure> Failures)> ResolveAsync(IReadOnlyList<DeclaredDataset> declared, CancellationToken cancellationToken)
    {
        var resolved = new List<DatasetHandOverEntry>();
        var failures = new List<ResolveFailure>();
        var pinned = new Dictionary<string, LockEntry>(StringComparer.Ordinal);
        LockFile lockFile;
        try
        {
            lockFile = LockFile.ReadOrEmpty(settings.LockFilePath);
        }
        catch (DsrsException e)
        {
            return ([], [new ResolveFailure(new ItemLocation(settings.LockFilePath, 0, 0), e.Code, e.Message)]);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(settings.Timeout);
        try
        {
            foreach (var item in declared)
            {
                try
                {
                    var (entry, locked) = await ResolveItemAsync(item, lockFile.Datasets.GetValueOrDefault(item.Name), timeout.Token).ConfigureAwait(false);
                    if (entry is not null)
                    {
                        resolved.Add(entry);
                        pinned[item.Name] = locked!;
                    }
                }
                catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
                {
                    failures.Add(new ResolveFailure(item.Location, BuildErrorCodes.ResolveTimeout, $"DsrsDataset '{item.Name}': resolution did not finish within DsrsResolveTimeout ({settings.Timeout.TotalSeconds:0} s)"));
                    break;
                }
                catch (DsrsException e)
                {
                    failures.Add(new ResolveFailure(item.Location, e.Code, $"DsrsDataset '{item.Name}': {e.Message}"));
                }
            }
        }
        finally
        {
            if (node is not null)
            {
                await node.DisposeAsync().ConfigureAwait(false);
            }
        }

        if (!settings.LockedMode && !settings.DesignTime)
        {
            try
            {
                var keep = settings.PruneLockFile && failures.Count == 0 ? declared.Select(d => d.Name).ToHashSet(StringComparer.Ordinal) : null;
                if (await UpdateLockFileAsync(pinned, keep, cancellationToken).ConfigureAwait(false))
                {
                    log.Detail($"dsrs: wrote the datasets of {settings.LockFilePath}");
                }
            }
            catch (DsrsException e)
            {
                failures.Add(new ResolveFailure(new ItemLocation(settings.LockFilePath, 0, 0), e.Code, e.Message));
            }
        }

        return (resolved, failures);
    }

    private async Task<(DatasetHandOverEntry?, LockEntry?)> ResolveItemAsync(DeclaredDataset item, LockEntry? locked, CancellationToken cancellationToken)
    {
        var unmet = locked is null ? "it is not in the lockfile" : item.Unmet(locked);
        if (unmet is null)
        {
            if (ReadCached(item, locked!) is { } text)
            {
                return (await HandOverAsync(item, locked!, text, settings.LockedMode ? "locked" : "cached", cancellationToken).ConfigureAwait(false), locked);
            }

            if (settings.DesignTime)
            {
                return (null, null);
            }

            try
            {
                var restored = await client.RestoreDatasetAsync(locked!.CompiledId, new RestoreOptions
                {
                    Home = settings.Home,
                    Relays = settings.Relays.Count > 0 ? settings.Relays : locked.Relays.Select(r => Uri.TryCreate(r, UriKind.Absolute, out var u) ? u : null).OfType<Uri>().ToArray(),
                    Seller = locked.Seller,
                    Deadline = SearchDeadline,
                    ExtraReceipts = ExtraReceipts(),
                    HttpTimeout = settings.Timeout,
                }, cancellationToken).ConfigureAwait(false);
                var how = restored.Source == AcquireSource.Receipt ? "restored (receipt)" : "restored (free listing)";
                return (await HandOverAsync(item, locked, restored.Text, how, cancellationToken).ConfigureAwait(false), locked);
            }
            catch (DsrsException e) when (e.Code == MarketErrorCodes.DatasetRestoreFailed)
            {
                if (settings.LockedMode)
                {
                    throw new DsrsException(BuildErrorCodes.LockedDatasetUnavailable, $"dataset_id {locked!.CompiledId} is not in the cache, not listed free on the relays and has no stored receipt (DSRS_RECEIPTS); locked mode never pays: {e.Message}");
                }

                log.Detail($"dsrs: dataset {item.Name}: no free restore ({e.Message}); buying it again");
                return await AcquireAsync(item with { DatasetId = locked!.CompiledId }, cancellationToken).ConfigureAwait(false);
            }
        }

        if (settings.DesignTime)
        {
            return (null, null);
        }

        if (settings.LockedMode)
        {
            throw new DsrsException(BuildErrorCodes.LockedDatasetChanged, $"{unmet}; locked mode never resolves again: build once without locked mode (DsrsLockedMode=false) and commit the lockfile");
        }

        if (locked is not null)
        {
            log.Summary($"dsrs: dataset {item.Name}: {unmet}: resolving again");
        }

        return await AcquireAsync(item, cancellationToken).ConfigureAwait(false);
    }

    private async Task<(DatasetHandOverEntry?, LockEntry?)> AcquireAsync(DeclaredDataset item, CancellationToken cancellationToken)
    {
        if (settings.Relays.Count == 0)
        {
            throw new DsrsException(BuildErrorCodes.NoRelays, "it must come from the market but DsrsRelays is empty: set <DsrsRelays>wss://...</DsrsRelays>");
        }

        var query = new DatasetQuery { Family = item.Family, Domains = item.Domains, MaxPriceMsat = item.MaxPriceMsat, Sellers = item.SellerHex is null ? [] : [item.SellerHex], DatasetId = item.DatasetId };
        var found = await client.SearchDatasetsAsync(query, settings.Relays, SearchDeadline, cancellationToken).ConfigureAwait(false);
        if (found.Relays.Count > 0 && found.Relays.All(r => !r.Succeeded) && found.Listings.Count == 0)
        {
            throw new DsrsException(BuildErrorCodes.RelaysUnreachable, "no relay answered: " + string.Join("; ", found.Relays.Select(r => UntrustedText.Neutralise(r.ToString(), 300))));
        }

        var selection = client.SelectDataset(found.Listings, SellerStanding.ForHome(settings.Home).Load(settings.BlockedSellers));
        log.Detail($"dsrs: dataset {item.Name}: {selection.Explanation}");
        var winner = selection.Winner ?? throw new DsrsException(MarketErrorCodes.NoDatasetSelected, $"no dataset listing fits (family {item.Family}{(item.Domains.Count > 0 ? ", domains " + string.Join("+", item.Domains) : string.Empty)}{(item.MaxPriceMsat is { } m ? $", price <= {m} msat" : string.Empty)}): {selection.Explanation}"
            + (found.Rejected.Count > 0 ? "; left out: " + string.Join("; ", found.Rejected.Take(3).Select(r => r.Reason)) : string.Empty));

        // Checked before the seller is even asked for an invoice; the guard checks again when it reserves.
        if (!winner.IsFree && winner.PriceMsat > budget.RemainingMsat && new ReceiptStore(settings.Home).Find(winner.DatasetId) is null && cache.Status(winner.DatasetId) != Format.Caching.CacheLookupStatus.Hit)
        {
            throw ManifestResolver.OverBudget("dataset " + Short(winner.DatasetId), winner.PriceMsat, budget, settings);
        }

        var acquired = await client.AcquireDatasetAsync(winner, new AcquireOptions
        {
            Home = settings.Home,
            ItemMaxPriceMsat = item.MaxPriceMsat,
            BuildBudget = budget,
            Node = winner.IsFree ? null : node ??= LightningNodeFactory.CreateConfigured(settings.Environment, settings.Home),
            MaxFeeMsat = settings.MaxFeeMsat,
            BlockedSellers = settings.BlockedSellers,
            ExtraReceipts = ExtraReceipts(),
            HttpTimeout = settings.Timeout,
        }, cancellationToken).ConfigureAwait(false);

        var locked = new LockEntry
        {
            SignatureName = string.Empty, // a dataset has no signature; its entry is written without one
            CompiledId = acquired.DatasetId,
            Family = winner.Family,
            Domains = winner.Domains.Order(StringComparer.Ordinal).ToArray(),
            Address = winner.Address,
            EventId = winner.Event.Id,
            Seller = winner.SellerPubKey,
            PriceMsat = winner.PriceMsat,
            PaymentHash = acquired.PaymentHash ?? string.Empty,
            Relays = settings.Relays.Select(r => r.OriginalString).Order(StringComparer.Ordinal).ToArray(),
            ResolvedAt = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
        };
        var line = $"dsrs: dataset {item.Name} <- seller {Short(winner.SellerPubKey)} {Short(acquired.DatasetId)} ";
        if (acquired.PricePaidMsat > 0)
        {
            log.Payment(item.Location, line + $"paid {acquired.PricePaidMsat} msat");
        }
        else
        {
            log.Summary(line + (winner.IsFree ? "free" : "receipt (already paid)"));
        }

        return (await HandOverAsync(item, locked, acquired.Text, null, cancellationToken).ConfigureAwait(false), locked);
    }

    /// <summary>The cached text of a locked dataset, or null; a corrupt entry is quarantined and restored in this build.</summary>
    private string? ReadCached(DeclaredDataset item, LockEntry locked)
    {
        var text = cache.TryRead(locked.CompiledId, out var problem);
        if (problem is not null)
        {
            log.Detail($"dsrs: dataset {item.Name}: {problem.Message}");
        }

        return text;
    }

    private async Task<DatasetHandOverEntry> HandOverAsync(DeclaredDataset item, LockEntry locked, string text, string? how, CancellationToken cancellationToken)
    {
        if (DatasetCache.Mismatch(locked.CompiledId, text) is { } mismatch)
        {
            throw new DsrsException(BuildErrorCodes.LockedContentMismatch, $"the dataset content is not dataset_id {locked.CompiledId}: {mismatch}");
        }

        cache.PutText(text);
        var file = Path.Combine(settings.IntermediateDirectory, "datasets", item.Name + ".json");
        await AtomicFile.WriteIfChangedAsync(file, text, cancellationToken).ConfigureAwait(false);
        if (how is not null)
        {
            log.Summary($"dsrs: dataset {item.Name} <- seller {Short(locked.Seller ?? string.Empty)} {Short(locked.CompiledId)} {how}");
        }

        return new DatasetHandOverEntry(item.Name, locked.CompiledId, Path.GetFullPath(file));
    }

    private async Task<bool> UpdateLockFileAsync(IReadOnlyDictionary<string, LockEntry> pinned, ISet<string>? keepOnly, CancellationToken cancellationToken)
    {
        using var gate = await CrossProcessLock.AcquireAsync(settings.Home, LockFileStore.LockName(settings.LockFilePath), TimeSpan.FromMinutes(2), cancellationToken).ConfigureAwait(false);
        var file = LockFile.ReadOrEmpty(settings.LockFilePath);
        foreach (var name in file.Datasets.Keys.Where(n => keepOnly is not null && !keepOnly.Contains(n)).ToList())
        {
            file.Datasets.Remove(name);
        }

        foreach (var (name, entry) in pinned)
        {
            // An unchanged pin keeps its first resolution time, so rebuilding does not churn the file.
            file.Datasets[name] = file.Datasets.TryGetValue(name, out var old) && old.CompiledId == entry.CompiledId && old.Seller == entry.Seller && old.EventId == entry.EventId ? old : entry;
        }

        return (file.Datasets.Count > 0 || File.Exists(settings.LockFilePath)) && await file.WriteAsync(settings.LockFilePath, cancellationToken).ConfigureAwait(false);
    }

    private TimeSpan SearchDeadline => TimeSpan.FromSeconds(Math.Clamp(settings.Timeout.TotalSeconds / 4, 2, 15));

    private IReadOnlyList<Receipt> ExtraReceipts()
    {
        var text = settings.Environment(ReceiptStore.EnvironmentVariable);
        return string.IsNullOrWhiteSpace(text) ? [] : ReceiptStore.Parse(text);
    }

    private static string Short(string id) => ManifestResolver.Short(id);
}
