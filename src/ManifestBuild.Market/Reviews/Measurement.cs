using System.Globalization;
using ManifestBuild.Format;
using ManifestBuild.Nostr;

namespace ManifestBuild.Market.Reviews;

/// <summary>
/// What a buyer measured with <c>dsrs evaluate</c>, carried by a verified-purchase review as tags
/// (docs/protocol-extensions.md): the accuracy, over how many examples, by which metric, with which
/// model, and the SHA-256 of the canonical examples, so two buyers can tell whether they measured alike.
/// </summary>
public sealed record Measurement
{
    public const string AccuracyTag = "measured_accuracy";
    public const string CountTag = "measured_n";
    public const string MetricTag = "metric";
    public const string ModelTag = "model";
    public const string ExamplesTag = "examples_sha256";
    public const string BaselineTag = "baseline_accuracy";

    private const int MaxNameLength = 128;

    private Measurement(double accuracy, long n, string metric, string model, string examplesSha256, double? baselineAccuracy)
    {
        Accuracy = accuracy;
        N = n;
        Metric = metric;
        Model = model;
        ExamplesSha256 = examplesSha256;
        BaselineAccuracy = baselineAccuracy;
    }

    /// <summary>0 to 1.</summary>
    public double Accuracy { get; }

    /// <summary>Examples measured on.</summary>
    public long N { get; }

    public string Metric { get; }

    public string Model { get; }

    /// <summary>Lowercase hex SHA-256 of the examples (layout-independent, see ExampleSet).</summary>
    public string ExamplesSha256 { get; }

    /// <summary>The accuracy of the same signature without the manifest (DSPy's default instruction), when measured.</summary>
    public double? BaselineAccuracy { get; }

    /// <summary>Checks every member once, here; DSRS0575 naming the first that does not hold.</summary>
    public static Measurement Create(double accuracy, long n, string metric, string model, string examplesSha256, double? baselineAccuracy = null) =>
        Problem(accuracy, n, metric, model, examplesSha256, baselineAccuracy) is { } problem
            ? throw new DsrsException(MarketErrorCodes.MeasurementInvalid, "the measurement cannot be published: " + problem)
            : new Measurement(accuracy, n, metric, model, examplesSha256, baselineAccuracy);

    public IEnumerable<IReadOnlyList<string>> ToTags()
    {
        yield return [AccuracyTag, Decimal(Accuracy)];
        yield return [CountTag, N.ToString(CultureInfo.InvariantCulture)];
        yield return [MetricTag, Metric];
        yield return [ModelTag, Model];
        yield return [ExamplesTag, ExamplesSha256];
        if (BaselineAccuracy is { } baseline)
        {
            yield return [BaselineTag, Decimal(baseline)];
        }
    }

    /// <summary>
    /// Reads the measurement tags of a review: false with no problem when it carries none, false with the
    /// problem when they are there but do not hold (the review is then rejected), true with the measurement.
    /// </summary>
    public static bool TryRead(NostrEvent e, out Measurement? measurement, out string? problem)
    {
        measurement = null;
        problem = null;
        string[] names = [AccuracyTag, CountTag, MetricTag, ModelTag, ExamplesTag, BaselineTag];
        if (!names.Any(name => e.FirstTagValue(name) is not null))
        {
            return false;
        }

        var accuracyText = e.FirstTagValue(AccuracyTag);
        var countText = e.FirstTagValue(CountTag);
        var baselineText = e.FirstTagValue(BaselineTag);
        if (!TryDecimal(accuracyText, out var accuracy))
        {
            problem = $"{AccuracyTag} must be a decimal from 0 to 1, not '{accuracyText}'";
            return false;
        }

        if (!long.TryParse(countText, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
        {
            problem = $"{CountTag} must be a positive integer, not '{countText}'";
            return false;
        }

        double? baseline = null;
        if (baselineText is not null)
        {
            if (!TryDecimal(baselineText, out var value))
            {
                problem = $"{BaselineTag} must be a decimal from 0 to 1, not '{baselineText}'";
                return false;
            }

            baseline = value;
        }

        problem = Problem(accuracy, n, e.FirstTagValue(MetricTag), e.FirstTagValue(ModelTag), e.FirstTagValue(ExamplesTag), baseline);
        if (problem is not null)
        {
            return false;
        }

        measurement = new Measurement(accuracy, n, e.FirstTagValue(MetricTag)!, e.FirstTagValue(ModelTag)!, e.FirstTagValue(ExamplesTag)!, baseline);
        return true;
    }

    private static string? Problem(double accuracy, long n, string? metric, string? model, string? examples, double? baseline)
    {
        if (!double.IsFinite(accuracy) || accuracy is < 0 or > 1)
        {
            return $"{AccuracyTag} must be from 0 to 1";
        }

        if (baseline is { } b && (!double.IsFinite(b) || b is < 0 or > 1))
        {
            return $"{BaselineTag} must be from 0 to 1";
        }

        if (n is < 1 or > 1_000_000_000)
        {
            return $"{CountTag} must be 1 to 1000000000";
        }

        if (string.IsNullOrWhiteSpace(metric) || metric.Length > MaxNameLength)
        {
            return $"{MetricTag} must name the metric (1 to {MaxNameLength} characters)";
        }

        if (string.IsNullOrWhiteSpace(model) || model.Length > MaxNameLength)
        {
            return $"{ModelTag} must name the model (1 to {MaxNameLength} characters)";
        }

        // The examples' hash has a compiled_id's shape: 64 lowercase hex.
        return CompiledId.IsWellFormed(examples ?? string.Empty) ? null : $"{ExamplesTag} must be 64 lowercase hex";
    }

    private static bool TryDecimal(string? text, out double value)
    {
        value = 0;
        return text is not null && double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out value);
    }

    // Enough digits to round-trip what a report says, no exponent: "0.84", "1", "0.0625".
    private static string Decimal(double value) => Math.Round(value, 6).ToString("0.######", CultureInfo.InvariantCulture);
}
