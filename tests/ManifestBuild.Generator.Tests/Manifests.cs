extern alias gen;

using JsonParser = gen::ManifestBuild.Format.Json.JsonParser;

namespace ManifestBuild.Generator.Tests;

/// <summary>Builds manifest text for tests, with compiled_id computed by the format library's code.</summary>
public static class Manifests
{
    /// <summary>Appends the correct compiled_id member to a JSON object's text.</summary>
    public static string WithId(string json)
    {
        var id = gen::ManifestBuild.Format.CompiledId.Compute(JsonParser.ParseObject(json));
        return json.TrimEnd()[..^1] + ",\"compiled_id\":\"" + id + "\"}";
    }

    public static string IdOf(string json) => gen::ManifestBuild.Format.CompiledId.Compute(JsonParser.ParseObject(json));
}
