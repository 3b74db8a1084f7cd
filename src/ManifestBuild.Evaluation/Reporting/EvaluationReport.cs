using System.Globalization;
using System.Text;
using ManifestBuild.Evaluation.Metrics;
using ManifestBuild.Evaluation.Running;
using ManifestBuild.Format;
using ManifestBuild.Format.Json;
using ManifestBuild.Runtime;

namespace ManifestBuild.Evaluation.Reporting;

/// <summary>
/// What a run measured, beside what the seller claimed: accuracy, n, the 95% Wilson interval, the
/// claimed accuracy and holdout size from the scorecard, the verdict and, with a baseline, the lift.
/// <see cref="ToJson"/> is the file <c>dsrs review --measured</c> reads.
/// </summary>
public sealed class EvaluationReport
{
    public const string FormatV1 = "dsrs.evaluation/1";

    private readonly ManifestSignature signature;

    internal EvaluationReport(Manifest manifest, string compiledId, ManifestSignature signature, string examplesSha256, string modelId, EvaluationMetric metric, ArmResult measured, ArmResult? baseline, int retries)
    {
        this.signature = signature;
        SignatureName = manifest.SignatureName;
        CompiledId = compiledId;
        ExamplesSha256 = examplesSha256;
        ModelId = modelId;
        Metric = metric.Name;
        Measured = measured;
        Baseline = baseline;
        Retries = retries;
        ClaimedAccuracy = manifest.Scorecard?.Accuracy;
        ClaimedHoldoutSize = manifest.Scorecard?.HoldoutSize;
        ClaimedMetric = manifest.Scorecard?.Metric;
        UsesDefaultInstruction = signature.UsesDefaultInstruction;
        Verdict = Verdict.For(measured, ClaimedAccuracy, metric.IsBinary);
        if (baseline is not null)
        {
            // Paired: the same examples through both arms, so the lift's spread is that of the per-example differences.
            var differences = measured.Results.Zip(baseline.Results, (m, b) => m.Score - b.Score).ToArray();
            Lift = measured.Accuracy - baseline.Accuracy;
            var n = differences.Length;
            var sd = n > 1 ? Math.Sqrt(differences.Sum(d => (d - Lift.Value) * (d - Lift.Value)) / (n - 1)) : 0;
            var half = Statistics.WilsonInterval.Z95 * sd / Math.Sqrt(Math.Max(1, n));
            LiftInterval = (Lift.Value - half, Lift.Value + half);
        }
    }

    public string SignatureName { get; }

    public string CompiledId { get; }

    public string ExamplesSha256 { get; }

    public string ModelId { get; }

    public string Metric { get; }

    public ArmResult Measured { get; }

    public ArmResult? Baseline { get; }

    public double Accuracy => Measured.Accuracy;

    public int N => Measured.N;

    public double? ClaimedAccuracy { get; }

    public long? ClaimedHoldoutSize { get; }

    public string? ClaimedMetric { get; }

    public Verdict Verdict { get; }

    /// <summary>Accuracy with the manifest minus accuracy without it (DSPy's default instruction, no demos).</summary>
    public double? Lift { get; }

    /// <summary>A normal-approximation 95% interval of the paired lift.</summary>
    public (double Lower, double Upper)? LiftInterval { get; }

    /// <summary>The manifest carried no instruction (a paid listing's content): the prompt used DSPy's default.</summary>
    public bool UsesDefaultInstruction { get; }

    public int Retries { get; }

    /// <summary>Throws DSRS1206 when the accuracy is below <paramref name="minimum"/>: a CI gate.</summary>
    public void EnsureAtLeast(double minimum)
    {
        if (Accuracy < minimum)
        {
            throw new DsrsException(EvaluationErrorCodes.BelowMinimum,
                $"{SignatureName} {CompiledId[..12]} scores {F(Accuracy)} on {N} example(s) with {ModelId} ({Metric}), below the required {F(minimum)}");
        }
    }

    public string ToText()
    {
        var b = new StringBuilder();
        var m = Measured;
        b.Append(CultureInfo.InvariantCulture, $"{SignatureName} {CompiledId} on {N} example(s) (sha256 {ExamplesSha256[..12]}), model {ModelId}, metric {Metric}\n");
        if (UsesDefaultInstruction)
        {
            b.Append("  note: the manifest carries no instruction (a paid listing's content?); the prompt used DSPy's default instruction\n");
        }

        b.Append(CultureInfo.InvariantCulture, $"  accuracy {F(m.Accuracy)} ({F(m.ScoreSum)}/{N}), 95% Wilson interval [{F(m.Interval.Lower)}, {F(m.Interval.Upper)}]\n");
        b.Append("  per field: ").Append(string.Join(", ", m.FieldAccuracy.Select(f => $"{f.Key} {F(f.Value)}"))).Append('\n');
        b.Append(ClaimedAccuracy is { } claimed
            ? $"  claimed {F(claimed)}" + (ClaimedHoldoutSize is { } h ? $" on a holdout of {h.ToString(CultureInfo.InvariantCulture)}" : " (holdout size not stated)") + (ClaimedMetric is { } cm ? $" (metric {cm})" : string.Empty) + "\n"
            : "  claimed: nothing (no scorecard accuracy)\n");
        b.Append("  verdict: ").Append(Verdict.Summary).Append('\n');
        if (Baseline is { } baseline && Lift is { } lift && LiftInterval is { } li)
        {
            b.Append(CultureInfo.InvariantCulture, $"  baseline (DSPy's default instruction, no demos): accuracy {F(baseline.Accuracy)}, 95% Wilson interval [{F(baseline.Interval.Lower)}, {F(baseline.Interval.Upper)}]\n");
            b.Append(CultureInfo.InvariantCulture, $"  lift {(lift >= 0 ? "+" : string.Empty)}{F(lift)} (paired 95% interval [{F(li.Lower)}, {F(li.Upper)}])\n");
        }

        var errors = m.Errors + (Baseline?.Errors ?? 0);
        if (errors > 0)
        {
            b.Append(CultureInfo.InvariantCulture, $"  {errors} answer(s) did not fit the signature or could not be read; each scored 0 (see --results)\n");
        }

        var total = m.N + (Baseline?.N ?? 0);
        var cached = m.FromCache + (Baseline?.FromCache ?? 0);
        b.Append(CultureInfo.InvariantCulture, $"  requests: {total - cached} sent, {cached} answered from the cache, {Retries} retried\n");
        return b.ToString();
    }

    public JsonObject ToJson()
    {
        var json = new JsonObject()
            .Add("format", FormatV1)
            .Add("signature_name", SignatureName)
            .Add("compiled_id", CompiledId)
            .Add("model", ModelId)
            .Add("metric", Metric)
            .Add("examples_sha256", ExamplesSha256);
        AddArm(json, Measured);
        var claim = new JsonObject();
        if (ClaimedAccuracy is { } a)
        {
            claim.Add("accuracy", a);
        }

        if (ClaimedHoldoutSize is { } h)
        {
            claim.Add("holdout_size", h);
        }

        if (ClaimedMetric is { } cm)
        {
            claim.Add("metric", cm);
        }

        json.Add("claimed", claim);
        var verdict = new JsonObject().Add("result", Verdict.Kind switch { VerdictKind.Below => "below", VerdictKind.Consistent => "consistent", _ => "no_claim" }).Add("test", Verdict.Test);
        if (Verdict.PValue is { } p)
        {
            verdict.Add("p_value", p);
        }

        json.Add("verdict", verdict.Add("summary", Verdict.Summary));
        if (Baseline is { } baseline && Lift is { } lift && LiftInterval is { } li)
        {
            json.Add("baseline", AddArm(new JsonObject(), baseline).Add("instruction", baseline.Instruction));
            json.Add("lift", lift).Add("lift95", new JsonArray([new JsonNumber(li.Lower), new JsonNumber(li.Upper)]));
        }

        return json.Add("uses_default_instruction", UsesDefaultInstruction).Add("retries", Retries);
    }

    /// <summary>One JSON line per example and arm: its score, fields right, the parsed answer or the error.</summary>
    public string ResultsJsonLines()
    {
        var b = new StringBuilder();
        foreach (var arm in Baseline is null ? [Measured] : new[] { Measured, Baseline })
        {
            foreach (var r in arm.Results)
            {
                var line = new JsonObject().Add("example", r.Index + 1).Add("arm", arm.Name).Add("score", r.Score);
                var fields = new JsonObject();
                foreach (var (name, ok) in r.FieldMatches)
                {
                    fields.Add(name, ok);
                }

                line.Add("fields", fields);
                if (r.Predicted is not null)
                {
                    line.Add("predicted", FieldJson.From(signature.Spec, r.Predicted));
                }

                if (r.Error is not null)
                {
                    line.Add("error", r.Error);
                }

                if (r.Reply is not null)
                {
                    line.Add("reply", r.Reply);
                }

                b.Append(JsonWriter.Write(line.Add("cached", r.FromCache), false)).Append('\n');
            }
        }

        return b.ToString();
    }

    private static JsonObject AddArm(JsonObject json, ArmResult arm)
    {
        var fields = new JsonObject();
        foreach (var (name, value) in arm.FieldAccuracy)
        {
            fields.Add(name, value);
        }

        return json
            .Add("n", arm.N)
            .Add("accuracy", arm.Accuracy)
            .Add("successes", arm.ScoreSum)
            .Add("wilson95", new JsonArray([new JsonNumber(arm.Interval.Lower), new JsonNumber(arm.Interval.Upper)]))
            .Add("fields", fields)
            .Add("errors", arm.Errors)
            .Add("from_cache", arm.FromCache);
    }

    private static string F(double value) => Verdict.F(value);
}
