using ManifestBuild.Format;
using ManifestBuild.Tasks.Datasets;
using ManifestBuild.Tasks.Resolution;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace ManifestBuild.Tasks;

/// <summary>
/// Resolves the project's DsrsManifest items (local file, lockfile + cache, or the market), pins them
/// in the lockfile and writes the verified JSON to obj/dsrs/ for the generator. Async inside and
/// cancellable (Ctrl+C): like MSBuild's DownloadFile, Execute waits on the async work and Cancel
/// trips its token; every file is written through a temporary file and a rename, so a cancelled
/// build leaves the old file or none, never half of one.
/// </summary>
public sealed class ResolveDsrsManifests : Microsoft.Build.Utilities.Task, ICancelableTask
{
    // Never disposed: MSBuild may call Cancel() from another thread at any time, even after Execute
    // returned, and a source without a timer holds nothing that needs disposing.
    private readonly CancellationTokenSource cancellation = new();

    public ITaskItem[] Manifests { get; set; } = [];

    /// <summary>The DsrsBundle items (docs/msbuild-reference.md): each a market bundle, one class per member.</summary>
    public ITaskItem[] Bundles { get; set; } = [];

    [Required]
    public string ProjectDirectory { get; set; } = string.Empty;

    public string ProjectFile { get; set; } = string.Empty;

    [Required]
    public string IntermediateDirectory { get; set; } = string.Empty;

    /// <summary>Written on success only (the Outputs of the incremental target); empty in design-time builds.</summary>
    public string HandOverFile { get; set; } = string.Empty;

    public string Relays { get; set; } = string.Empty;

    public string BudgetMsat { get; set; } = "0";

    public string MaxFeeMsat { get; set; } = "1000";

    /// <summary>DsrsBlockedSellers: npubs or hex keys never paid, on top of the ledger's standing (`dsrs sellers`).</summary>
    public string BlockedSellers { get; set; } = string.Empty;

    [Required]
    public string LockFile { get; set; } = string.Empty;

    public bool PruneLockFile { get; set; }

    public bool LockedMode { get; set; }

    public string ResolveTimeoutSeconds { get; set; } = "60";

    public bool DesignTime { get; set; }

    /// <summary>DsrsCheckOutdated: say when a better version than a satisfied lock is listed (searches; never moves the lock).</summary>
    public bool CheckOutdated { get; set; }

    [Output]
    public ITaskItem[] ResolvedManifests { get; private set; } = [];

    /// <summary>The DsrsDataset items: resolved after the manifests, within the same budget.</summary>
    public ITaskItem[] Datasets { get; set; } = [];

    /// <summary>obj/dsrs/datasets.tsv, written on success (empty in design-time builds).</summary>
    public string DatasetHandOverFile { get; set; } = string.Empty;

    [Output]
    public ITaskItem[] ResolvedDatasets { get; private set; } = [];

    /// <summary>For tests: the environment the task reads (DSRS_HOME, DSRS_NODE, DSRS_RECEIPTS).</summary>
    internal Func<string, string?> Environment { get; set; } = System.Environment.GetEnvironmentVariable;

    public void Cancel() => cancellation.Cancel();

    public override bool Execute()
    {
        try
        {
            return ExecuteAsync(cancellation.Token).GetAwaiter().GetResult();
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            // MSBuild reports the cancelled build itself; nothing partial was written.
            return false;
        }
    }

    private async Task<bool> ExecuteAsync(CancellationToken cancellationToken)
    {
        var log = new TaskResolveLog(Log, ProjectFile);
        List<DeclaredManifest> declared;
        List<DeclaredBundle> bundles;
        List<DeclaredDataset> datasets;
        ResolveSettings settings;
        try
        {
            settings = ReadSettings();
            declared = ReadItems(log);
            bundles = ReadBundles(log, declared);
            datasets = DatasetItems.Read(Datasets, ProjectFile, ProjectDirectory, log.Error);
        }
        catch (DsrsException e)
        {
            Log.LogError(null, e.Code, null, ProjectFile, 0, 0, 0, 0, e.Message);
            return false;
        }

        if (Log.HasLoggedErrors)
        {
            return false;
        }

        var resolver = new ManifestResolver(settings, log);
        var outcome = await resolver.ResolveAsync(declared, bundles, cancellationToken).ConfigureAwait(false);
        if (datasets.Count > 0)
        {
            var (resolvedDatasets, datasetFailures) = await new DatasetResolver(settings, resolver.Budget, new DatasetItems.Log(Log, ProjectFile)).ResolveAsync(datasets, cancellationToken).ConfigureAwait(false);
            ResolvedDatasets = resolvedDatasets.Select(DatasetItems.ToItem).ToArray();
            outcome = outcome with { Failures = [.. outcome.Failures, .. datasetFailures] };
            if (datasetFailures.Count == 0 && !string.IsNullOrEmpty(DatasetHandOverFile))
            {
                await AtomicFile.WriteAllTextAsync(DatasetHandOverFile, DatasetItems.Serialize(resolvedDatasets), cancellationToken).ConfigureAwait(false);
            }
        }

        foreach (var failure in outcome.Failures)
        {
            var where = failure.Location;
            Log.LogError(null, failure.Code, null, where.File, where.Line, where.Column, 0, 0, failure.Message);
        }

        ResolvedManifests = outcome.Resolved.Select(ReadDsrsHandOver.ToItem).ToArray();
        if (outcome.Failures.Count > 0)
        {
            return false;
        }

        if (!string.IsNullOrEmpty(HandOverFile))
        {
            await AtomicFile.WriteAllTextAsync(HandOverFile, HandOver.Serialize(outcome.Resolved), cancellationToken).ConfigureAwait(false);
        }

        return true;
    }

    private ResolveSettings ReadSettings()
    {
        var seconds = ResolveSettings.ParseNonNegative("DsrsResolveTimeout", ResolveTimeoutSeconds, 60);
        if (seconds is 0 or > 3600)
        {
            throw new DsrsException(BuildErrorCodes.InvalidProperty, $"DsrsResolveTimeout: '{ResolveTimeoutSeconds}' must be between 1 and 3600 seconds");
        }

        return new ResolveSettings
        {
            Relays = ResolveSettings.ParseRelays(Relays),
            BudgetMsat = ResolveSettings.ParseNonNegative("DsrsBudgetMsat", BudgetMsat, 0),
            MaxFeeMsat = ResolveSettings.ParseNonNegative("DsrsMaxFeeMsat", MaxFeeMsat, 1000),
            BlockedSellers = Market.Buying.SellerStanding.ParseList(BlockedSellers),
            LockFilePath = Path.GetFullPath(Path.Combine(ProjectDirectory, LockFile)),
            PruneLockFile = PruneLockFile,
            LockedMode = LockedMode,
            NoPay = Lightning.Payments.NoPaySwitch.IsOn(Environment),
            DesignTime = DesignTime,
            CheckOutdated = CheckOutdated && !DesignTime,
            Timeout = TimeSpan.FromSeconds(seconds),
            IntermediateDirectory = IntermediateDirectory,
            Home = DsrsHome.Resolve(Environment),
            Environment = Environment,
        };
    }

    private List<DeclaredManifest> ReadItems(TaskResolveLog log)
    {
        var declared = new List<DeclaredManifest>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var item in Manifests)
        {
            var name = item.ItemSpec.Trim();
            var definedIn = item.GetMetadata("DefiningProjectFullPath");
            var location = ItemLocation.Find(string.IsNullOrEmpty(definedIn) ? ProjectFile : definedIn, name);
            try
            {
                if (!seen.Add(name))
                {
                    throw new DsrsException(BuildErrorCodes.DuplicateItem, $"DsrsManifest '{name}' is declared twice (names are compared case-insensitively, as class names may collide on some file systems)");
                }

                declared.Add(DeclaredManifest.Parse(name, item.GetMetadata, ProjectDirectory, location));
            }
            catch (DsrsException e)
            {
                log.Error(location, e.Code, e.Message);
            }
        }

        return declared;
    }

    private List<DeclaredBundle> ReadBundles(TaskResolveLog log, List<DeclaredManifest> declared)
    {
        var bundles = new List<DeclaredBundle>();
        var seen = declared.Select(d => d.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var item in Bundles)
        {
            var name = item.ItemSpec.Trim();
            var definedIn = item.GetMetadata("DefiningProjectFullPath");
            var location = ItemLocation.Find(string.IsNullOrEmpty(definedIn) ? ProjectFile : definedIn, name, "DsrsBundle");
            try
            {
                if (!seen.Add(name))
                {
                    throw new DsrsException(BuildErrorCodes.DuplicateItem, $"DsrsBundle '{name}' is declared twice or shares its name with a DsrsManifest (names are compared case-insensitively)");
                }

                bundles.Add(DeclaredBundle.Parse(name, item.GetMetadata, location));
            }
            catch (DsrsException e)
            {
                log.Error(location, e.Code, e.Message);
            }
        }

        return bundles;
    }

    /// <summary>
    /// Maps the resolver's log onto MSBuild: summary lines normal (restores high), detail low. A
    /// payment is a warning (DSRS0055, never turned into an error by the targets): the terminal logger
    /// shows high-importance messages only at detailed verbosity, and quiet verbosity hides them from
    /// the console logger, but both show warnings, so no build pays silently; the summary of a build
    /// that paid is a warning too (DSRS0056).
    /// </summary>
    private sealed class TaskResolveLog(TaskLoggingHelper log, string projectFile) : IResolveLog
    {
        public void Summary(DeclaredManifest item, string line, bool important) =>
            log.LogMessage(important ? MessageImportance.High : MessageImportance.Normal, line);

        public void Payment(DeclaredManifest item, string line)
        {
            var where = item.Location == ItemLocation.None ? new ItemLocation(projectFile, 0, 0) : item.Location;
            log.LogWarning(null, BuildErrorCodes.ManifestBought, null, where.File, where.Line, where.Column, 0, 0, line);
        }

        /// <summary>A build that paid ends with its summary as warning DSRS0056, for the same reason as DSRS0055.</summary>
        public void Total(string line, bool paid)
        {
            if (paid)
            {
                log.LogWarning(null, BuildErrorCodes.PaidBuildSummary, null, projectFile, 0, 0, 0, 0, line);
            }
            else
            {
                log.LogMessage(MessageImportance.High, line);
            }
        }

        public void Detail(string text) => log.LogMessage(MessageImportance.Low, text);

        public void Warning(DeclaredManifest? item, string code, string message)
        {
            var where = item?.Location ?? ItemLocation.None;
            log.LogWarning(null, code, null, where.File, where.Line, where.Column, 0, 0, message);
        }

        public void Error(ItemLocation where, string code, string message) =>
            log.LogError(null, code, null, where.File, where.Line, where.Column, 0, 0, message);
    }
}
