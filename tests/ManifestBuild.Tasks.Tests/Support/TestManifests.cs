using ManifestBuild.Format;
using ManifestBuild.Format.Json;

namespace ManifestBuild.Tasks.Tests.Support;

/// <summary>Small, valid manifests made at test time, with their compiled_id computed by the format library.</summary>
public static class TestManifests
{
    public static (string Json, string CompiledId) Complexity(string instruction = "Classify the task's complexity.", string family = "complexity")
    {
        var manifest = new JsonObject()
            .Add("format", "dsrs.manifest/1")
            .Add("signature_name", "ComplexityClassificationSignature")
            .Add("family", family)
            .Add("instruction", instruction)
            .Add("inputs", new JsonArray().Add(new JsonObject().Add("name", "task").Add("type", "string").Add("description", "the task to classify")))
            .Add("outputs", new JsonArray().Add(new JsonObject().Add("name", "complexity").Add("type", "enum")
                .Add("values", new JsonArray().Add("simple").Add("moderate").Add("complex"))))
            .Add("demos", new JsonArray().Add(new JsonObject()
                .Add("inputs", new JsonObject().Add("task", "rename a variable"))
                .Add("outputs", new JsonObject().Add("complexity", "simple"))))
            .Add("optimizer", "mipro")
            .Add("scorecard", new JsonObject().Add("median_score", 0.9).Add("rollouts", 64L).Add("accuracy", 0.91))
            .Add("domain_tags", new JsonArray().Add("rust"))
            .Add("example_count", 847L)
            .Add("created_at", 1767225600L);
        return WithId(manifest);
    }

    public static (string Json, string CompiledId) Planner(string instruction = "Break the goal into ordered steps.")
    {
        var manifest = new JsonObject()
            .Add("signature_name", "PlannerSignature")
            .Add("family", "planning")
            .Add("instruction", instruction)
            .Add("inputs", new JsonArray().Add(new JsonObject().Add("name", "goal").Add("type", "string")))
            .Add("outputs", new JsonArray().Add(new JsonObject().Add("name", "steps").Add("type", "string[]")))
            .Add("optimizer", "bootstrap_fewshot")
            .Add("domain_tags", new JsonArray().Add("agents"))
            .Add("example_count", 12L)
            .Add("created_at", 1767225600L);
        return WithId(manifest);
    }

    private static (string, string) WithId(JsonObject manifest)
    {
        var id = CompiledId.Compute(manifest);
        manifest.Add(CompiledId.MemberName, id);
        return (JsonWriter.WriteFile(manifest), id);
    }
}
