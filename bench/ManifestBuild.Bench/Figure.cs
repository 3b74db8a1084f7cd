namespace ManifestBuild.Bench;

/// <summary>One row of the final table: a measured value, what it is compared to, and the ratio.</summary>
public sealed record Row(string Figure, string Metric, double Value, string Unit, string? Baseline = null, double? BaselineValue = null, string? Target = null)
{
    /// <summary>Value / baseline, where a baseline was measured in the same run.</summary>
    public double? Ratio => BaselineValue is > 0 ? Value / BaselineValue : null;
}

/// <summary>A benchmark figure. It runs alone in a child process and returns its rows.</summary>
public interface IFigure
{
    string Name { get; }

    string Title { get; }

    Task<IReadOnlyList<Row>> RunAsync(BenchOptions options, CancellationToken cancellationToken);
}

public sealed record BenchOptions(bool Quick, string WorkDirectory)
{
    /// <summary>Picks the full-size or the quick value.</summary>
    public T Size<T>(T full, T quick) => Quick ? quick : full;
}
