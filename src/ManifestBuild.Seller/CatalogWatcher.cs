using System.Globalization;
using System.Text;
using System.Threading.Channels;
using ManifestBuild.Format;

namespace ManifestBuild.Seller;

/// <summary>
/// Keeps the catalog on sale in step with its folder, without a restart: added and changed manifests
/// and prices are sold from the next reload, removed ones stop being sold. A file-system watcher wakes
/// the reload at once; a poll of the folder's listing (names, sizes, times) is the backstop for
/// missed events. A reload that fails (a malformed prices.json half-way through an edit) keeps the
/// previous catalog on sale and says why.
/// </summary>
internal sealed class CatalogWatcher : IAsyncDisposable
{
    private readonly Func<ManifestCatalog> load;
    private readonly string directory;
    private readonly TimeSpan pollInterval;
    private readonly Action<string>? log;
    private readonly Channel<bool> wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly CancellationTokenSource stop = new();
    private readonly object gate = new();
    private FileSystemWatcher? watcher;
    private Task loop = Task.CompletedTask;
    private ManifestCatalog current;
    private TaskCompletionSource changed = NewSignal();
    private string fingerprint;
    private long reloads;

    public CatalogWatcher(string directory, Func<ManifestCatalog> load, TimeSpan pollInterval, Action<string>? log)
    {
        this.directory = directory;
        this.load = load;
        this.pollInterval = pollInterval;
        this.log = log;
        fingerprint = Fingerprint(directory);
        current = load();
        Report(null, current);
    }

    public ManifestCatalog Current => Volatile.Read(ref current);

    public long Reloads => Interlocked.Read(ref reloads);

    public void Start()
    {
        try
        {
            watcher = new FileSystemWatcher(directory, "*.json") { NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size };
            watcher.Created += (_, _) => wake.Writer.TryWrite(true);
            watcher.Changed += (_, _) => wake.Writer.TryWrite(true);
            watcher.Deleted += (_, _) => wake.Writer.TryWrite(true);
            watcher.Renamed += (_, _) => wake.Writer.TryWrite(true);
            watcher.EnableRaisingEvents = true;
        }
        catch (Exception e) when (e is IOException or PlatformNotSupportedException or ArgumentException)
        {
            // e.g. the inotify watch limit is reached: the poll still notices every change, only later.
            watcher?.Dispose();
            watcher = null;
            log?.Invoke($"the manifests folder is not watched ({e.GetType().Name}); changes are noticed within {pollInterval.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s");
        }

        loop = Task.Run(() => RunAsync(stop.Token));
    }

    /// <summary>Waits (bounded) until the catalog on sale satisfies the condition; for hosts and tests.</summary>
    public async Task<ManifestCatalog> WaitForAsync(Func<ManifestCatalog, bool> condition, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (true)
        {
            Task signal;
            ManifestCatalog catalog;
            lock (gate)
            {
                catalog = current;
                signal = changed.Task;
            }

            if (condition(catalog))
            {
                return catalog;
            }

            try
            {
                await signal.WaitAsync(deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"the served catalog did not reach the expected state within {timeout}");
            }
        }
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            using (var poll = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                poll.CancelAfter(pollInterval);
                try
                {
                    await wake.Reader.WaitToReadAsync(poll.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    // the poll interval passed: look at the folder anyway
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }

            while (wake.Reader.TryRead(out _))
            {
            }

            ReloadIfChanged();
        }
    }

    private void ReloadIfChanged()
    {
        // The listing is taken before the files are read: a change during the read shows as a new
        // fingerprint next time round and is read again.
        var now = Fingerprint(directory);
        if (now == fingerprint)
        {
            return;
        }

        fingerprint = now;
        ManifestCatalog next;
        try
        {
            next = load();
        }
        catch (DsrsException e)
        {
            log?.Invoke($"{SellerErrorCodes.CatalogReloadFailed}: the manifests folder could not be re-read; still selling the previous {Current.Entries.Count} manifest(s): {e}");
            return;
        }

        var previous = Current;
        lock (gate)
        {
            Volatile.Write(ref current, next);
            Interlocked.Increment(ref reloads);
            changed.TrySetResult();
            changed = NewSignal();
        }

        Report(previous, next);
    }

    /// <summary>Logs what changed for buyers: new, removed and re-priced manifests, new problems, an empty shop.</summary>
    private void Report(ManifestCatalog? previous, ManifestCatalog next)
    {
        if (log is null)
        {
            return;
        }

        var before = previous?.Entries.ToDictionary(e => e.CompiledId, StringComparer.Ordinal) ?? [];
        var lines = new StringBuilder();
        foreach (var entry in next.Entries.OrderBy(e => e.CompiledId, StringComparer.Ordinal))
        {
            if (!before.Remove(entry.CompiledId, out var old))
            {
                if (previous is not null)
                {
                    lines.Append("\n  + ").Append(Describe(entry));
                }
            }
            else if (old.PriceMsat != entry.PriceMsat)
            {
                lines.Append(CultureInfo.InvariantCulture, $"\n  ~ {entry.CompiledId} {old.PriceMsat} -> {entry.PriceMsat} msat ({entry.PriceSource}): publish its listing again (dsrs publish), buyers refuse an invoice that differs from the listing");
            }
            else if (old.Text != entry.Text)
            {
                lines.Append("\n  ~ ").Append(entry.CompiledId).Append(" file rewritten");
            }
        }

        foreach (var removed in before.Values.OrderBy(e => e.CompiledId, StringComparer.Ordinal))
        {
            lines.Append("\n  - ").Append(removed.CompiledId).Append(' ').Append(removed.SignatureName).Append(": no longer sold");
        }

        if (previous is not null)
        {
            log($"catalog reloaded: selling {next.Entries.Count} manifest(s){lines}");
        }

        var known = previous?.Problems.ToHashSet(StringComparer.Ordinal) ?? [];
        foreach (var problem in next.Problems.Where(p => !known.Contains(p)))
        {
            log(problem);
        }

        if (next.Entries.Count == 0 && (previous is null || previous.Entries.Count > 0))
        {
            log($"warning {SellerErrorCodes.ServingNothing}: serving nothing: {next.Directory} holds no manifest with a valid compiled_id and a price ({next.Problems.Count} file(s) not sold)");
        }
    }

    private static string Describe(CatalogEntry entry) =>
        string.Create(CultureInfo.InvariantCulture, $"{entry.CompiledId} {entry.SignatureName} {entry.PriceMsat} msat ({entry.PriceSource})");

    private static string Fingerprint(string directory)
    {
        try
        {
            var builder = new StringBuilder();
            foreach (var file in new DirectoryInfo(directory).EnumerateFiles("*.json").OrderBy(f => f.Name, StringComparer.Ordinal))
            {
                builder.Append(file.Name).Append('\0').Append(file.Length).Append('\0').Append(file.LastWriteTimeUtc.Ticks).Append('\n');
            }

            return builder.ToString();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "unreadable: " + e.GetType().Name;
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async ValueTask DisposeAsync()
    {
        watcher?.Dispose();
        await stop.CancelAsync().ConfigureAwait(false);
        await loop.ConfigureAwait(false);
        stop.Dispose();
    }
}
