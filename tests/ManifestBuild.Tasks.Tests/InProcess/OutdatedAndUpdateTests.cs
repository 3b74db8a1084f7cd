using ManifestBuild.Format.Json;
using ManifestBuild.Tasks.Maintenance;
using ManifestBuild.Tasks.Resolution;
using ManifestBuild.Tasks.Tests.Support;
using ManifestBuild.TestSupport;

namespace ManifestBuild.Tasks.Tests.InProcess;

/// <summary>
/// `dsrs outdated` and `dsrs update` on their Tasks side, against the real relay, L402 seller and dev
/// nodes: a seller publishes v2 of a locked manifest; the build keeps the lock, outdated lists v2,
/// update moves the lock paying once, and the next resolution is a no-op.
/// </summary>
public sealed class OutdatedAndUpdateTests : IAsyncLifetime
{
    private readonly TempDirectory work = new("dsrs-outdated");
    private readonly ResolverHarness h = new();
    private MarketWorld world = null!;

    public async Task InitializeAsync() => world = await MarketWorld.StartAsync(work.Combine("world"));

    public async Task DisposeAsync()
    {
        await world.DisposeAsync();
        h.Dispose();
        work.Dispose();
    }

    [Fact]
    public async Task ANewVersionIsListedByOutdatedMovedByUpdateForOnePaymentAndThenLeftAlone()
    {
        var (v1, v1Id) = TestManifests.Complexity();
        var (v2, v2Id) = WithAccuracy(TestManifests.Complexity("Classify the task's complexity, v2."), 0.97);
        await world.SellAsync(async Task<Uri?> (id, url) => { await Task.CompletedTask; return id == v2Id ? null : url; }, (v1, v1Id, 30_000), (v2, v2Id, 40_000));
        var project = h.WriteProjectFile("App.csproj", $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <DsrsRelays>{world.RelayUrl}</DsrsRelays>
                <DsrsBudgetMsat>100000</DsrsBudgetMsat>
              </PropertyGroup>
              <ItemGroup>
                <DsrsManifest Include="Classifier" Family="complexity" Domains="rust">
                  <MaxPriceMsat>50000</MaxPriceMsat>
                </DsrsManifest>
              </ItemGroup>
            </Project>
            """);
        var declarations = ProjectDeclarations.Read(project);
        ResolveSettings Settings(bool locked = false) => declarations.Settings(h.Home, name => name == "DSRS_NODE" ? world.BuyerNode : null, locked, null) with { IntermediateDirectory = h.Obj };

        Assert.Empty((await new ManifestResolver(Settings(), h.Log).ResolveAsync(declarations.Items, CancellationToken.None)).Failures);
        Assert.Equal(v1Id, LockFileStore.Read(h.LockFile).Get("Classifier")?.CompiledId);
        Assert.Equal(1, world.Payments);

        // The seller publishes v2: the build keeps its satisfied lock and stays offline.
        world.List(v2, 40_000);
        var build = new ManifestResolver(Settings(), h.Log);
        Assert.Empty((await build.ResolveAsync(declarations.Items, CancellationToken.None)).Failures);
        Assert.False(build.MarketWasOpened);
        Assert.Equal(v1Id, LockFileStore.Read(h.LockFile).Get("Classifier")?.CompiledId);
        Assert.DoesNotContain(h.Log.Summaries, line => line.Contains("a better version", StringComparison.Ordinal));

        // DsrsCheckOutdated: the build searches and says that v2 is better, and still keeps (and pays for) nothing new.
        var checking = new ManifestResolver(Settings() with { CheckOutdated = true }, h.Log);
        Assert.Empty((await checking.ResolveAsync(declarations.Items, CancellationToken.None)).Failures);
        Assert.True(checking.MarketWasOpened);
        var notice = Assert.Single(h.Log.Summaries, line => line.Contains("a better version", StringComparison.Ordinal));
        Assert.StartsWith($"dsrs: Classifier: a better version is listed: {v2Id[..12]} (", notice);
        Assert.Contains($"40000 msat) over the locked {v1Id[..12]}; the lock stays, `dsrs update Classifier` moves it", notice);
        Assert.Equal(v1Id, LockFileStore.Read(h.LockFile).Get("Classifier")?.CompiledId);
        Assert.Equal(1, world.Payments);

        var outdated = Assert.Single(await OutdatedCheck.RunAsync(declarations, Settings(locked: true), CancellationToken.None));
        Assert.Equal((v1Id, v2Id, 40_000L), (outdated.LockedId, outdated.BestId, outdated.BestPriceMsat));
        Assert.Contains(outdated.Status, new[] { "newer", "ranks-higher" });
        Assert.Contains("accuracy", outdated.Why);

        var update = new ManifestResolver(Settings() with { ResolveAgain = new HashSet<string> { "Classifier" } }, h.Log);
        Assert.Empty((await update.ResolveAsync(declarations.Items, CancellationToken.None)).Failures);
        Assert.Equal(v2Id, LockFileStore.Read(h.LockFile).Get("Classifier")?.CompiledId);
        Assert.Equal(2, world.Payments);

        // The next build is a no-op, and updating again costs nothing (already paid, cached).
        var next = new ManifestResolver(Settings(), h.Log);
        Assert.Empty((await next.ResolveAsync(declarations.Items, CancellationToken.None)).Failures);
        Assert.False(next.MarketWasOpened);
        var again = new ManifestResolver(Settings() with { ResolveAgain = new HashSet<string> { "Classifier" } }, h.Log);
        Assert.Empty((await again.ResolveAsync(declarations.Items, CancellationToken.None)).Failures);
        Assert.Equal(0, again.Budget.SpentMsat);
        Assert.Equal(2, world.Payments);
        Assert.Equal("up-to-date", Assert.Single(await OutdatedCheck.RunAsync(declarations, Settings(locked: true), CancellationToken.None)).Status);
    }

    [Fact]
    public void ItemsThatNeedMsBuildToEvaluateAreRefusedNotMisread()
    {
        var project = h.WriteProjectFile("App.csproj", "<Project><ItemGroup><DsrsManifest Include=\"$(Name)\" Family=\"x\" /></ItemGroup></Project>");

        Assert.Equal(CliLockErrorCodes.ProjectNotReadableWithoutMsBuild, Assert.Throws<Format.DsrsException>(() => ProjectDeclarations.Read(project)).Code);
    }

    private static (string Json, string Id) WithAccuracy((string Json, string Id) manifest, double accuracy)
    {
        var json = JsonParser.ParseObject(manifest.Json);
        json.Remove("compiled_id");
        json.Remove("scorecard");
        json.Add("scorecard", new JsonObject().Add("median_score", accuracy).Add("rollouts", 64L).Add("accuracy", accuracy));
        var id = Format.CompiledId.Compute(json);
        json.Add("compiled_id", id);
        return (JsonWriter.WriteFile(json), id);
    }
}
