using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using ManifestBuild.Format;
using ManifestBuild.Format.Json;

namespace ManifestBuild.Bench.Figures;

/// <summary>
/// Figure 6: compiled_id throughput (parse + RFC 8785 canonicalize + SHA-256) over manifests of
/// 1 KB, 100 KB and 10 MB, next to plain SHA-256 of the same bytes (the floor any verifier pays).
/// </summary>
public sealed class CanonicalHashFigure : IFigure
{
    public string Name => "hash";

    public string Title => "canonicalize + hash (compiled_id) throughput";

    public Task<IReadOnlyList<Row>> RunAsync(BenchOptions options, CancellationToken cancellationToken)
    {
        var rows = new List<Row>();
        foreach (var (label, size) in new[] { ("1 KB", 1_024), ("100 KB", 100 * 1_024), ("10 MB", 10 * 1_048_576) })
        {
            var text = SampleManifests.OfSize(size);
            var bytes = Encoding.UTF8.GetBytes(text);
            var budget = TimeSpan.FromSeconds(options.Size(2.0, 0.3));
            var idRate = Measure(bytes.Length, budget, () => CompiledId.Compute(JsonParser.ParseObject(text)));
            var shaRate = Measure(bytes.Length, budget, () => SHA256.HashData(bytes));
            rows.Add(new Row(Name, $"compiled_id of a {label} manifest", idRate, "MB/s", "SHA-256 alone", shaRate));
        }

        return Task.FromResult<IReadOnlyList<Row>>(rows);
    }

    /// <summary>MB/s of <paramref name="action"/> over <paramref name="bytes"/>, repeated for at least <paramref name="budget"/>.</summary>
    private static double Measure(int bytes, TimeSpan budget, Action action)
    {
        action(); // warm up: JIT and caches
        var clock = Stopwatch.StartNew();
        var runs = 0;
        do
        {
            action();
            runs++;
        }
        while (clock.Elapsed < budget);
        return (double)bytes * runs / 1_000_000 / clock.Elapsed.TotalSeconds;
    }
}
