using ManifestBuild.Tasks.Resolution;
using ManifestBuild.Tasks.Tests.Support;
using ManifestBuild.TestSupport;

namespace ManifestBuild.Tasks.Tests.EndToEnd;

/// <summary>Real `dotnet build` of a project consuming the packed package, with a local manifest file (no market).</summary>
[Collection(EndToEndCollection.Name)]
public sealed class LocalManifestBuildTests(PackedPackages packages) : IDisposable
{
    private const string Reply = "[[ ## complexity ## ]]\nsimple\n\n[[ ## completed ## ]]";
    private readonly TempDirectory work = new("dsrs-e2e-local");

    public void Dispose() => work.Dispose();

    [Fact]
    public async Task BuildsRunsStaysIncrementalAndRefusesANewItemInLockedMode()
    {
        var (json, id) = TestManifests.Complexity();
        var env = new Dictionary<string, string?> { ["DSRS_HOME"] = work.Combine("home") };
        var app = new ConsumerProject(packages, work.Combine("app"))
            .WithFile("manifests/complexity.json", json)
            .WithFile("Program.cs", ConsumerProject.ScriptedClientProgram("ComplexityClassification", "new ComplexityClassification.Input(\"rename a variable\")", Reply))
            .WithProject("""<DsrsManifest Include="ComplexityClassification" Path="manifests/complexity.json" />""");

        // 1. First build: the generated class compiles, the program calls it, the lockfile pins it.
        var first = (await app.BuildAsync(env)).EnsureSuccess("first build");
        Assert.Contains("dsrs: ComplexityClassification <- local complexity.json " + id[..12], first.Output);
        Assert.Equal(id, LockFileStore.Read(app.LockFile).Get("ComplexityClassification")?.CompiledId);
        var run = (await app.RunAsync(env)).EnsureSuccess("run");
        Assert.Contains("id=" + id, run.Output);
        Assert.Contains("simple", run.Output, StringComparison.OrdinalIgnoreCase);

        // 2. Nothing changed: the resolution target is skipped (no line), the lockfile is untouched.
        var lockText = File.ReadAllText(app.LockFile);
        var lockTime = File.GetLastWriteTimeUtc(app.LockFile);
        var second = (await app.BuildAsync(env)).EnsureSuccess("second build");
        Assert.DoesNotContain("dsrs: ComplexityClassification", second.Output);
        Assert.Equal(lockText, File.ReadAllText(app.LockFile));
        Assert.Equal(lockTime, File.GetLastWriteTimeUtc(app.LockFile));

        // 3. CI (ContinuousIntegrationBuild => locked mode) with an item the lockfile does not know.
        app.WithProject("""
                <DsrsManifest Include="ComplexityClassification" Path="manifests/complexity.json" />
                <DsrsManifest Include="Extra" Path="manifests/complexity.json" />
            """);
        var locked = await app.BuildAsync(env, "-p:ContinuousIntegrationBuild=true");
        Assert.NotEqual(0, locked.ExitCode);
        Assert.Matches(@"Consumer\.csproj\(\d+,\d+\): error DSRS0030: DsrsManifest 'Extra'", locked.Output);
        Assert.Equal(lockText, File.ReadAllText(app.LockFile));
    }
}
