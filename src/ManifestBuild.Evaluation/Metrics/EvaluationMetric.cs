using System.Globalization;
using ManifestBuild.Format;
using ManifestBuild.Runtime;

namespace ManifestBuild.Evaluation.Metrics;

/// <summary>
/// Scores one prediction against its label, from 0 (wrong) to 1 (right). Accuracy is the mean score.
/// Built in: <c>exact</c> (every output field right), <c>field:NAME</c> (one field right) and
/// <c>f1:NAME</c> (item F1 of a string[] field); anything else through <see cref="Custom"/>.
/// </summary>
public abstract class EvaluationMetric
{
    /// <summary>The name reports and measured reviews carry, e.g. <c>exact</c> or <c>f1:labels</c>.</summary>
    public abstract string Name { get; }

    /// <summary>True when every score is 0 or 1, so successes are counts and the exact binomial test applies.</summary>
    public virtual bool IsBinary => true;

    public abstract double Score(SignatureSpec signature, FieldValues expected, FieldValues predicted);

    /// <summary>Refuses (DSRS1203) a metric that does not fit the signature, before any request is sent.</summary>
    public virtual void Validate(SignatureSpec signature)
    {
    }

    public static EvaluationMetric AllFieldsExact(double tolerance = 0) => new ExactMetric(null, tolerance);

    public static EvaluationMetric FieldExact(string field, double tolerance = 0) => new ExactMetric(field, tolerance);

    public static EvaluationMetric ListF1(string field) => new F1Metric(field);

    /// <summary>A metric of the caller's own; <paramref name="score"/> must return a value in [0, 1].</summary>
    public static EvaluationMetric Custom(string name, Func<SignatureSpec, FieldValues, FieldValues, double> score, bool isBinary = false) =>
        new CustomMetric(name, score, isBinary);

    /// <summary>The CLI's spelling: <c>exact</c>, <c>field:NAME</c>, <c>f1:NAME</c>.</summary>
    public static EvaluationMetric Parse(string text, double tolerance = 0)
    {
        var trimmed = text.Trim();
        if (trimmed == "exact")
        {
            return AllFieldsExact(tolerance);
        }

        if (trimmed.StartsWith("field:", StringComparison.Ordinal) && trimmed.Length > 6)
        {
            return FieldExact(trimmed[6..], tolerance);
        }

        if (trimmed.StartsWith("f1:", StringComparison.Ordinal) && trimmed.Length > 3)
        {
            return ListF1(trimmed[3..]);
        }

        throw new DsrsException(EvaluationErrorCodes.InvalidMetric, $"unknown metric '{text}': use exact, field:NAME or f1:NAME");
    }

    internal static SignatureField OutputField(SignatureSpec signature, string name) =>
        signature.Outputs.FirstOrDefault(f => f.Name == name)
        ?? throw new DsrsException(EvaluationErrorCodes.InvalidMetric, $"the metric names '{name}', which is not an output field of {signature.SignatureName} ({string.Join(", ", signature.Outputs.Select(f => f.Name))})");

    private sealed class ExactMetric(string? fieldName, double tolerance) : EvaluationMetric
    {
        public override string Name => (fieldName is null ? "exact" : "field:" + fieldName) + (tolerance > 0 ? "~" + tolerance.ToString("R", CultureInfo.InvariantCulture) : string.Empty);

        public override void Validate(SignatureSpec signature)
        {
            if (fieldName is not null)
            {
                OutputField(signature, fieldName);
            }
        }

        public override double Score(SignatureSpec signature, FieldValues expected, FieldValues predicted)
        {
            var fields = fieldName is null ? signature.Outputs : [OutputField(signature, fieldName)];
            return fields.All(f => FieldComparer.Equal(f, expected[f.Name], predicted[f.Name], tolerance)) ? 1 : 0;
        }
    }

    private sealed class F1Metric(string fieldName) : EvaluationMetric
    {
        public override string Name => "f1:" + fieldName;

        public override bool IsBinary => false;

        public override void Validate(SignatureSpec signature)
        {
            if (OutputField(signature, fieldName).Kind != FieldKind.StringList)
            {
                throw new DsrsException(EvaluationErrorCodes.InvalidMetric, $"f1 needs a string[] field; '{fieldName}' of {signature.SignatureName} is not one");
            }
        }

        public override double Score(SignatureSpec signature, FieldValues expected, FieldValues predicted) =>
            FieldComparer.F1(expected.GetStringList(fieldName), predicted.GetStringList(fieldName));
    }

    private sealed class CustomMetric(string name, Func<SignatureSpec, FieldValues, FieldValues, double> score, bool isBinary) : EvaluationMetric
    {
        public override string Name => name;

        public override bool IsBinary => isBinary;

        public override double Score(SignatureSpec signature, FieldValues expected, FieldValues predicted)
        {
            var value = score(signature, expected, predicted);
            return value is >= 0 and <= 1
                ? value
                : throw new DsrsException(EvaluationErrorCodes.InvalidMetric, $"the metric '{name}' returned {value.ToString("R", CultureInfo.InvariantCulture)}, outside [0, 1]");
        }
    }
}
