using ManifestBuild.Format.Datasets;
using ManifestBuild.Format.Json;

namespace ManifestBuild.Format.Tests;

public sealed class DatasetTests
{
    // The seed's own example shape, grouped per family.
    private const string SeedExamples = """
        {"complexity_examples": [
          {"task_description": "Add retry logic to the HTTP client", "file_count": 3, "estimated_tokens": 8000, "keywords": ["add","retry","http"], "expected_complexity": "Medium", "confidence": 0.89},
          {"task_description": "Rename a variable", "file_count": 1, "estimated_tokens": 300, "keywords": ["rename"], "expected_complexity": "Low", "confidence": 1},
          {"task_description": "Rewrite the scheduler", "file_count": 14, "estimated_tokens": 60000, "keywords": ["scheduler"], "expected_complexity": "High", "confidence": 0.7},
          {"task_description": "Fix a typo", "file_count": 1, "estimated_tokens": 120, "keywords": [], "expected_complexity": "Low", "confidence": 0.99}
        ]}
        """;

    private static Dataset ImportSeed() => DatasetImporter.Import(SeedExamples, new DatasetImportOptions { DomainTags = ["Rust"], CreatedAt = 1_700_000_000 });

    [Fact]
    public void The_seed_shape_imports_with_a_typed_schema_and_a_content_address()
    {
        var dataset = ImportSeed();
        Assert.Equal("complexity", dataset.Family);
        Assert.Equal(["rust"], dataset.DomainTags);
        Assert.Equal(
            ["task_description:string", "file_count:int", "estimated_tokens:int", "keywords:string[]"],
            dataset.Inputs.Select(f => f.Name + ":" + f.Type));
        Assert.Equal(["expected_complexity:enum", "confidence:float"], dataset.Outputs.Select(f => f.Name + ":" + f.Type));
        Assert.Equal(["Medium", "Low", "High"], dataset.Outputs[0].Values);
        Assert.Equal(4, dataset.ExampleCount);
        Assert.Equal(Dataset.ComputeId(dataset.Json), dataset.VerifyId());
        Assert.Equal(dataset.StatedId, Dataset.Parse(dataset.ToFileText()).VerifyId());
        Assert.Equal("private", ((JsonObject)dataset.Json["provenance"]!).GetString("visibility"));
    }

    [Fact]
    public void Any_change_to_the_content_changes_the_dataset_id()
    {
        var dataset = ImportSeed();
        var edited = (JsonObject)dataset.Json.DeepClone();
        ((JsonObject)((JsonObject)((JsonArray)edited["examples"]!)[0])["outputs"]!).Set("confidence", new JsonNumber(0.5));
        var e = Assert.Throws<DsrsException>(() => Dataset.FromJson(edited).VerifyId());
        Assert.Equal(FormatErrorCodes.DatasetIdMismatch, e.Code);
        Assert.NotEqual(dataset.StatedId, Dataset.Seal(edited).StatedId);
    }

    [Fact]
    public void A_dspy_example_list_uses_the_named_inputs_and_skips_private_members()
    {
        var dspy = """[{"question": "2+2?", "answer": "4", "_input_keys": ["question"]}, {"question": "3+3?", "answer": "6"}]""";
        var dataset = DatasetImporter.Import(dspy, new DatasetImportOptions { Family = "math", InputNames = ["question"] });
        Assert.Equal(["question"], dataset.Inputs.Select(f => f.Name));
        Assert.Equal(["answer"], dataset.Outputs.Select(f => f.Name));
        Assert.Equal("string", dataset.Outputs[0].Type); // every answer distinct: not an enum
    }

    [Fact]
    public void Demo_shaped_json_lines_import_as_they_are()
    {
        var lines = "{\"inputs\":{\"task\":\"a\"},\"outputs\":{\"delegate\":true}}\n{\"inputs\":{\"task\":\"b\"},\"outputs\":{\"delegate\":false}}\n";
        var dataset = DatasetImporter.Import(lines, new DatasetImportOptions { Family = "delegation" });
        Assert.Equal("bool", dataset.Outputs.Single().Type);
        Assert.Equal(2, dataset.Examples.Count);
    }

    [Fact]
    public void Export_to_dspy_and_back_keeps_every_example_and_the_schema()
    {
        var dataset = ImportSeed();
        var (json, inputNames) = DatasetExporter.ToDspy(dataset);
        var flat = (JsonArray)JsonParser.Parse(json);
        Assert.Equal(4, flat.Count);
        Assert.Equal("Medium", flat[0].AsObject()!.GetString("expected_complexity"));
        var again = DatasetImporter.Import(json, new DatasetImportOptions { Family = "complexity", InputNames = inputNames, DomainTags = ["rust"], CreatedAt = 1_700_000_000 });
        Assert.Equal(dataset.Inputs.Select(f => f.Name + f.Type), again.Inputs.Select(f => f.Name + f.Type));
        Assert.Equal(dataset.StatedId, again.StatedId);

        var jsonl = DatasetExporter.ToJsonLines(dataset).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, jsonl.Length);
        Assert.True(JsonParser.Parse(jsonl[1]).DeepEquals(new JsonObject()
            .Add("inputs", dataset.Examples[1]["inputs"]!.DeepClone())
            .Add("outputs", dataset.Examples[1]["outputs"]!.DeepClone())));
    }

    [Fact]
    public void The_validator_names_the_member_and_the_rule()
    {
        var json = (JsonObject)ImportSeed().Json.DeepClone();
        ((JsonObject)((JsonObject)((JsonArray)json["examples"]!)[1])["inputs"]!).Set("file_count", new JsonString("one"));
        json.Set("example_count", new JsonNumber(9));
        json.Remove("family");
        var e = Assert.Throws<DsrsException>(() => Dataset.FromJson(json));
        Assert.Equal(FormatErrorCodes.InvalidDataset, e.Code);
        Assert.Contains("examples[1].inputs.file_count must be a int value", e.Message, StringComparison.Ordinal);
        Assert.Contains("example_count says 9 but the dataset holds 4 examples", e.Message, StringComparison.Ordinal);
        Assert.Contains("family is required", e.Message, StringComparison.Ordinal);

        var undeclared = (JsonObject)ImportSeed().Json.DeepClone();
        ((JsonObject)((JsonObject)((JsonArray)undeclared["examples"]!)[0])["outputs"]!).Add("extra", new JsonNumber(1));
        Assert.Contains("examples[0].outputs.extra is not a declared output field", Assert.Throws<DsrsException>(() => Dataset.FromJson(undeclared)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Mixed_value_types_and_missing_outputs_are_refused_at_import()
    {
        Assert.Equal(FormatErrorCodes.DatasetImportFailed, Assert.Throws<DsrsException>(() =>
            DatasetImporter.Import("""[{"a": 1, "label": "x"}, {"a": "one", "label": "y"}]""", new DatasetImportOptions { Family = "f" })).Code);
        Assert.Equal(FormatErrorCodes.DatasetImportFailed, Assert.Throws<DsrsException>(() =>
            DatasetImporter.Import("""[{"a": 1}]""", new DatasetImportOptions { Family = "f" })).Code);
        Assert.Equal(FormatErrorCodes.DatasetImportFailed, Assert.Throws<DsrsException>(() =>
            DatasetImporter.Import("""[{"a": 1, "label": "x"}]""", new DatasetImportOptions())).Code); // no family anywhere
    }

    [Fact]
    public void A_newer_format_version_is_refused_as_unsupported()
    {
        var json = (JsonObject)ImportSeed().Json.DeepClone();
        json.Set("format", new JsonString("dsrs.dataset/2"));
        Assert.Equal(FormatErrorCodes.UnsupportedFormat, Assert.Throws<DsrsException>(() => Dataset.FromJson(json)).Code);
    }
}
