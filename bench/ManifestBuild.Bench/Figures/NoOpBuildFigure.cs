using System.Diagnostics;
using System.Globalization;

namespace ManifestBuild.Bench.Figures;

/// <summary>
/// Figure 2: a warm `dotnet build` with nothing changed, of a project declaring 20 manifests through
/// the packed ManifestBuild package, against the same project without ManifestBuild; alternating runs,
/// compared by their fastest runs (medians shown too), and the time MSBuild reports for our targets.
/// </summary>
public sealed class NoOpBuildFigure : IFigure
{
    private const int Manifests = 20;

    public string Name => "noop-build";

    public string Title => "no-op build overhead with 20 manifests";

    public async Task<IReadOnlyList<Row>> RunAsync(BenchOptions options, CancellationToken cancellationToken)
    {
        var version = "0.1.0-bench." + DateTime.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);
        var feed = Environment.GetEnvironmentVariable("DSRS_BENCH_FEED") is { Length: > 0 } given ? given : await PackAsync(options, version, cancellationToken);
        if (Environment.GetEnvironmentVariable("DSRS_BENCH_FEED") is { Length: > 0 })
        {
            version = Environment.GetEnvironmentVariable("DSRS_BENCH_VERSION") ?? throw new InvalidOperationException("DSRS_BENCH_FEED needs DSRS_BENCH_VERSION");
        }

        var with = WriteProject(Path.Combine(options.WorkDirectory, "with"), feed, version, withManifestBuild: true);
        var without = WriteProject(Path.Combine(options.WorkDirectory, "without"), feed, version, withManifestBuild: false);
        var home = Path.Combine(options.WorkDirectory, "home");

        // First builds restore, resolve the local manifests, generate and compile; not measured.
        await BuildAsync(with, home, restore: true, cancellationToken);
        await BuildAsync(without, home, restore: true, cancellationToken);

        // Alternating in ABBA order, so that a machine slowing down or speeding up during the run
        // weighs on both sides alike. Whole builds on a shared machine vary by a quarter from run to
        // run, and interference only ever adds time, so the fastest run of each is the figure; the
        // medians are shown too.
        var rounds = options.Size(12, 2);
        var withTimes = new List<double>();
        var withoutTimes = new List<double>();
        for (var round = 0; round < rounds; round++)
        {
            if (round % 2 == 0)
            {
                withTimes.Add(await BuildAsync(with, home, restore: false, cancellationToken));
                withoutTimes.Add(await BuildAsync(without, home, restore: false, cancellationToken));
            }
            else
            {
                withoutTimes.Add(await BuildAsync(without, home, restore: false, cancellationToken));
                withTimes.Add(await BuildAsync(with, home, restore: false, cancellationToken));
            }
        }

        var targets = await OwnTargetsAsync(with, home, cancellationToken);
        return
        [
            new Row(Name, $"warm no-op build, {Manifests} manifests (fastest of {rounds})", withTimes.Min(), "ms", "same project without ManifestBuild", withoutTimes.Min(), "< 1.05x"),
            new Row(Name, $"the same, median of {rounds}", Median(withTimes), "ms", "same project without ManifestBuild", Median(withoutTimes)),
            new Row(Name, "of which ManifestBuild's targets (MSBuild performance summary)", targets, "ms"),
        ];
    }

    /// <summary>The time MSBuild itself reports for ManifestBuild's targets in one more no-op build: the overhead without the noise of whole builds.</summary>
    private static async Task<double> OwnTargetsAsync(string project, string home, CancellationToken cancellationToken)
    {
        var environment = new Dictionary<string, string> { ["DSRS_HOME"] = home, ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1", ["DOTNET_NOLOGO"] = "1", ["DSRS_ARTIFACTS"] = "" };
        var (code, stdout, stderr) = await Peers.RunAsync("dotnet", ["build", "--no-restore", "-nodeReuse:false", "-v:q", "-clp:PerformanceSummary"], project, cancellationToken, environment);
        if (code != 0)
        {
            throw new InvalidOperationException($"dotnet build of {project} failed: {stdout}{stderr}");
        }

        // Lines such as "       11 ms  _DsrsWriteInputsKey   1 calls" in the target summary (inclusive times, so only ours).
        var total = 0.0;
        var inTargets = false;
        foreach (var line in stdout.Split('\n'))
        {
            if (line.Contains("Target Performance Summary", StringComparison.Ordinal))
            {
                inTargets = true;
            }
            else if (line.Contains("Task Performance Summary", StringComparison.Ordinal))
            {
                inTargets = false;
            }
            else if (inTargets && line.Split(' ', StringSplitOptions.RemoveEmptyEntries) is [var ms, "ms", var target, ..] && target.Contains("Dsrs", StringComparison.Ordinal))
            {
                total += double.Parse(ms, CultureInfo.InvariantCulture);
            }
        }

        return total;
    }

    private static async Task<string> PackAsync(BenchOptions options, string version, CancellationToken cancellationToken)
    {
        var feed = Path.Combine(options.WorkDirectory, "feed");
        var environment = new Dictionary<string, string> { ["DSRS_ARTIFACTS"] = Path.Combine(options.WorkDirectory, "artifacts") };
        foreach (var project in new[] { "src/ManifestBuild.Runtime/ManifestBuild.Runtime.csproj", "src/ManifestBuild.Tasks/ManifestBuild.Tasks.csproj" })
        {
            var (code, stdout, stderr) = await Peers.RunAsync("dotnet", ["pack", project, "-c", "Release", "-nodeReuse:false", "-v:q", $"-p:PackageVersion={version}", "-o", feed], Peers.RepoRoot, cancellationToken, environment);
            if (code != 0)
            {
                throw new InvalidOperationException($"dotnet pack {project} failed: {stdout}{stderr}");
            }
        }

        return feed;
    }

    private static string WriteProject(string directory, string feed, string version, bool withManifestBuild)
    {
        Directory.CreateDirectory(Path.Combine(directory, "manifests"));
        File.WriteAllText(Path.Combine(directory, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="manifestbuild-bench" value="{feed}" />
              </packageSources>
            </configuration>
            """);
        var items = new List<string>();
        for (var i = 0; i < Manifests; i++)
        {
            File.WriteAllText(Path.Combine(directory, "manifests", $"M{i}.json"), SampleManifests.Create(i));
            items.Add($"""    <DsrsManifest Include="Manifest{i}" Path="manifests/M{i}.json" />""");
        }

        File.WriteAllText(Path.Combine(directory, "Agent.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <RootNamespace>Agent</RootNamespace>
                <Nullable>enable</Nullable>
              </PropertyGroup>
            {(withManifestBuild ? $"""
              <ItemGroup>
                <PackageReference Include="ManifestBuild" Version="{version}" />
              </ItemGroup>
              <ItemGroup>
            {string.Join("\n", items)}
              </ItemGroup>
            """ : "")}
            </Project>
            """);
        File.WriteAllText(Path.Combine(directory, "Program.cs"), withManifestBuild
            ? "System.Console.WriteLine(Agent.Manifests.Manifest0.CompiledId);\n"
            : "System.Console.WriteLine(\"no manifests\");\n");
        return directory;
    }

    /// <summary>One `dotnet build`; returns its wall time in ms, throws when it fails.</summary>
    private static async Task<double> BuildAsync(string project, string home, bool restore, CancellationToken cancellationToken)
    {
        var environment = new Dictionary<string, string> { ["DSRS_HOME"] = home, ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1", ["DOTNET_NOLOGO"] = "1", ["DSRS_ARTIFACTS"] = "" };
        string[] args = restore ? ["build", "-nodeReuse:false", "-v:q"] : ["build", "--no-restore", "-nodeReuse:false", "-v:q"];
        var clock = Stopwatch.StartNew();
        var (code, stdout, stderr) = await Peers.RunAsync("dotnet", args, project, cancellationToken, environment);
        if (code != 0)
        {
            throw new InvalidOperationException($"dotnet build of {project} failed: {stdout}{stderr}");
        }

        return clock.Elapsed.TotalMilliseconds;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
