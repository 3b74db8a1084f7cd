using ManifestBuild.Format;
using ManifestBuild.Format.Json;

namespace ManifestBuild.Market.Tests;

/// <summary>Small valid manifests for the tests, with their compiled_id computed.</summary>
internal static class MarketSamples
{
    public static JsonObject Manifest(string instruction = "Classify the complexity of the Rust change.", double accuracy = 0.91, long examples = 847, string family = "complexity", string? extraDemo = null)
    {
        var demos = new JsonArray()
            .Add(Demo("fn main() { println!(\"hi\"); }", "simple"));
        if (extraDemo is not null)
        {
            demos.Add(Demo(extraDemo, "complex"));
        }

        var manifest = new JsonObject()
            .Add("format", "dsrs.manifest/1")
            .Add("signature_name", "ComplexityClassificationSignature")
            .Add("family", family)
            .Add("instruction", instruction)
            .Add("inputs", new JsonArray().Add(new JsonObject().Add("name", "code").Add("type", "string").Add("description", "the change")))
            .Add("outputs", new JsonArray().Add(new JsonObject().Add("name", "complexity").Add("type", "enum").Add("values", JsonArray.OfStrings(["simple", "complex", "needs_review"]))))
            .Add("demos", demos)
            .Add("optimizer", "mipro")
            .Add("scorecard", new JsonObject().Add("median_score", 0.88).Add("rollouts", 32).Add("accuracy", accuracy))
            .Add("domain_tags", JsonArray.OfStrings(["rust", "systems"]))
            .Add("example_count", examples)
            .Add("created_at", 1_760_000_000L);
        manifest.Add("compiled_id", CompiledId.Compute(manifest));
        return manifest;
    }

    public static string Id(JsonObject manifest) => manifest.GetString("compiled_id")!;

    private static JsonObject Demo(string code, string complexity) =>
        new JsonObject()
            .Add("inputs", new JsonObject().Add("code", code))
            .Add("outputs", new JsonObject().Add("complexity", complexity));
}
