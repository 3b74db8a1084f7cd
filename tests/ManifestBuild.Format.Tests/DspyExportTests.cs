using ManifestBuild.Format.Interop;
using ManifestBuild.Format.Json;

namespace ManifestBuild.Format.Tests;

public class DspyExportTests
{
    private static JsonObject Program(string file) => JsonParser.ParseObject(File.ReadAllText(TestPaths.Data("dspy", file)));

    [Fact]
    public void ExportHasTheShapeDspyLoadReads()
    {
        var manifest = Manifest.Load(TestPaths.Data("complexity-typed.json"));

        var program = DspyExporter.Export(manifest);

        // A bare Predict's save() layout: Predict.dump_state at the top level, then metadata (no "self" key:
        // Predict.load() reads state["signature"] and would raise KeyError on {"self": ...}).
        Assert.Equal(["traces", "train", "demos", "signature", "lm", "metadata"], program.Names);
        var state = program;
        Assert.Same(JsonNull.Instance, state["lm"]);
        var signature = (JsonObject)state["signature"]!;
        Assert.Equal(manifest.Instruction, signature.GetString("instructions"));
        Assert.Equal(
            "[{\"prefix\":\"Task:\",\"description\":\"The task as the user wrote it.\"},{\"prefix\":\"Files:\",\"description\":\"Paths the task touches.\"},{\"prefix\":\"Line Budget:\",\"description\":\"${line_budget}\"},{\"prefix\":\"Complexity:\",\"description\":\"How complex the task is.\"},{\"prefix\":\"Needs Plan:\",\"description\":\"${needs_plan}\"},{\"prefix\":\"Confidence:\",\"description\":\"0 to 1.\"}]",
            signature["fields"]!.ToString());
        Assert.Equal(
            "{\"task\":\"Rename a variable\",\"files\":[\"src/lib.rs\"],\"line_budget\":10,\"complexity\":\"low\",\"needs_plan\":false,\"confidence\":0.95,\"augmented\":true}",
            ((JsonArray)state["demos"]!)[0].ToString());
        Assert.Equal("{\"dependency_versions\":{}}", program["metadata"]!.ToString());
    }

    [Fact]
    public void DspyFileRoundTripsThroughAManifest()
    {
        var options = new DspyImportOptions { Family = "complexity", CreatedAt = 1764000000 };
        var original = Program("complexity-cot.json");
        var first = DspyImporter.Import(original, options);

        var exported = DspyExporter.Export(first);
        var second = DspyImporter.Import(JsonParser.ParseObject(JsonWriter.WriteFile(exported)), options);

        Assert.Equal(first.ToFileText(), second.ToFileText());
        Assert.Equal(first.CompiledId, second.CompiledId);

        // The predictor keeps its key, instructions and field texts; lm is written as null, never copied.
        var state = (JsonObject)exported["classify.predict"]!;
        var originalState = (JsonObject)original["classify.predict"]!;
        Assert.True(JsonValue.DeepEquals(originalState["signature"], state["signature"]));
        Assert.Same(JsonNull.Instance, state["lm"]);
        Assert.Equal("{\"dependency_versions\":{\"python\":\"3.11\",\"dspy\":\"3.0.3\",\"cloudpickle\":\"3.1\"}}", exported["metadata"]!.ToString());
    }

    [Fact]
    public void IncompleteDemosAreNotMarkedAugmented()
    {
        var exported = DspyExporter.Export(DspyImporter.Import(Program("complexity-cot.json"), new DspyImportOptions()));

        var demos = (JsonArray)((JsonObject)exported["classify.predict"]!)["demos"]!;
        Assert.Same(JsonBool.True, ((JsonObject)demos[0])["augmented"]);
        Assert.Same(JsonBool.False, ((JsonObject)demos[1])["augmented"]); // it has no reasoning
    }

    [Fact]
    public void UntypedManifestWithoutDemosCannotBeExported()
    {
        var e = Assert.Throws<DsrsException>(() => DspyExporter.Export(Manifest.Load(TestPaths.Data("seed-manifest.json"))));

        Assert.Equal("DSRS0130", e.Code);
        Assert.Contains("ComplexityClassificationSignature declares no inputs", e.Message);
    }

    [Fact]
    public void WithheldInstructionExportsDspyDefaultInstructions()
    {
        var manifest = Manifest.Load(TestPaths.Data("complexity-typed.json"));
        manifest.Instruction = null;

        var signature = (JsonObject)((JsonObject)DspyExporter.Export(manifest, "classify")["classify"]!)["signature"]!;

        Assert.Equal("Given the fields `task`, `files`, `line_budget`, produce the fields `complexity`, `needs_plan`, `confidence`.", signature.GetString("instructions"));
    }

    [Fact]
    public void BarePredictSaveFileImportsAndExportsInTheSameLayout()
    {
        var original = Program("bare-predict.json");

        var manifest = DspyImporter.Import(original, new DspyImportOptions());
        var exported = DspyExporter.Export(manifest);

        Assert.Equal("ProgramSignature", manifest.SignatureName);
        Assert.Equal(["question"], manifest.Inputs!.Select(f => f.Name));
        Assert.Equal(["answer"], manifest.Outputs!.Select(f => f.Name));
        Assert.Equal("self", ((JsonObject)manifest.Json["source"]!).GetString("predictor"));
        Assert.Equal(original.Names.ToArray(), exported.Names.ToArray());
        Assert.True(JsonValue.DeepEquals(original["signature"], exported["signature"]));
        Assert.True(JsonValue.DeepEquals(original["metadata"], exported["metadata"]));
        Assert.Equal(
            "[{\"question\":\"What is the capital of France?\",\"answer\":\"Paris\",\"augmented\":true}]",
            exported["demos"]!.ToString());
    }

    [Fact]
    public void AnExplicitPredictorKeyStillNestsTheState()
    {
        var manifest = DspyImporter.Import(Program("bare-predict.json"), new DspyImportOptions());

        var exported = DspyExporter.Export(manifest, "answer.predict");

        Assert.Equal(["answer.predict", "metadata"], exported.Names);
        Assert.Equal(["traces", "train", "demos", "signature", "lm"], ((JsonObject)exported["answer.predict"]!).Names);
    }

    [Fact]
    public void AModulePredictorNamedSignatureIsNotTakenForABarePredict()
    {
        var program = JsonParser.ParseObject("""
            {"signature":{"traces":[],"train":[],"demos":[],"signature":{"instructions":"x","fields":[{"prefix":"Q:","description":"${q}"},{"prefix":"A:","description":"${a}"}]},"lm":null},"metadata":{"dependency_versions":{}}}
            """);

        Assert.False(DspyImporter.IsBarePredict(program));
        Assert.Equal(["signature"], DspyImporter.PredictorNames(program));
        Assert.Equal(["q"], DspyImporter.Import(program, new DspyImportOptions()).Inputs!.Select(f => f.Name));
    }
}
