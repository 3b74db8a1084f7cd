namespace ManifestBuild.Evaluation.Statistics;

/// <summary>
/// The Wilson score interval of a proportion: unlike the normal approximation it stays inside [0, 1]
/// and keeps its coverage for small samples and accuracies near 0 or 1, which is where a buyer's few
/// hundred examples and a seller's 0.9+ claims sit.
/// </summary>
public readonly record struct WilsonInterval(double Lower, double Upper)
{
    /// <summary>z for a two-sided 95% interval.</summary>
    public const double Z95 = 1.959963984540054;

    /// <summary>z for a one-sided 95% bound.</summary>
    public const double Z95OneSided = 1.6448536269514722;

    public double HalfWidth => (Upper - Lower) / 2;

    /// <param name="successes">May be fractional (a mean score times n) for a non-binary metric.</param>
    public static WilsonInterval Compute(double successes, int n, double z = Z95)
    {
        if (n <= 0)
        {
            return new WilsonInterval(0, 1);
        }

        var p = Math.Clamp(successes / n, 0, 1);
        var z2 = z * z;
        var denominator = 1 + z2 / n;
        var center = (p + z2 / (2 * n)) / denominator;
        var half = z / denominator * Math.Sqrt(p * (1 - p) / n + z2 / (4.0 * n * n));
        return new WilsonInterval(Math.Max(0, center - half), Math.Min(1, center + half));
    }
}
