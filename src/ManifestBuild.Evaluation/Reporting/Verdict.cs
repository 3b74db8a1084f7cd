using System.Globalization;
using ManifestBuild.Evaluation.Running;
using ManifestBuild.Evaluation.Statistics;

namespace ManifestBuild.Evaluation.Reporting;

public enum VerdictKind
{
    /// <summary>The manifest's scorecard states no accuracy.</summary>
    NoClaim,

    /// <summary>The measurement does not show the accuracy to be below the claim.</summary>
    Consistent,

    /// <summary>The measurement is significantly below the claim (one-sided, 5%).</summary>
    Below,
}

/// <summary>
/// Holds the seller's claim to account. H0: the true accuracy is at least the claimed one. With a binary
/// metric, the one-sided exact binomial test rejects it when P(X &lt;= k | n, claimed) &lt; 0.05. With a graded
/// metric (F1), the one-sided 95% Wilson upper bound of the mean score must reach the claim.
/// </summary>
public sealed record Verdict(VerdictKind Kind, string Test, double? PValue, string Summary)
{
    public const double Alpha = 0.05;

    public static Verdict For(ArmResult measured, double? claimed, bool binaryMetric)
    {
        if (claimed is not { } p0)
        {
            return new Verdict(VerdictKind.NoClaim, "none", null, "no claim to compare: the manifest's scorecard states no accuracy");
        }

        var claim = F(p0);
        if (binaryMetric)
        {
            var k = (int)Math.Round(measured.ScoreSum);
            var pValue = Binomial.LowerTail(k, measured.N, p0);
            var test = $"one-sided exact binomial test: P(X <= {k} | n = {measured.N}, p = {claim}) = {F(pValue)}";
            return pValue < Alpha
                ? new Verdict(VerdictKind.Below, test, pValue, $"below the claimed {claim} ({test} < {F(Alpha)})")
                : new Verdict(VerdictKind.Consistent, test, pValue, $"consistent with the claimed {claim} ({test} >= {F(Alpha)})");
        }

        var upper = WilsonInterval.Compute(measured.ScoreSum, measured.N, WilsonInterval.Z95OneSided).Upper;
        var bound = $"one-sided 95% Wilson upper bound {F(upper)} of the mean score over n = {measured.N}";
        return upper < p0
            ? new Verdict(VerdictKind.Below, "wilson-upper-bound", null, $"below the claimed {claim} ({bound} < {claim})")
            : new Verdict(VerdictKind.Consistent, "wilson-upper-bound", null, $"consistent with the claimed {claim} ({bound} >= {claim})");
    }

    internal static string F(double value) => value.ToString(value != 0 && Math.Abs(value) < 0.001 ? "0.###e+0" : "0.###", CultureInfo.InvariantCulture);
}
