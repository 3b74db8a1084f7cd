using ManifestBuild.Format.Json;
using ManifestBuild.TestSupport;

namespace ManifestBuild.Format.Tests;

public class ManifestTests
{
    private const string SeedId = "8302044eb9ef113e2c6d9a0b19a6dd82509edd289a7d1e0a0f4db8e80d248aa4";

    [Fact]
    public void SeedExampleLoadsAsWrittenAndItsIdVerifies()
    {
        var manifest = Manifest.Load(TestPaths.Data("seed-manifest.json"));

        Assert.Equal("ComplexityClassificationSignature", manifest.SignatureName);
        Assert.Equal("mipro", manifest.Optimizer);
        Assert.Equal(0.87, manifest.Scorecard!.MedianScore);
        Assert.Equal(200, manifest.Scorecard.Rollouts);
        Assert.Equal(["rust", "systems"], manifest.DomainTags);
        Assert.Equal(847, manifest.ExampleCount);
        Assert.Equal(1732000000, manifest.CreatedAt);
        Assert.Null(manifest.Inputs);
        Assert.Null(manifest.Family);
        Assert.Equal(Manifest.FormatV1, manifest.FormatName);
        Assert.Equal("chat", manifest.Adapter);
        Assert.Equal(SeedId, manifest.CompiledId);
        Assert.Equal(SeedId, manifest.VerifyCompiledId());
    }

    [Fact]
    public void SeedExampleSavesByteForByteAsItWasRead()
    {
        var path = TestPaths.Data("seed-manifest.json");
        using var temp = new TempDirectory();
        var copy = temp.Combine("copy.json");

        Manifest.Load(path).Save(copy);

        Assert.Equal(File.ReadAllBytes(path), File.ReadAllBytes(copy));
    }

    [Fact]
    public void TypedManifestReadsFieldsDemosAndScorecard()
    {
        var manifest = Manifest.Load(TestPaths.Data("complexity-typed.json"));

        manifest.VerifyCompiledId();
        Assert.Equal(["task", "files", "line_budget"], manifest.Inputs!.Select(f => f.Name));
        Assert.Equal([FieldTypes.String, FieldTypes.StringArray, FieldTypes.Int], manifest.Inputs!.Select(f => f.Type));
        var complexity = manifest.Outputs![0];
        Assert.Equal(FieldTypes.Enum, complexity.Type);
        Assert.Equal(["low", "medium", "high", "very high"], complexity.Values!);
        Assert.Equal(2, manifest.Demos!.Count);
        Assert.Equal("very high", manifest.Demos[1].Outputs.GetString("complexity"));
        Assert.Equal(0.91, manifest.Scorecard!.Accuracy);
        Assert.Equal("exact_match", manifest.Scorecard.Metric);
        Assert.Equal("ts-2026-11", manifest.TrainsetId);
    }

    [Fact]
    public void UnknownMembersRoundTripAndCountInTheHash()
    {
        var text = File.ReadAllText(TestPaths.Data("seed-manifest.json"))
            .Replace("\"optimizer\": \"mipro\",", "\"optimizer\": \"mipro\",\n  \"x_future\": {\"b\": [1.50, \"\\u00e9\"], \"a\": null},");
        var manifest = Manifest.Parse(text);

        var saved = manifest.ToFileText();
        Assert.Contains("\"optimizer\": \"mipro\",\n  \"x_future\": {\n    \"b\": [\n      1.50,\n      \"\u00e9\"\n    ],\n    \"a\": null\n  },\n", saved);
        Assert.Equal(saved, Manifest.Parse(saved).ToFileText());
        Assert.NotEqual(SeedId, manifest.ComputeCompiledId());
        var e = Assert.Throws<DsrsException>(() => manifest.VerifyCompiledId());
        Assert.Equal("DSRS0104", e.Code);
        Assert.Contains("stated " + SeedId, e.Message);
        Assert.Contains("recomputed " + manifest.ComputeCompiledId(), e.Message);

        manifest.Json.Remove("x_future");
        Assert.Equal(SeedId, manifest.ComputeCompiledId());
    }

    [Fact]
    public void CompiledIdIgnoresOnlyTheCompiledIdMemberAndCoversDemos()
    {
        var a = Manifest.Load(TestPaths.Data("complexity-typed.json"));
        var b = a.Clone();
        b.Json.Remove("compiled_id");
        Assert.Equal(a.ComputeCompiledId(), b.ComputeCompiledId());

        // Same name, optimizer, instruction and demo count, different demo content: different id.
        var demo = (JsonObject)((JsonArray)b.Json["demos"]!)[0];
        ((JsonObject)demo["outputs"]!).Set("confidence", new JsonNumber(0.5));
        Assert.NotEqual(a.ComputeCompiledId(), b.ComputeCompiledId());
    }

    [Fact]
    public void SealCompiledIdKeepsThePositionOrAppends()
    {
        var manifest = new Manifest(new JsonObject().Add("signature_name", "S").Add("compiled_id", "x").Add("optimizer", "gepa"));

        var id = manifest.SealCompiledId();

        Assert.Equal(["signature_name", "compiled_id", "optimizer"], manifest.Json.Names);
        Assert.Equal(id, manifest.VerifyCompiledId());
        Assert.True(manifest.HasValidCompiledId());
    }

    [Fact]
    public void MissingCompiledIdIsRefusedByVerify()
    {
        var manifest = new Manifest(new JsonObject().Add("signature_name", "S"));

        var e = Assert.Throws<DsrsException>(() => manifest.VerifyCompiledId());
        Assert.Equal("DSRS0104", e.Code);
        Assert.Contains("no compiled_id", e.Message);
    }

    [Fact]
    public void TypedSettersWriteTheJson()
    {
        var manifest = new Manifest(new JsonObject().Add("signature_name", "S"));
        manifest.Family = "planning";
        manifest.Inputs = [new ManifestField("question", FieldTypes.String, "The question.")];
        manifest.Outputs = [new ManifestField("verdict", FieldTypes.Enum, null, ["yes", "no"])];
        manifest.ExampleCount = 12;
        manifest.DomainTags = ["go"];
        manifest.Family = null;

        Assert.Equal(
            "{\"signature_name\":\"S\",\"inputs\":[{\"name\":\"question\",\"type\":\"string\",\"description\":\"The question.\"}],\"outputs\":[{\"name\":\"verdict\",\"type\":\"enum\",\"values\":[\"yes\",\"no\"]}],\"example_count\":12,\"domain_tags\":[\"go\"]}",
            manifest.Json.ToString());
        Assert.Empty(ManifestValidator.Validate(manifest.Json));
    }

    [Fact]
    public void LoadNamesTheFileAndTheJsonPosition()
    {
        using var temp = new TempDirectory();
        var path = temp.Write("bad.json", "{\n  \"signature_name\": \"S\",\n}\n");

        var e = Assert.Throws<DsrsException>(() => Manifest.Load(path));

        Assert.Equal("DSRS0100", e.Code);
        Assert.Equal(path + ": invalid JSON at line 3, column 1: trailing comma before '}'", e.Message);
    }

    [Fact]
    public void LoadRefusesMissingFilesAndInvalidUtf8()
    {
        using var temp = new TempDirectory();
        var bad = temp.Combine("latin1.json");
        File.WriteAllBytes(bad, [0x7B, 0x22, 0xE9, 0x22, 0x3A, 0x31, 0x7D]);

        Assert.Equal("DSRS0105", Assert.Throws<DsrsException>(() => Manifest.Load(temp.Combine("missing.json"))).Code);
        Assert.Contains("not valid UTF-8", Assert.Throws<DsrsException>(() => Manifest.Load(bad)).Message);
    }
}
