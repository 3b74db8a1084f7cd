using ManifestBuild.Tasks.Resolution;
using ManifestBuild.TestSupport;

namespace ManifestBuild.Tasks.Tests.Support;

/// <summary>
/// Packs ManifestBuild.Runtime and ManifestBuild (tasks + targets + generator) once per test run into a
/// private folder feed, with a unique pre-release version so that NuGet's global packages folder never
/// serves a copy from an earlier run. The version goes into PackageVersion only (not the assembly
/// version), so the Release build in its own DSRS_ARTIFACTS folder stays incremental between runs.
/// The installed copies of this version are removed from the global packages folder on dispose.
/// </summary>
public sealed class PackedPackages : IAsyncLifetime
{
    private readonly TempDirectory root = new("dsrs-e2e");

    // DSRS_E2E_FEED + DSRS_E2E_VERSION: a feed packed beforehand from this same tree (`dotnet pack` of
    // Runtime and Tasks with -p:PackageVersion), for iterating on the tests while the machine-wide pack
    // lock is busy; never set by CI.
    private static readonly string? PrePackedFeed = Environment.GetEnvironmentVariable("DSRS_E2E_FEED");

    public string Version { get; } = PrePackedFeed is null
        ? "0.1.0-e2e." + DateTime.UtcNow.ToString("yyyyMMddHHmmss") + "." + Guid.NewGuid().ToString("N")[..6]
        : Environment.GetEnvironmentVariable("DSRS_E2E_VERSION") ?? throw new InvalidOperationException("DSRS_E2E_FEED needs DSRS_E2E_VERSION");

    public string Feed => PrePackedFeed ?? root.Combine("feed");

    public string Root => root.Path;

    public async Task InitializeAsync()
    {
        if (PrePackedFeed is not null)
        {
            return;
        }

        Directory.CreateDirectory(Feed);
        var artifacts = Path.Combine(Path.GetTempPath(), "dsrs-e2e-pack");
        var environment = new Dictionary<string, string?> { ["DSRS_ARTIFACTS"] = artifacts };

        // Two test runs on one machine share the Release build folder: one packs at a time.
        using var gate = await CrossProcessLock.AcquireAsync(Path.GetTempPath(), "dsrs-e2e-pack", TimeSpan.FromMinutes(20), CancellationToken.None);
        foreach (var project in new[] { "src/ManifestBuild.Runtime/ManifestBuild.Runtime.csproj", "src/ManifestBuild.Tasks/ManifestBuild.Tasks.csproj" })
        {
            (await DotnetProcess.RunAsync(RepoPaths.Root, ["pack", project, "-c", "Release", "-nodeReuse:false", "-p:PackageVersion=" + Version, "-o", Feed], environment, TimeSpan.FromMinutes(15)))
                .EnsureSuccess("dotnet pack " + project);
        }
    }

    public Task DisposeAsync()
    {
        var global = Environment.GetEnvironmentVariable("NUGET_PACKAGES") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        foreach (var id in new[] { "manifestbuild", "manifestbuild.runtime" })
        {
            var installed = Path.Combine(global, id, Version);
            if (Directory.Exists(installed))
            {
                Directory.Delete(installed, recursive: true);
            }
        }

        root.Dispose();
        return Task.CompletedTask;
    }
}
