using System.Text.RegularExpressions;
using ManifestBuild.Tasks.Maintenance;
using ManifestBuild.Tasks.Resolution;
using ManifestBuild.Tasks.Tests.Support;
using ManifestBuild.TestSupport;

namespace ManifestBuild.Tasks.Tests.EndToEnd;

/// <summary>
/// A multi-targeted consumer (net8.0 and net10.0) of the packed package buying one paid manifest with a
/// real `dotnet build`: the project resolves once (one search at the relay, one payment, one lockfile
/// write), and both frameworks compile the same generated classes from the same hand-over.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class MultiTargetBuildTests(PackedPackages packages) : IDisposable
{
    private const long Price = 50_000;
    private readonly TempDirectory work = new("dsrs-e2e-multitarget");

    public void Dispose() => work.Dispose();

    [Fact]
    public async Task TwoFrameworksSearchOncePayOnceWriteTheLockOnceAndCompileTheSameClasses()
    {
        var (paid, paidId) = TestManifests.Complexity();
        await using var world = await MarketWorld.StartAsync(work.Combine("world"));
        await world.SellAsync((paid, paidId, Price));
        var home = work.Combine("home");
        var env = new Dictionary<string, string?> { ["DSRS_HOME"] = home, ["DSRS_NODE"] = world.BuyerNode };
        var app = new ConsumerProject(packages, work.Combine("app")) { Frameworks = "net8.0;net10.0" }
            .WithFile("Program.cs", "Console.WriteLine(\"id=\" + Consumer.Manifests.ComplexityClassification.CompiledId);\n")
            .WithProject(
                """    <DsrsManifest Include="ComplexityClassification" Family="complexity" Domains="rust" MaxPriceMsat="100000" />""",
                $"<DsrsRelays>{world.RelayUrl}</DsrsRelays><DsrsBudgetMsat>200000</DsrsBudgetMsat><EmitCompilerGeneratedFiles>true</EmitCompilerGeneratedFiles>");
        var detailed = work.Combine("build.log");

        // Both inner builds in parallel (-m), where two resolutions would race for the lockfile.
        var build = (await app.BuildAsync(env, "-m", "-fl", "-flp:verbosity=detailed;NoSummary;logfile=" + detailed)).EnsureSuccess("two-framework build");
        var searches = world.Relay.SubscriptionsOpened;

        Assert.Equal(1, world.Payments);
        Assert.Contains($"DSRS0055: dsrs: ComplexityClassification <- seller {world.Seller.PublicKeyHex[..12]} {paidId[..12]} paid {Price} msat", build.Output);
        var log = File.ReadAllText(detailed);
        Assert.Single(Regex.Matches(log, @"dsrs: wrote \S*dsrs\.lock\.json"));
        Assert.StartsWith("dsrs: 1 manifest, 1 bought for 50000 msat", Assert.Single(Regex.Matches(log, @"dsrs: \d+ manifests?,[^\r\n]*")).Value);
        Assert.Equal(paidId, LockFileStore.Read(app.LockFile).Get("ComplexityClassification")?.CompiledId);

        // One search: the build opened exactly as many subscriptions as one `dsrs outdated` search of the item.
        var declarations = ProjectDeclarations.Read(app.ProjectFile);
        await OutdatedCheck.RunAsync(declarations, declarations.Settings(work.Combine("probe-home"), _ => null, locked: true, budgetMsat: 0), CancellationToken.None);
        Assert.True(searches > 0, "the build never searched the relay");
        Assert.Equal(world.Relay.SubscriptionsOpened - searches, searches);

        // The same generated classes in both frameworks, from the same hand-over; both programs print the id.
        var net8 = GeneratedSources(app, "net8.0");
        var net10 = GeneratedSources(app, "net10.0");
        Assert.NotEmpty(net8);
        Assert.Equal(net8, net10);
        Assert.Contains(net8.Values, source => source.Contains(paidId, StringComparison.Ordinal));
        var rollForward = new Dictionary<string, string?>(env) { ["DOTNET_ROLL_FORWARD"] = "Major" };
        Assert.Contains("id=" + paidId, (await app.RunAsync(rollForward, "net8.0")).EnsureSuccess("run net8.0").Output);
        Assert.Contains("id=" + paidId, (await app.RunAsync(env, "net10.0")).EnsureSuccess("run net10.0").Output);

        // The next build is satisfied by the lock: no search, no payment.
        var again = (await app.BuildAsync(env, "-m")).EnsureSuccess("second two-framework build");
        Assert.DoesNotContain("DSRS0055", again.Output);
        Assert.Equal(1, world.Payments);
        Assert.Equal(2 * searches, world.Relay.SubscriptionsOpened);
    }

    private static SortedDictionary<string, string> GeneratedSources(ConsumerProject app, string framework)
    {
        var folder = Path.Combine(app.Obj, "Debug", framework, "generated");
        var files = Directory.Exists(folder) ? Directory.GetFiles(folder, "*.cs", SearchOption.AllDirectories) : [];
        return new SortedDictionary<string, string>(
            files.ToDictionary(f => Path.GetRelativePath(folder, f), File.ReadAllText),
            StringComparer.Ordinal);
    }
}
