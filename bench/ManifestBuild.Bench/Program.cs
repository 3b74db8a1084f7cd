using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using ManifestBuild.Bench;
using ManifestBuild.Bench.Figures;

// Usage:
//   dotnet run -c Release --project bench/ManifestBuild.Bench            all figures, full size
//   dotnet run -c Release --project bench/ManifestBuild.Bench -- --quick  all figures, briefly (CI)
//   ... -- --only ingest,hash                                             some figures
//   ... -- --figure NAME                                                  one figure in this process (internal)
//   ... -- --relay DATADIR MAXLIMIT                                       a relay process for a figure (internal)
var figures = new IFigure[]
{
    new EventIngestFigure(),
    new NoOpBuildFigure(),
    new GeneratorFigure(),
    new ColdResolveFigure(),
    new LockedRestoreFigure(),
    new CanonicalHashFigure(),
    new FloodFigure(),
    new LatencyResolveFigure(),
    new ParallelPaymentsFigure(),
    new KeystrokeFigure(),
    new HotPathFigure(),
};

if (Array.IndexOf(args, "--relay") is var relayIndex and >= 0)
{
    return await RelayProcess.ServeAsync(args[relayIndex + 1], int.Parse(args[relayIndex + 2], CultureInfo.InvariantCulture));
}

var quick = args.Contains("--quick");
var figureIndex = Array.IndexOf(args, "--figure");
var onlyIndex = Array.IndexOf(args, "--only");
var work = Path.Combine(Path.GetTempPath(), "dsrs-bench-" + Environment.ProcessId);

if (figureIndex >= 0)
{
    // Child mode: run one figure, print its rows as one JSON line prefixed for the parent.
    var figure = figures.Single(f => f.Name == args[figureIndex + 1]);
    Directory.CreateDirectory(work);
    try
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(quick ? 5 : 30));
        var rows = await figure.RunAsync(new BenchOptions(quick, work), cts.Token);
        var peak = Process.GetCurrentProcess().PeakWorkingSet64;
        var all = rows.Append(new Row(figure.Name, "peak working set (harness process)", peak / 1048576.0, "MiB")).ToArray();
        Console.WriteLine("@@rows " + JsonSerializer.Serialize(all));
        return 0;
    }
    finally
    {
        try { Directory.Delete(work, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

var selected = onlyIndex >= 0 ? args[onlyIndex + 1].Split(',') : figures.Select(f => f.Name).ToArray();
Console.WriteLine($"ManifestBuild benchmarks ({(quick ? "quick" : "full")}) on {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}");
var results = new List<Row>();
var failures = 0;
foreach (var figure in figures.Where(f => selected.Contains(f.Name)))
{
    Console.WriteLine($"-- {figure.Name}: {figure.Title}");
    var clock = Stopwatch.StartNew();
    var (rows, error) = await RunChildAsync(figure.Name, quick);
    if (error is not null)
    {
        failures++;
        Console.WriteLine($"   failed: {error}");
        continue;
    }

    results.AddRange(rows);
    Console.WriteLine($"   done in {clock.Elapsed.TotalSeconds:F1} s");
}

Console.WriteLine();
Table.Print(results, Console.Out);
// Benchmarks never fail on a number; they fail only when a figure could not be measured at all.
return failures == 0 ? 0 : 1;

static async Task<(IReadOnlyList<Row> Rows, string? Error)> RunChildAsync(string name, bool quick)
{
    var psi = Peers.Self(quick ? ["--figure", name, "--quick"] : ["--figure", name]);
    using var child = Process.Start(psi)!;
    var stderr = child.StandardError.ReadToEndAsync();
    IReadOnlyList<Row>? rows = null;
    while (await child.StandardOutput.ReadLineAsync() is { } line)
    {
        if (line.StartsWith("@@rows ", StringComparison.Ordinal))
        {
            rows = JsonSerializer.Deserialize<Row[]>(line["@@rows ".Length..]);
        }
        else
        {
            Console.WriteLine("   " + line);
        }
    }

    await child.WaitForExitAsync();
    var err = await stderr;
    if (child.ExitCode != 0 || rows is null)
    {
        return ([], $"exit code {child.ExitCode}: {err.Trim()}");
    }

    return (rows, null);
}

static class Table
{
    public static void Print(IReadOnlyList<Row> rows, TextWriter output)
    {
        var header = new[] { "figure", "metric", "value", "compared to", "baseline", "ratio", "target" };
        var lines = rows.Select(r => new[]
        {
            r.Figure,
            r.Metric,
            Format(r.Value) + " " + r.Unit,
            r.Baseline ?? "",
            r.BaselineValue is { } b ? Format(b) + " " + r.Unit : "",
            r.Ratio is { } ratio ? ratio.ToString("F2", CultureInfo.InvariantCulture) + "x" : "",
            r.Target ?? "",
        }).ToList();
        var widths = header.Select((h, i) => Math.Max(h.Length, lines.Count == 0 ? 0 : lines.Max(l => l[i].Length))).ToArray();
        output.WriteLine("| " + string.Join(" | ", header.Select((h, i) => h.PadRight(widths[i]))) + " |");
        output.WriteLine("|" + string.Join("|", widths.Select(w => new string('-', w + 2))) + "|");
        foreach (var line in lines)
        {
            output.WriteLine("| " + string.Join(" | ", line.Select((c, i) => c.PadRight(widths[i]))) + " |");
        }
    }

    private static string Format(double value) =>
        value >= 100 ? value.ToString("N0", CultureInfo.InvariantCulture) : value.ToString("G4", CultureInfo.InvariantCulture);
}
