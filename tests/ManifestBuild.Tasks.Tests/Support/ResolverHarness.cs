using ManifestBuild.Tasks.Resolution;
using ManifestBuild.TestSupport;

namespace ManifestBuild.Tasks.Tests.Support;

/// <summary>A project folder, a DSRS_HOME and an obj/dsrs folder for in-process resolver runs.</summary>
public sealed class ResolverHarness : IDisposable
{
    private readonly TempDirectory root = new("dsrs-tasks");

    public string Project => root.Combine("project");

    public string Home => root.Combine("home");

    public string Obj => root.Combine("project", "obj", "dsrs");

    public string LockFile => root.Combine("project", "dsrs.lock.json");

    public RecordingLog Log { get; } = new();

    public int MarketOpened { get; private set; }

    /// <summary>The resolver of the last <see cref="RunAsync(ResolveSettings, IManifestMarket?, DeclaredManifest[])"/> (its one budget).</summary>
    public ManifestResolver? Resolver { get; private set; }

    public ResolveSettings Settings(bool locked = false, bool designTime = false, long budget = 0, string relays = "ws://127.0.0.1:1") => new()
    {
        Relays = ResolveSettings.ParseRelays(relays),
        BudgetMsat = budget,
        MaxFeeMsat = 1000,
        LockFilePath = LockFile,
        PruneLockFile = true,
        LockedMode = locked,
        DesignTime = designTime,
        IntermediateDirectory = Obj,
        Home = Home,
    };

    public string WriteProjectFile(string relative, string content)
    {
        var path = Path.Combine(Project, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    public string WriteCache(string id, string content)
    {
        var path = Path.Combine(Home, "cache", id + ".json");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    public DeclaredManifest Declare(string name, params (string Key, string Value)[] metadata)
    {
        var map = metadata.ToDictionary(m => m.Key, m => m.Value);
        return DeclaredManifest.Parse(name, key => map.TryGetValue(key, out var v) ? v : string.Empty, Project, ItemLocation.None);
    }

    public Task<ResolveOutcome> RunAsync(ResolveSettings settings, IManifestMarket? market, params DeclaredManifest[] items) =>
        RunAsync(settings, market, CancellationToken.None, items);

    public Task<ResolveOutcome> RunAsync(ResolveSettings settings, IManifestMarket? market, CancellationToken cancellationToken, params DeclaredManifest[] items)
    {
        if (market is ScriptedMarket scripted)
        {
            scripted.Cache ??= new Format.Caching.ManifestCache(Home);
        }

        var resolver = Resolver = new ManifestResolver(settings, Log, _ =>
        {
            MarketOpened++;
            return market ?? throw new InvalidOperationException("this build must not open the market");
        });
        return resolver.ResolveAsync(items, cancellationToken);
    }

    public void Dispose() => root.Dispose();
}
