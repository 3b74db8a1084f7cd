using ManifestBuild.Format.Interop;
using ManifestBuild.Format.Json;

namespace ManifestBuild.Format.Tests;

public class DspyImportTests
{
    private static JsonObject Program(string file) => JsonParser.ParseObject(File.ReadAllText(TestPaths.Data("dspy", file)));

    [Fact]
    public void ImportsAChainOfThoughtPredictor()
    {
        var manifest = DspyImporter.Import(Program("complexity-cot.json"), new DspyImportOptions { Family = "complexity", Optimizer = "mipro", CreatedAt = 1764000000 });

        Assert.Equal("ClassifySignature", manifest.SignatureName);
        Assert.Equal("complexity", manifest.Family);
        Assert.Equal("Given a coding task and the files it touches, classify how complex it is.", manifest.Instruction);
        Assert.Equal(["task", "files"], manifest.Inputs!.Select(f => f.Name));
        Assert.Equal(["reasoning", "complexity"], manifest.Outputs!.Select(f => f.Name));
        Assert.Equal("The task as the user wrote it.", manifest.Inputs![0].Description);
        Assert.Null(manifest.Inputs[1].Description); // "${files}" is DSPy's placeholder, not a description
        Assert.Equal(FieldTypes.StringArray, manifest.Inputs[1].Type);
        Assert.Equal(FieldTypes.String, manifest.Outputs![1].Type);
        Assert.Equal(1764000000, manifest.CreatedAt);
        manifest.VerifyCompiledId();
    }

    [Fact]
    public void DemosAreSplitIntoInputsAndOutputsAndBookkeepingIsDropped()
    {
        var manifest = DspyImporter.Import(Program("complexity-cot.json"), new DspyImportOptions());

        var demos = manifest.Demos!;
        Assert.Equal(2, demos.Count);
        Assert.Equal("{\"task\":\"Rename a variable\",\"files\":[\"src/lib.rs\"]}", demos[0].Inputs.ToString());
        Assert.Equal("{\"reasoning\":\"A local rename touching one file.\",\"complexity\":\"low\"}", demos[0].Outputs.ToString());
        Assert.Equal("{\"complexity\":\"very high\"}", demos[1].Outputs.ToString());
        var text = manifest.ToFileText();
        Assert.DoesNotContain("augmented", text);
        Assert.DoesNotContain("dspy_uuid", text);
        Assert.DoesNotContain("dspy_split", text);
    }

    [Fact]
    public void NeverImportsLmState()
    {
        var text = DspyImporter.Import(Program("complexity-cot.json"), new DspyImportOptions()).ToFileText();

        Assert.DoesNotContain("llm-gateway", text);
        Assert.DoesNotContain("api_base", text);
        Assert.DoesNotContain("gpt-4o", text);
        Assert.DoesNotContain("\"lm\"", text);
    }

    [Fact]
    public void KeepsDependencyVersionsAsProvenance()
    {
        var manifest = DspyImporter.Import(Program("complexity-cot.json"), new DspyImportOptions());

        Assert.Equal(
            "{\"kind\":\"dspy\",\"predictor\":\"classify.predict\",\"prefixes\":{\"reasoning\":\"Reasoning: Let's think step by step in order to\"},\"dependency_versions\":{\"python\":\"3.11\",\"dspy\":\"3.0.3\",\"cloudpickle\":\"3.1\"}}",
            manifest.Json["source"]!.ToString());
    }

    [Fact]
    public void ImportIsDeterministic()
    {
        var a = DspyImporter.Import(Program("complexity-cot.json"), new DspyImportOptions());
        var b = DspyImporter.Import(Program("complexity-cot.json"), new DspyImportOptions());

        Assert.Equal(a.ToFileText(), b.ToFileText());
        Assert.Equal(a.CompiledId, b.CompiledId);
    }

    [Fact]
    public void SeveralPredictorsAskWhichOne()
    {
        var e = Assert.Throws<DsrsException>(() => DspyImporter.Import(Program("rag-two-predictors.json"), new DspyImportOptions()));

        Assert.Equal("DSRS0111", e.Code);
        Assert.Contains("generate_query, generate_answer", e.Message);
        Assert.Contains("--predictor", e.Message);
    }

    [Fact]
    public void UnknownPredictorIsRefused()
    {
        var e = Assert.Throws<DsrsException>(() => DspyImporter.Import(Program("rag-two-predictors.json"), new DspyImportOptions { Predictor = "nope" }));

        Assert.Equal("DSRS0112", e.Code);
    }

    [Fact]
    public void ChosenPredictorUsesPrefixesDescriptionsAndOutputNames()
    {
        var manifest = DspyImporter.Import(
            Program("rag-two-predictors.json"),
            new DspyImportOptions { Predictor = "generate_answer", OutputFields = ["answer", "confidence", "hops", "grounded"] });

        // "Context:" has a custom description and is named from its prefix and the demo keys.
        Assert.Equal(["context", "question"], manifest.Inputs!.Select(f => f.Name));
        Assert.Equal("may contain relevant facts", manifest.Inputs![0].Description);
        Assert.Equal(
            [FieldTypes.String, FieldTypes.Float, FieldTypes.Int, FieldTypes.Bool],
            manifest.Outputs!.Select(f => f.Type));
        Assert.Equal("GenerateAnswerSignature", manifest.SignatureName);
    }

    [Fact]
    public void WithoutOutputNamesTheLastFieldIsTheOutput()
    {
        var manifest = DspyImporter.Import(Program("rag-two-predictors.json"), new DspyImportOptions { Predictor = "generate_query" });

        Assert.Equal(["question"], manifest.Inputs!.Select(f => f.Name));
        Assert.Equal(["search_query"], manifest.Outputs!.Select(f => f.Name));
    }

    [Fact]
    public void OutputNamesThatAreNotTheTailAreRefused()
    {
        var e = Assert.Throws<DsrsException>(() => DspyImporter.Import(
            Program("rag-two-predictors.json"),
            new DspyImportOptions { Predictor = "generate_answer", OutputFields = ["question"] }));

        Assert.Equal("DSRS0113", e.Code);
    }

    [Fact]
    public void ImportAllGivesOneManifestPerPredictor()
    {
        var all = DspyImporter.ImportAll(Program("rag-two-predictors.json"), new DspyImportOptions());

        Assert.Equal(["generate_query", "generate_answer"], all.Select(p => p.Key));
        Assert.Equal(["GenerateQuerySignature", "GenerateAnswerSignature"], all.Select(p => p.Value.SignatureName));
        Assert.All(all, p => p.Value.VerifyCompiledId());
    }

    [Fact]
    public void UnnamableFieldIsRefusedWithItsIndex()
    {
        var program = JsonParser.ParseObject("""
            {"self":{"demos":[],"signature":{"instructions":"x","fields":[{"prefix":"Q:","description":"${q}"},{"prefix":"???","description":"free text"}]},"lm":null}}
            """);

        var e = Assert.Throws<DsrsException>(() => DspyImporter.Import(program, new DspyImportOptions()));

        Assert.Equal("DSRS0113", e.Code);
        Assert.Contains("signature.fields[1]", e.Message);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("{\"metadata\":{\"dependency_versions\":{}}}")]
    [InlineData("{\"self\":{\"demos\":[]}}")]
    public void NonProgramsAreRefused(string json)
    {
        var e = Assert.Throws<DsrsException>(() => DspyImporter.Import(JsonParser.ParseObject(json), new DspyImportOptions()));

        Assert.Equal("DSRS0110", e.Code);
    }

    [Theory]
    [InlineData("question", "Question")]
    [InlineData("snake_case_text", "Snake Case Text")]
    [InlineData("camelCaseText", "Camel Case Text")]
    [InlineData("text2number", "Text 2 Number")]
    [InlineData("HTMLParser", "HTML Parser")]
    [InlineData("search_query", "Search Query")]
    public void InferPrefixMatchesDspy(string name, string expected)
    {
        Assert.Equal(expected, DspyNames.InferPrefix(name));
    }
}
