using ManifestBuild.Evaluation.Statistics;

namespace ManifestBuild.Evaluation.Tests;

public sealed class StatisticsTests
{
    // Published Wilson 95% intervals (e.g. Newcombe 1998, Table I; any standard calculator gives the same).
    [Theory]
    [InlineData(8, 10, 0.4902, 0.9433)]
    [InlineData(0, 10, 0.0, 0.2775)]
    [InlineData(10, 10, 0.7225, 1.0)]
    [InlineData(5, 10, 0.2366, 0.7634)]
    [InlineData(81, 263, 0.2553, 0.3662)]
    public void Wilson_interval_matches_known_values(int k, int n, double lower, double upper)
    {
        var interval = WilsonInterval.Compute(k, n);
        Assert.Equal(lower, interval.Lower, 4);
        Assert.Equal(upper, interval.Upper, 4);
    }

    [Fact]
    public void Binomial_lower_tail_matches_exact_sums_and_survives_large_n()
    {
        Assert.Equal(1.0 / 1024, Binomial.LowerTail(0, 10, 0.5), 15);
        Assert.Equal(0.0701908264, Binomial.LowerTail(7, 10, 0.9), 10);
        Assert.Equal(1, Binomial.LowerTail(10, 10, 0.9));
        Assert.Equal(0, Binomial.LowerTail(9, 10, 1.0));

        // 8,400 of 10,000 against a 0.85 claim: 0.002845 by an lgamma sum; 0.85^10000 alone underflows a double.
        var p = Binomial.LowerTail(8400, 10_000, 0.85);
        Assert.Equal(0.002845, p, 6);
    }
}
