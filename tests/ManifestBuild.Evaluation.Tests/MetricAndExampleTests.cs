using ManifestBuild.Evaluation.Examples;
using ManifestBuild.Evaluation.Metrics;
using ManifestBuild.Format;
using ManifestBuild.Format.Json;
using ManifestBuild.Runtime;

namespace ManifestBuild.Evaluation.Tests;

public sealed class MetricAndExampleTests
{
    private static readonly SignatureSpec Spec = new(
        "Triage",
        "Triage the ticket.",
        [new SignatureField("ticket", FieldKind.String)],
        [
            new SignatureField("severity", FieldKind.Enum, null, ["low", "very_high"]),
            new SignatureField("labels", FieldKind.StringList),
            new SignatureField("hours", FieldKind.Float),
        ]);

    private static FieldValues Values(string severity, string[] labels, double hours) =>
        ManifestSignature.ValuesFromJson(Spec.Outputs, new JsonObject().Add("severity", severity).Add("labels", JsonArray.OfStrings(labels)).Add("hours", hours));

    [Fact]
    public void Enums_compare_after_parsing_lists_by_f1_and_numbers_within_the_tolerance()
    {
        var expected = Values("very_high", ["db", "auth"], 2.0);
        var predicted = ManifestSignature.ValuesFromJson(Spec.Outputs, new JsonObject().Add("severity", "Very High").Add("labels", JsonArray.OfStrings(["auth", "ui"])).Add("hours", "2.4"));

        Assert.Equal(1, EvaluationMetric.FieldExact("severity").Score(Spec, expected, predicted));
        Assert.Equal(0.5, EvaluationMetric.ListF1("labels").Score(Spec, expected, predicted), 12);
        Assert.Equal(0, EvaluationMetric.FieldExact("hours").Score(Spec, expected, predicted));
        Assert.Equal(1, EvaluationMetric.FieldExact("hours", tolerance: 0.5).Score(Spec, expected, predicted));
        Assert.Equal(0, EvaluationMetric.AllFieldsExact(0.5).Score(Spec, expected, predicted));
        Assert.Equal(1, EvaluationMetric.AllFieldsExact().Score(Spec, expected, Values("very_high", ["auth", "db"], 2.0)));
        Assert.Equal(1, FieldComparer.F1([], []));
        Assert.Equal(0, FieldComparer.F1(["a"], []));
    }

    [Fact]
    public void Metrics_that_do_not_fit_the_signature_are_refused_and_a_custom_one_is_bounded()
    {
        Assert.Equal(EvaluationErrorCodes.InvalidMetric, Assert.Throws<DsrsException>(() => EvaluationMetric.Parse("rouge")).Code);
        Assert.Equal(EvaluationErrorCodes.InvalidMetric, Assert.Throws<DsrsException>(() => EvaluationMetric.Parse("field:nope").Validate(Spec)).Code);
        Assert.Equal(EvaluationErrorCodes.InvalidMetric, Assert.Throws<DsrsException>(() => EvaluationMetric.Parse("f1:severity").Validate(Spec)).Code);
        EvaluationMetric.Parse("f1:labels").Validate(Spec);

        var close = EvaluationMetric.Custom("hours-close", (_, e, p) => Math.Max(0, 1 - Math.Abs(e.GetDouble("hours") - p.GetDouble("hours"))));
        Assert.Equal(0.6, close.Score(Spec, Values("low", [], 2.0), Values("low", [], 2.4)), 12);
        var broken = EvaluationMetric.Custom("broken", (_, _, _) => 2);
        Assert.Equal(EvaluationErrorCodes.InvalidMetric, Assert.Throws<DsrsException>(() => broken.Score(Spec, Values("low", [], 1), Values("low", [], 1))).Code);
    }

    [Fact]
    public void A_dspy_devset_and_json_lines_of_the_same_examples_have_the_same_hash()
    {
        var lines = "{\"inputs\":{\"ticket\":\"db down\"},\"outputs\":{\"severity\":\"very_high\"}}\n\n{\"inputs\":{\"ticket\":\"typo\"},\"outputs\":{\"severity\":\"low\"}}\n";
        var devset = "[{\"ticket\":\"db down\",\"severity\":\"very_high\",\"dspy_uuid\":\"1\"},{\"severity\":\"low\",\"ticket\":\"typo\"}]";
        var withKeys = "[{\"ticket\":\"db down\",\"severity\":\"very_high\",\"_input_keys\":[\"ticket\"]},{\"ticket\":\"typo\",\"severity\":\"low\",\"_input_keys\":[\"ticket\"]}]";
        var a = ExampleSet.Parse(lines, ["ticket"], ["severity"]);
        var b = ExampleSet.Parse(devset, ["ticket"], ["severity"]);
        var c = ExampleSet.Parse(withKeys, null, null);
        Assert.Equal(2, a.Count);
        Assert.Equal(a.Sha256, b.Sha256);
        Assert.Equal(a.Sha256, c.Sha256);
        Assert.NotEqual(a.Sha256, ExampleSet.Parse(lines.Replace("typo", "typos"), ["ticket"], ["severity"]).Sha256);
    }

    [Fact]
    public void Examples_that_are_not_json_or_are_empty_are_refused_with_where()
    {
        var bad = Assert.Throws<DsrsException>(() => ExampleSet.Parse("{\"inputs\":{},\"outputs\":{}}\n{oops", ["ticket"], ["severity"], "dev.jsonl"));
        Assert.Equal(EvaluationErrorCodes.InvalidExamples, bad.Code);
        Assert.Contains("dev.jsonl line 2", bad.Message, StringComparison.Ordinal);
        Assert.Equal(EvaluationErrorCodes.InvalidExamples, Assert.Throws<DsrsException>(() => ExampleSet.Parse("[]", ["ticket"], ["severity"])).Code);
        Assert.Equal(EvaluationErrorCodes.InvalidExamples, Assert.Throws<DsrsException>(() => ExampleSet.Parse("[{\"ticket\":\"x\"}]", null, null)).Code);
    }

    [Fact]
    public void A_manifest_without_instruction_or_schema_still_builds_a_signature()
    {
        var json = new JsonObject().Add("format", "dsrs.manifest/1").Add("signature_name", "Untyped");
        json.Add("compiled_id", CompiledId.Compute(json));
        var signature = ManifestSignature.FromManifest(Manifest.FromJson(json), ["question"], ["answer"]);
        Assert.False(signature.IsTyped);
        Assert.True(signature.UsesDefaultInstruction);
        Assert.Equal("Given the fields `question`, produce the fields `answer`.", signature.Spec.Instruction);
        var typed = ManifestSignature.FromManifest(ComplexityWorld.Manifest());
        Assert.Equal(ComplexityWorld.Instruction, typed.Spec.Instruction);
        Assert.Single(typed.Demos);
        Assert.Empty(typed.WithoutManifest().Demos);
        Assert.Equal("Given the fields `code`, produce the fields `complexity`.", typed.WithoutManifest().Spec.Instruction);
    }
}
