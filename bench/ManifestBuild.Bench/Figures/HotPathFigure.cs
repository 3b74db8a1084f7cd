using System.Reflection;
using System.Text.Json;

namespace ManifestBuild.Bench.Figures;

/// <summary>
/// The agent's hot path: one prediction's own work per call (prompt, reply parse, typed conversion; the
/// chat client answers at once), for generated classes and for DynamicSignature, measured by
/// BenchmarkDotNet in bench/ManifestBuild.Bench.HotPath. That program is built and run here (dotnet run,
/// this harness's configuration): it holds classes the real generator produced in its own build.
/// </summary>
public sealed class HotPathFigure : IFigure
{
    private const double TargetMicroseconds = 20;
    private const double TargetKilobytes = 8;

    public string Name => "hotpath";

    public string Title => "the agent's hot path: one prediction's own work (BenchmarkDotNet)";

    public async Task<IReadOnlyList<Row>> RunAsync(BenchOptions options, CancellationToken cancellationToken)
    {
        var project = Path.Combine(Peers.RepoRoot, "bench", "ManifestBuild.Bench.HotPath");
        var configuration = typeof(HotPathFigure).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";
        string[] args = ["run", "-c", configuration, "--project", project, "--", "--artifacts", Path.Combine(options.WorkDirectory, "hotpath"), .. options.Quick ? new[] { "--quick" } : []];
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        var (code, stdout, stderr) = await Peers.RunAsync(dotnet, args, Peers.RepoRoot, cancellationToken);
        var lines = stdout.Split('\n');
        var marker = lines.FirstOrDefault(l => l.StartsWith("@@hotpath ", StringComparison.Ordinal));
        if (code != 0 || marker is null)
        {
            throw new InvalidOperationException($"the hot-path benchmarks exited with {code}: {stderr.Trim()} {string.Join('\n', lines.TakeLast(30))}");
        }

        // BenchmarkDotNet's own table, for the log.
        foreach (var line in lines.Where(l => l.StartsWith('|')))
        {
            Console.WriteLine(line.TrimEnd());
        }

        var results = JsonSerializer.Deserialize<Result[]>(marker["@@hotpath ".Length..])!;
        var rows = new List<Row>();
        foreach (var manifest in new[] { ("Sample", "sample manifest"), ("Typed", "every-type manifest") })
        {
            var generated = results.Single(r => r.Method == manifest.Item1 + "Generated");
            var dynamic = results.Single(r => r.Method == manifest.Item1 + "Dynamic");
            rows.Add(new Row(Name, $"{manifest.Item2}, generated class: time per call", generated.MeanNanoseconds / 1000, "us", Target: $"< {TargetMicroseconds} us"));
            rows.Add(new Row(Name, $"{manifest.Item2}, DynamicSignature: time per call", dynamic.MeanNanoseconds / 1000, "us", "generated class", generated.MeanNanoseconds / 1000, $"< {TargetMicroseconds} us"));
            rows.Add(new Row(Name, $"{manifest.Item2}, generated class: CPU time per call", generated.CpuNanoseconds / 1000, "us"));
            rows.Add(new Row(Name, $"{manifest.Item2}, DynamicSignature: CPU time per call", dynamic.CpuNanoseconds / 1000, "us", "generated class", generated.CpuNanoseconds / 1000));
            rows.Add(new Row(Name, $"{manifest.Item2}, generated class: allocated per call", generated.AllocatedBytes / 1024.0, "KB", Target: $"< {TargetKilobytes} KB"));
            rows.Add(new Row(Name, $"{manifest.Item2}, DynamicSignature: allocated per call", dynamic.AllocatedBytes / 1024.0, "KB", "generated class", generated.AllocatedBytes / 1024.0, $"< {TargetKilobytes} KB"));
        }

        // Where the every-type call's work goes: the prompt alone and the parse alone, against the whole call.
        var whole = results.Single(r => r.Method == "TypedGenerated");
        foreach (var (method, what) in new[] { ("TypedPromptOnly", "prompt only"), ("TypedParseOnly", "reply parse and conversion only") })
        {
            var part = results.Single(r => r.Method == method);
            rows.Add(new Row(Name, $"  every-type manifest, {what}: CPU time", part.CpuNanoseconds / 1000, "us", "whole call", whole.CpuNanoseconds / 1000));
            rows.Add(new Row(Name, $"  every-type manifest, {what}: allocated", part.AllocatedBytes / 1024.0, "KB", "whole call", whole.AllocatedBytes / 1024.0));
        }

        return rows;
    }

    private sealed record Result(string Method, string Description, double MeanNanoseconds, double CpuNanoseconds, long AllocatedBytes);
}
