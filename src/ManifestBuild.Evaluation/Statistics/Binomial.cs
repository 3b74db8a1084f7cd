namespace ManifestBuild.Evaluation.Statistics;

/// <summary>The exact binomial distribution, summed in log space so that thousands of examples do not underflow.</summary>
public static class Binomial
{
    /// <summary>P(X &lt;= k) for X ~ Binomial(n, p): the one-sided p-value of "k successes is below p".</summary>
    public static double LowerTail(int k, int n, double p)
    {
        if (n < 0 || k < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(n), "n and k must not be negative");
        }

        if (k >= n || p <= 0)
        {
            return 1;
        }

        if (p >= 1)
        {
            return 0;
        }

        // log pmf(i+1) = log pmf(i) + log((n-i)/(i+1)) + log(p/(1-p)), from log pmf(0) = n log(1-p).
        var logRatio = Math.Log(p) - Math.Log(1 - p);
        var logPmf = n * Math.Log(1 - p);
        var max = logPmf;
        var terms = new double[k + 1];
        terms[0] = logPmf;
        for (var i = 0; i < k; i++)
        {
            logPmf += Math.Log((double)(n - i) / (i + 1)) + logRatio;
            terms[i + 1] = logPmf;
            max = Math.Max(max, logPmf);
        }

        var sum = terms.Sum(t => Math.Exp(t - max));
        return Math.Min(1, Math.Exp(max + Math.Log(sum)));
    }
}
