using System.Collections;
using ManifestBuild.Format;
using ManifestBuild.Format.Caching;
using ManifestBuild.Lightning.Payments;
using ManifestBuild.Tasks.Resolution;
using Microsoft.Build.Framework;
using ManifestBuild.Format.Locking;

namespace ManifestBuild.Tasks.Tests.Support;

public sealed class RecordingLog : IResolveLog
{
    public List<string> Summaries { get; } = [];

    public List<string> Details { get; } = [];

    public List<string> Warnings { get; } = [];

    public List<string> Payments { get; } = [];

    public List<string> Totals { get; } = [];

    public void Summary(DeclaredManifest item, string line, bool important) => Summaries.Add(line);

    public void Payment(DeclaredManifest item, string line)
    {
        Payments.Add(line);
        Summaries.Add(line);
    }

    public void Total(string line, bool paid) => Totals.Add(line);

    public void Detail(string text) => Details.Add(text);

    public void Warning(DeclaredManifest? item, string code, string message) => Warnings.Add(code + ": " + message);
}

/// <summary>
/// A market that serves what the test gives it and counts calls; "unreachable" throws if touched at all.
/// Like the real one it verifies and caches what it delivers (the build only reads the cache).
/// </summary>
public sealed class ScriptedMarket : IManifestMarket
{
    /// <summary>Gets the budget the build gives the item: a script that pays reserves from it as the payment guard does.</summary>
    public Func<DeclaredManifest, BuildBudget, MarketAcquisition>? Acquire { get; init; }

    /// <summary>The selected listing's price per item (0, the default: acquiring it pays nothing, as for a free listing).</summary>
    public Func<DeclaredManifest, long>? Price { get; init; }

    public Func<LockEntry, string?>? Restore { get; init; }

    /// <summary>What was left in the budget each acquisition got, in the order the acquisitions ran.</summary>
    public List<long> BudgetsSeen { get; } = [];

    public int RestoreCalls { get; private set; }

    public List<BuildBudget> BudgetObjects { get; } = [];

    /// <summary>Where delivered content is cached (the harness sets the build's home).</summary>
    public ManifestCache? Cache { get; set; }

    public Task<MarketChoice> ChooseAsync(DeclaredManifest item, CancellationToken cancellationToken)
    {
        var price = Price?.Invoke(item) ?? 0;
        return Task.FromResult(new MarketChoice(item, "scripted-" + item.Name, price, price > 0, "scripted"));
    }

    public Task<MarketAcquisition> AcquireAsync(MarketChoice choice, BuildBudget budget, CancellationToken cancellationToken)
    {
        lock (BudgetsSeen)
        {
            BudgetsSeen.Add(budget.RemainingMsat);
            BudgetObjects.Add(budget);
        }

        var acquired = (Acquire ?? throw new InvalidOperationException("acquire was not expected"))(choice.Item, budget);
        Cache?.Put(acquired.Manifest);
        return Task.FromResult(acquired);
    }

    public Task<RestoreOutcome> RestoreAsync(LockEntry locked, CancellationToken cancellationToken)
    {
        RestoreCalls++;
        var json = (Restore ?? throw new InvalidOperationException("restore was not expected"))(locked);
        var verified = json is null ? null : ManifestVerifier.Verify(json);
        if (verified is not null)
        {
            Cache?.Put(verified);
        }

        return Task.FromResult(new RestoreOutcome(verified, verified is null ? "nothing to restore from" : null));
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

/// <summary>Collects what a task logs, as MSBuild would.</summary>
public sealed class RecordingBuildEngine : IBuildEngine
{
    public List<BuildErrorEventArgs> Errors { get; } = [];

    public List<BuildWarningEventArgs> Warnings { get; } = [];

    public List<BuildMessageEventArgs> Messages { get; } = [];

    public bool ContinueOnError => false;

    public int LineNumberOfTaskNode => 0;

    public int ColumnNumberOfTaskNode => 0;

    public string ProjectFileOfTaskNode => string.Empty;

    public bool BuildProjectFile(string projectFileName, string[] targetNames, IDictionary globalProperties, IDictionary targetOutputs) => throw new NotSupportedException();

    public void LogCustomEvent(CustomBuildEventArgs e)
    {
    }

    public void LogErrorEvent(BuildErrorEventArgs e) => Errors.Add(e);

    public void LogMessageEvent(BuildMessageEventArgs e) => Messages.Add(e);

    public void LogWarningEvent(BuildWarningEventArgs e) => Warnings.Add(e);
}
