using ManifestBuild.Format.Json;

namespace ManifestBuild.Format.Datasets;

/// <summary>
/// A dsrs.dataset/1 document: the training examples behind a family of manifests, sold as an asset of
/// its own. Like <see cref="Manifest"/>, the JSON object is the source of truth and unknown members are
/// kept and hashed. <c>dataset_id</c> is computed like compiled_id: lowercase hex SHA-256 of the RFC 8785
/// canonical bytes of the object without its <c>dataset_id</c> member.
/// </summary>
public sealed class Dataset
{
    public const string FormatV1 = "dsrs.dataset/1";
    public const string IdMember = "dataset_id";

    private Dataset(JsonObject json) => Json = json;

    public JsonObject Json { get; }

    public string Family => Json.GetString("family") ?? string.Empty;

    public IReadOnlyList<string> DomainTags => Json["domain_tags"] is JsonArray tags ? [.. tags.Select(t => t.AsString() ?? string.Empty)] : [];

    public IReadOnlyList<ManifestField> Inputs => Fields("inputs");

    public IReadOnlyList<ManifestField> Outputs => Fields("outputs");

    /// <summary>The examples, each <c>{inputs:{...}, outputs:{...}, provenance?:{public, repository?}}</c>; empty in a listing.</summary>
    public IReadOnlyList<JsonObject> Examples => Json["examples"] is JsonArray examples ? [.. examples.OfType<JsonObject>()] : [];

    public long ExampleCount => Json["example_count"] is JsonNumber n && n.TryGetInt64(out var v) ? v : Examples.Count;

    public string? StatedId => Json.GetString(IdMember);

    /// <summary>Validates and wraps (DSRS0150 naming every problem; DSRS0106 for a newer format).</summary>
    public static Dataset FromJson(JsonObject json)
    {
        if (json.GetString("format") is { } format && format != FormatV1)
        {
            throw new DsrsException(
                format.StartsWith("dsrs.dataset/", StringComparison.Ordinal) ? FormatErrorCodes.UnsupportedFormat : FormatErrorCodes.InvalidDataset,
                "format \"" + format + "\" is not " + FormatV1);
        }

        var problems = DatasetValidator.Validate(json);
        if (problems.Count > 0)
        {
            throw new DsrsException(FormatErrorCodes.InvalidDataset, string.Join("; ", problems));
        }

        return new Dataset(json);
    }

    public static Dataset Parse(string text) => JsonParser.Parse(text) is JsonObject json
        ? FromJson(json)
        : throw new DsrsException(FormatErrorCodes.InvalidDataset, "a dataset must be a JSON object");

    public static Dataset Load(string path)
    {
        try
        {
            return Parse(Manifest.ReadText(path));
        }
        catch (DsrsException e) when (e.Code != FormatErrorCodes.FileUnreadable)
        {
            throw new DsrsException(e.Code, path + ": " + e.Message, e);
        }
    }

    /// <summary>True when the JSON is a dataset rather than a manifest (its format says so).</summary>
    public static bool IsDataset(JsonValue value) => value is JsonObject o && o.GetString("format") == FormatV1;

    public static string ComputeId(JsonObject json)
    {
        var hashed = new JsonObject();
        foreach (var member in json.Members.Where(m => m.Key != IdMember))
        {
            hashed.Add(member.Key, member.Value);
        }

        return CompiledId.Sha256Hex(JsonCanonicalizer.CanonicalizeToUtf8(hashed));
    }

    /// <summary>The recomputed id; throws DSRS0151 when the stated one is missing or differs.</summary>
    public string VerifyId()
    {
        var computed = ComputeId(Json);
        return StatedId == computed
            ? computed
            : throw new DsrsException(FormatErrorCodes.DatasetIdMismatch, StatedId is null
                ? "the dataset has no dataset_id; recomputed " + computed + " (write it with `dsrs dataset id --write`)"
                : "dataset_id mismatch: stated " + StatedId + ", recomputed " + computed + " (the content changed; `dsrs dataset id --write` records the new id)");
    }

    /// <summary>A copy with example_count and dataset_id recomputed: what every writer saves.</summary>
    public static Dataset Seal(JsonObject json)
    {
        var copy = (JsonObject)json.DeepClone();
        if (copy["examples"] is JsonArray examples)
        {
            copy.Set("example_count", new JsonNumber(examples.Count));
        }

        copy.Remove(IdMember);
        copy.Add(IdMember, ComputeId(copy));
        return FromJson(copy);
    }

    public string ToFileText() => JsonWriter.WriteFile(Json);

    public void Save(string path) => AtomicFile.WriteAllText(path, ToFileText());

    private IReadOnlyList<ManifestField> Fields(string member) =>
        Json[member] is JsonArray fields ? [.. fields.OfType<JsonObject>().Select(ManifestField.FromJson)] : [];
}
