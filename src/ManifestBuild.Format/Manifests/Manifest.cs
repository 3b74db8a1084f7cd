using System.Text;
using ManifestBuild.Format.Json;

namespace ManifestBuild.Format;

/// <summary>
/// A dsrs.manifest/1 document (protocol §1). The JSON object is the source of truth: the typed
/// properties read and write it, so members this version does not know are kept in place, saved
/// unchanged and counted in compiled_id.
/// </summary>
public sealed class Manifest
{
    public const string FormatV1 = "dsrs.manifest/1";

    /// <summary>Wraps a JSON object without validating it (see <see cref="FromJson"/>).</summary>
    public Manifest(JsonObject json)
    {
        Json = json ?? throw new ArgumentNullException(nameof(json));
    }

    public JsonObject Json { get; }

    /// <summary>Validates a JSON object as a manifest and wraps it (DSRS0101 naming every problem).</summary>
    public static Manifest FromJson(JsonObject json)
    {
        ManifestValidator.ThrowIfInvalid(json);
        return new Manifest(json);
    }

    /// <summary>Parses and validates manifest text (DSRS0100 for bad JSON, DSRS0101 for bad content).</summary>
    public static Manifest Parse(string text)
    {
        var value = JsonParser.Parse(text);
        if (value is not JsonObject json)
        {
            throw new DsrsException(FormatErrorCodes.InvalidManifest, "a manifest must be a JSON object, found " + value.KindName());
        }

        return FromJson(json);
    }

    /// <summary>Reads, parses and validates a manifest file (not its compiled_id: see <see cref="VerifyCompiledId"/>).</summary>
    public static Manifest Load(string path)
    {
        var text = ReadText(path);
        try
        {
            return Parse(text);
        }
        catch (DsrsException e)
        {
            throw new DsrsException(e.Code, path + ": " + e.Message, e);
        }
    }

    /// <summary>
    /// Like <see cref="Load"/>, but whatever the stated compiled_id says (missing, stale, or a placeholder
    /// such as "a3f2b8c9d4e5..."): the content is validated without it. For <c>dsrs id</c>, whose job is
    /// the id the content should state.
    /// </summary>
    public static Manifest LoadWithAnyStatedId(string path)
    {
        var text = ReadText(path);
        try
        {
            var value = JsonParser.Parse(text);
            if (value is not JsonObject json)
            {
                throw new DsrsException(FormatErrorCodes.InvalidManifest, "a manifest must be a JSON object, found " + value.KindName());
            }

            var content = json.CloneObject();
            content.Remove(Format.CompiledId.MemberName);
            ManifestValidator.ThrowIfInvalid(content);
            return new Manifest(json);
        }
        catch (DsrsException e)
        {
            throw new DsrsException(e.Code, path + ": " + e.Message, e);
        }
    }

    /// <summary>Reads a UTF-8 text file, refusing invalid UTF-8 (DSRS0105).</summary>
    public static string ReadText(string path)
    {
        try
        {
            var bytes = File.ReadAllBytes(path);
            var offset = bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0;
            return new UTF8Encoding(false, true).GetString(bytes, offset, bytes.Length - offset);
        }
        catch (DecoderFallbackException)
        {
            throw new DsrsException(FormatErrorCodes.FileUnreadable, path + " is not valid UTF-8");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DsrsException(FormatErrorCodes.FileUnreadable, "cannot read " + path + ": " + e.Message);
        }
    }

    /// <summary>The file text: two-space indent, LF, trailing newline, members in document order.</summary>
    public string ToFileText() => JsonWriter.WriteFile(Json);

    /// <summary>Writes the manifest to a file (temp file + rename, so readers never see half a file).</summary>
    public void Save(string path) => AtomicFile.WriteAllText(path, ToFileText());

    public Manifest Clone() => new(Json.CloneObject());

    /// <summary>The recomputed compiled_id.</summary>
    public string ComputeCompiledId() => Format.CompiledId.Compute(Json);

    /// <summary>Sets compiled_id to the recomputed id (in place when present, else last) and returns it.</summary>
    public string SealCompiledId()
    {
        var id = ComputeCompiledId();
        Json.Set("compiled_id", new JsonString(id));
        return id;
    }

    /// <summary>Throws DSRS0104 naming both ids unless the stated compiled_id matches the content.</summary>
    public string VerifyCompiledId() => Format.CompiledId.Verify(Json);

    public bool HasValidCompiledId() => CompiledId is { } stated && string.Equals(stated, ComputeCompiledId(), StringComparison.Ordinal);

    public string FormatName
    {
        get => Json.GetString("format") ?? FormatV1;
        set => Json.Set("format", new JsonString(value));
    }

    public string SignatureName
    {
        get => Json.GetString("signature_name") ?? string.Empty;
        set => Json.Set("signature_name", new JsonString(value));
    }

    public string? Family
    {
        get => Json.GetString("family");
        set => SetString("family", value);
    }

    public string? Instruction
    {
        get => Json.GetString("instruction");
        set => SetString("instruction", value);
    }

    /// <summary>Input fields, or null for an untyped manifest.</summary>
    public IReadOnlyList<ManifestField>? Inputs
    {
        get => ReadFields("inputs");
        set => SetArray("inputs", value?.Select(f => (JsonValue)f.ToJson()));
    }

    /// <summary>Output fields, or null for an untyped manifest.</summary>
    public IReadOnlyList<ManifestField>? Outputs
    {
        get => ReadFields("outputs");
        set => SetArray("outputs", value?.Select(f => (JsonValue)f.ToJson()));
    }

    public IReadOnlyList<ManifestDemo>? Demos
    {
        get => Json["demos"] is JsonArray demos ? demos.OfType<JsonObject>().Select(ManifestDemo.FromJson).ToArray() : null;
        set => SetArray("demos", value?.Select(d => (JsonValue)d.ToJson()));
    }

    public string? Optimizer
    {
        get => Json.GetString("optimizer");
        set => SetString("optimizer", value);
    }

    /// <summary>The prompt layout: <c>chat</c> (default) or <c>json</c>.</summary>
    public string Adapter
    {
        get => Json.GetString("adapter") ?? "chat";
        set => Json.Set("adapter", new JsonString(value));
    }

    public ManifestScorecard? Scorecard => Json["scorecard"] is JsonObject scorecard ? new ManifestScorecard(scorecard) : null;

    public IReadOnlyList<string> DomainTags
    {
        get => Json["domain_tags"] is JsonArray tags ? tags.Select(t => t.AsString()).OfType<string>().ToArray() : [];
        set => SetArray("domain_tags", value?.Select(t => (JsonValue)new JsonString(t)));
    }

    public long? ExampleCount
    {
        get => ReadInt64(Json, "example_count");
        set => SetInt64("example_count", value);
    }

    public string? TrainsetId
    {
        get => Json.GetString("trainset_id");
        set => SetString("trainset_id", value);
    }

    /// <summary>Unix seconds.</summary>
    public long? CreatedAt
    {
        get => ReadInt64(Json, "created_at");
        set => SetInt64("created_at", value);
    }

    /// <summary>The stated compiled_id (not checked; see <see cref="VerifyCompiledId"/>).</summary>
    public string? CompiledId => Json.GetString("compiled_id");

    internal static long? ReadInt64(JsonObject json, string name) =>
        json[name] is JsonNumber n && n.TryGetInt64(out var value) ? value : null;

    private IReadOnlyList<ManifestField>? ReadFields(string name) =>
        Json[name] is JsonArray fields ? fields.OfType<JsonObject>().Select(ManifestField.FromJson).ToArray() : null;

    private void SetString(string name, string? value) => Json[name] = value is null ? null : new JsonString(value);

    private void SetInt64(string name, long? value) => Json[name] = value is null ? null : new JsonNumber(value.Value);

    private void SetArray(string name, IEnumerable<JsonValue>? items) => Json[name] = items is null ? null : new JsonArray(items);
}
