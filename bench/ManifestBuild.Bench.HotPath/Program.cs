using System.Globalization;
using System.Text.Json;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using ManifestBuild.Bench.HotPath;
using Perfolizer.Horology;

// Usage: dotnet run -c Release --project bench/ManifestBuild.Bench.HotPath -- [--quick] [--artifacts DIR]
// Prints BenchmarkDotNet's log and table, then one "@@hotpath" JSON line with the numbers per benchmark
// (the harness's "hotpath" figure reads it). Fails only when a benchmark could not be measured.
var quick = args.Contains("--quick");
var artifactsIndex = Array.IndexOf(args, "--artifacts");
var artifacts = artifactsIndex >= 0 ? args[artifactsIndex + 1] : Path.Combine(Path.GetTempPath(), "dsrs-hotpath-" + Environment.ProcessId);

// In process: no child project to generate and build for each benchmark. Quick (CI): a few short iterations.
var job = Job.Default.WithToolchain(InProcessEmitToolchain.Instance);
if (quick)
{
    job = job.WithLaunchCount(1).WithWarmupCount(2).WithIterationCount(3).WithIterationTime(TimeInterval.FromMilliseconds(100));
}

var config = ManualConfig.CreateEmpty()
    .AddJob(job)
    .AddDiagnoser(MemoryDiagnoser.Default)
    .AddColumnProvider(DefaultColumnProviders.Instance)
    .AddLogger(ConsoleLogger.Default)
    .WithArtifactsPath(artifacts);

var summary = BenchmarkRunner.Run<PredictionBenchmarks>(config);
var benchmarks = new PredictionBenchmarks();
benchmarks.Setup();
var calls = benchmarks.Calls();
var results = new List<HotPathResult>();
foreach (var report in summary.Reports)
{
    var mean = report.ResultStatistics?.Mean;
    var bytes = report.GcStats.GetBytesAllocatedPerOperation(report.BenchmarkCase);
    if (mean is null || bytes is null)
    {
        Console.Error.WriteLine($"{report.BenchmarkCase.Descriptor.WorkloadMethod.Name} was not measured");
        return 1;
    }

    var method = report.BenchmarkCase.Descriptor.WorkloadMethod.Name;
    var cpu = CpuTime.PerCall(calls[method], quick ? 2_000 : 20_000, quick ? 3 : 7);
    results.Add(new HotPathResult(method, report.BenchmarkCase.Descriptor.WorkloadMethodDisplayInfo, mean.Value, cpu, bytes.Value));
}

if (results.Count == 0 || summary.HasCriticalValidationErrors)
{
    Console.Error.WriteLine("no benchmark ran: " + string.Join("; ", summary.ValidationErrors.Select(e => e.Message)));
    return 1;
}

Console.WriteLine("@@hotpath " + JsonSerializer.Serialize(results));
Console.WriteLine(string.Join(Environment.NewLine, results.Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.Description}: {r.MeanNanoseconds / 1000:F2} us, CPU {r.CpuNanoseconds / 1000:F2} us, {r.AllocatedBytes} B"))));
return 0;

/// <summary>One benchmark's numbers per call: BenchmarkDotNet's mean (wall clock), CPU time, bytes allocated.</summary>
internal sealed record HotPathResult(string Method, string Description, double MeanNanoseconds, double CpuNanoseconds, long AllocatedBytes);
