using ManifestBuild.Format;
using ManifestBuild.Format.Json;

namespace ManifestBuild.Runtime.Tests;

/// <summary>Manifests of <see cref="Complexity"/>'s signature (and variants), sealed with the format library's compiled_id.</summary>
public static class ComplexityManifest
{
    /// <summary>The fields, instruction and demo of <see cref="Complexity.Signature"/>, as a manifest.</summary>
    public const string Json = """
        {"format":"dsrs.manifest/1","signature_name":"ComplexitySignature","instruction":"Classify the task.\nBe careful.",
         "inputs":[{"name":"task","type":"string","description":"The task."},{"name":"files","type":"string[]","description":"Files touched."}],
         "outputs":[{"name":"complexity","type":"enum","values":["low","medium","high","very high"],"description":"How complex."},
                    {"name":"needs_plan","type":"bool"},{"name":"steps","type":"int"},{"name":"confidence","type":"float","description":"0 to 1."}],
         "demos":[{"inputs":{"task":"Rename x","files":["a.rs"]},"outputs":{"complexity":"low","needs_plan":false,"steps":1,"confidence":0.95}}]}
        """;

    /// <summary>A newer manifest of the same fields: another instruction, other demos, fields reordered, a description changed.</summary>
    public const string Newer = """
        {"format":"dsrs.manifest/1","signature_name":"ComplexitySignature","instruction":"Rate the task's complexity; count the steps.",
         "inputs":[{"name":"files","type":"string[]"},{"name":"task","type":"string","description":"What the user asked."}],
         "outputs":[{"name":"steps","type":"int"},{"name":"complexity","type":"enum","values":["low","medium","high","very high"]},
                    {"name":"needs_plan","type":"bool"},{"name":"confidence","type":"float"}],
         "demos":[{"inputs":{"task":"Port to async","files":["a.rs","b.rs"]},"outputs":{"complexity":"very high","needs_plan":true,"steps":9,"confidence":0.6}},
                  {"inputs":{"task":"Fix a typo","files":["README.md"]},"outputs":{"complexity":"low","needs_plan":false,"steps":1,"confidence":0.99}}],
         "created_at":1765000000}
        """;

    /// <summary>The manifest text with its compiled_id, and the id.</summary>
    public static (string Text, string Id) Seal(string json)
    {
        var manifest = new Manifest(JsonParser.ParseObject(json));
        var id = manifest.SealCompiledId();
        return (manifest.ToFileText(), id);
    }

    public static DynamicSignature Load(string json, IReadOnlyList<string>? untypedInputs = null, IReadOnlyList<string>? untypedOutputs = null)
    {
        var (text, id) = Seal(json);
        return DynamicSignature.FromManifest(text, id, untypedInputs, untypedOutputs);
    }

    /// <summary>Edits the manifest's JSON (then re-sealed by <see cref="Load"/>).</summary>
    public static string Edit(string json, Action<JsonObject> edit)
    {
        var value = JsonParser.ParseObject(json);
        edit(value);
        return JsonWriter.WriteFile(value);
    }

    /// <summary>The output field <paramref name="name"/> of the manifest's JSON.</summary>
    public static JsonObject Output(JsonObject manifest, string name) =>
        ((JsonArray)manifest["outputs"]!).OfType<JsonObject>().Single(f => f.GetString("name") == name);
}
