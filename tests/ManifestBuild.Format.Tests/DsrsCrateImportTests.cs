using ManifestBuild.Format.Interop;
using ManifestBuild.Format.Json;

namespace ManifestBuild.Format.Tests;

public class DsrsCrateImportTests
{
    private static JsonObject Crate(string file) => JsonParser.ParseObject(File.ReadAllText(TestPaths.Data("dsrs", file)));

    [Fact]
    public void ImportsEveryMemberAndKeepsTheCratesIdAsSource()
    {
        var manifest = DsrsCrateImporter.Import(Crate("planning-compiled.json"), family: "planning", domainTags: ["rust"]);

        Assert.Equal("PlanningSignature", manifest.SignatureName);
        Assert.Equal("gepa", manifest.Optimizer);
        Assert.Equal("planning", manifest.Family);
        Assert.Equal("Plan the change as a numbered list of steps, each naming the files it touches.", manifest.Instruction);
        Assert.Equal(0.85, manifest.Scorecard!.MedianScore);
        Assert.Equal(10, manifest.Scorecard.Rollouts);
        Assert.Equal(0.1, manifest.Scorecard.PFail);
        Assert.Equal("{\"retrieval_recall@10\":0.9}", manifest.Scorecard.ProxyMetrics!.ToString());
        Assert.Equal(1763500000, manifest.CreatedAt);
        Assert.Equal("d2c1b0a9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b2a1f0e9d8c7b6a5f4e3d2c1", manifest.TrainsetId);
        Assert.Equal("3b1f6c2d9e8a7f6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b", manifest.Json.GetString("source_compiled_id"));
        Assert.Equal("{\"required_tools\":[\"ripgrep\"],\"privacy_modes_allowed\":[\"public_ok\"]}", manifest.Json["compatibility"]!.ToString());
        Assert.Equal("{\"kind\":\"dsrs\",\"optimizer\":\"GEPA\",\"demo_count\":3,\"promotion_state\":\"candidate\"}", manifest.Json["source"]!.ToString());
        Assert.NotEqual(manifest.Json.GetString("source_compiled_id"), manifest.CompiledId);
        manifest.VerifyCompiledId();
    }

    [Fact]
    public void MinimalCrateManifestImportsAndRoundTripsThroughAFile()
    {
        var manifest = DsrsCrateImporter.Import(Crate("minimal-compiled.json"));

        Assert.Equal("mipro", manifest.Optimizer);
        Assert.Null(manifest.Json["compatibility"]);
        Assert.Null(manifest.Json["source_compiled_id"]);
        var reloaded = Manifest.Parse(manifest.ToFileText());
        Assert.Equal(manifest.CompiledId, reloaded.VerifyCompiledId());
        Assert.Equal(manifest.ToFileText(), reloaded.ToFileText());
    }

    [Theory]
    [InlineData("{\"optimizer\":\"GEPA\",\"created_at\":1}", "signature_name is required")]
    [InlineData("{\"signature_name\":\"S\",\"created_at\":1}", "optimizer is required")]
    [InlineData("{\"signature_name\":\"S\",\"optimizer\":\"GEPA\"}", "created_at is required")]
    [InlineData("{\"signature_name\":\"S\",\"optimizer\":\"GEPA\",\"created_at\":-5}", "created_at must be a non-negative integer")]
    public void RefusesFilesThatAreNotCrateManifests(string json, string why)
    {
        var e = Assert.Throws<DsrsException>(() => DsrsCrateImporter.Import(JsonParser.ParseObject(json)));

        Assert.Equal("DSRS0120", e.Code);
        Assert.Contains(why, e.Message);
    }
}
