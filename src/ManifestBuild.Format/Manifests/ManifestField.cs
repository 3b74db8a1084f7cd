using ManifestBuild.Format.Json;

namespace ManifestBuild.Format;

/// <summary>The field types of dsrs.manifest/1 (protocol §1).</summary>
public static class FieldTypes
{
    public const string String = "string";
    public const string Int = "int";
    public const string Float = "float";
    public const string Bool = "bool";
    public const string StringArray = "string[]";
    public const string Enum = "enum";

    public static readonly IReadOnlyList<string> All = [String, Int, Float, Bool, StringArray, Enum];

    public static bool IsKnown(string? type) => type is not null && All.Contains(type, StringComparer.Ordinal);
}

/// <summary>One input or output field: <c>{name, type, description?, values?}</c>.</summary>
public sealed class ManifestField
{
    public ManifestField(string name, string type, string? description = null, IReadOnlyList<string>? values = null)
    {
        Name = name;
        Type = type;
        Description = description;
        Values = values;
    }

    public string Name { get; }

    public string Type { get; }

    public string? Description { get; }

    /// <summary>The members of an enum field (null for other types).</summary>
    public IReadOnlyList<string>? Values { get; }

    /// <summary>Reads a field from a validated manifest (missing parts read as empty/null).</summary>
    public static ManifestField FromJson(JsonObject json) =>
        new(
            json.GetString("name") ?? string.Empty,
            json.GetString("type") ?? FieldTypes.String,
            json.GetString("description"),
            json["values"] is JsonArray values ? values.Select(v => v.AsString() ?? string.Empty).ToArray() : null);

    public JsonObject ToJson()
    {
        var json = new JsonObject().Add("name", Name).Add("type", Type);
        if (Values is not null)
        {
            json.Add("values", JsonArray.OfStrings(Values));
        }

        if (Description is not null)
        {
            json.Add("description", Description);
        }

        return json;
    }
}

/// <summary>One few-shot example: <c>{inputs:{name:value}, outputs:{name:value}}</c>.</summary>
public sealed class ManifestDemo
{
    public ManifestDemo(JsonObject inputs, JsonObject outputs)
    {
        Inputs = inputs;
        Outputs = outputs;
    }

    public JsonObject Inputs { get; }

    public JsonObject Outputs { get; }

    public static ManifestDemo FromJson(JsonObject json) =>
        new(json["inputs"] as JsonObject ?? new JsonObject(), json["outputs"] as JsonObject ?? new JsonObject());

    public JsonObject ToJson() => new JsonObject().Add("inputs", Inputs).Add("outputs", Outputs);
}

/// <summary>A read view of the <c>scorecard</c> object; unknown members stay in <see cref="Json"/>.</summary>
public sealed class ManifestScorecard
{
    public ManifestScorecard(JsonObject json)
    {
        Json = json;
    }

    public JsonObject Json { get; }

    public double? MedianScore => (Json["median_score"] as JsonNumber)?.Value;

    public long? Rollouts => Manifest.ReadInt64(Json, "rollouts");

    public double? PFail => (Json["p_fail"] as JsonNumber)?.Value;

    /// <summary>Held-out accuracy, 0 to 1.</summary>
    public double? Accuracy => (Json["accuracy"] as JsonNumber)?.Value;

    public long? HoldoutSize => Manifest.ReadInt64(Json, "holdout_size");

    public string? Metric => Json.GetString("metric");

    public JsonValue? ProxyMetrics => Json["proxy_metrics"];

    public JsonValue? TruthMetrics => Json["truth_metrics"];
}
