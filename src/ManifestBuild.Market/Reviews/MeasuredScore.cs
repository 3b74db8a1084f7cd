using System.Globalization;

namespace ManifestBuild.Market.Reviews;

/// <summary>
/// The accuracies verified buyers measured on their own examples, pooled: the mean is weighted by each
/// buyer's example count (successes over examples), and the ± is the 95% normal-approximation half-width
/// of that pooled proportion. It says how precisely the buyers' examples pin the figure; buyers with
/// different examples or models may still disagree, which <see cref="Lowest"/> and <see cref="Highest"/> show.
/// </summary>
public sealed record MeasuredScore(int Buyers, long Examples, double? Mean, double? HalfWidth95, double? Lowest, double? Highest)
{
    public static readonly MeasuredScore None = new(0, 0, null, null, null, null);

    private const double Z95 = 1.959963984540054;

    public static MeasuredScore From(IEnumerable<Measurement> measurements)
    {
        var list = measurements.ToList();
        if (list.Count == 0)
        {
            return None;
        }

        var examples = list.Sum(m => m.N);
        var mean = list.Sum(m => m.Accuracy * m.N) / examples;
        return new MeasuredScore(list.Count, examples, mean, Z95 * Math.Sqrt(mean * (1 - mean) / examples), list.Min(m => m.Accuracy), list.Max(m => m.Accuracy));
    }

    /// <summary>"claimed 0.91; measured 0.84 ± 0.05 over 3 verified buyers", or the claim alone.</summary>
    public string Describe(double? claimed)
    {
        var claim = claimed is { } c ? "claimed " + c.ToString("0.###", CultureInfo.InvariantCulture) : "no claimed accuracy";
        if (Mean is not { } mean)
        {
            return claim + "; not measured by a verified buyer";
        }

        return $"{claim}; measured {mean.ToString("0.00", CultureInfo.InvariantCulture)} ± {HalfWidth95!.Value.ToString("0.00", CultureInfo.InvariantCulture)} " +
               $"over {Buyers} verified buyer{(Buyers == 1 ? string.Empty : "s")} ({Examples.ToString(CultureInfo.InvariantCulture)} examples)";
    }
}
