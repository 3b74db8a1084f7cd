using ManifestBuild.Format;
using ManifestBuild.Format.Datasets;
using ManifestBuild.Format.Json;

namespace ManifestBuild.Market.Redaction;

/// <summary>The outcome of a redaction: the new document and counts by kind (never the secrets).</summary>
public sealed record RedactionResult(
    JsonValue Document,
    IReadOnlyDictionary<RedactionKind, int> Occurrences,
    IReadOnlyDictionary<RedactionKind, int> DistinctValues,
    string? OldCompiledId,
    string? NewCompiledId)
{
    /// <summary>The id member the old and new ids are of: <c>compiled_id</c> for a manifest, <c>dataset_id</c> for a dsrs.dataset/1.</summary>
    public string IdMember { get; init; } = CompiledId.MemberName;

    /// <summary>Each value replaced and its placeholder: printed only with <c>dsrs redact --show</c>.</summary>
    public IReadOnlyList<(RedactionKind Kind, string Value, string Placeholder)> Replacements { get; init; } = [];

    public int Total => Occurrences.Values.Sum();

    /// <summary>"path: 4 (2 distinct), email: 1 (1 distinct)" in a stable order.</summary>
    public string Summary() => Total == 0
        ? "nothing to redact"
        : string.Join(", ", Occurrences.OrderBy(o => o.Key).Select(o => $"{o.Key.ToString().ToLowerInvariant()}: {o.Value} ({DistinctValues.GetValueOrDefault(o.Key)} distinct)"));
}

/// <summary>
/// Redacts a manifest (one JSON object) or a dataset (a JSON array, or JSON lines) before it is sold.
/// Structural members (names, types, enum values, ids, tags, scorecard) are left alone so the
/// manifest still validates and the generated code keeps its shape; every other string is redacted
/// with placeholders consistent across the whole document. A manifest gets a new compiled_id.
/// </summary>
public static class ManifestRedactor
{
    // Members whose strings are identifiers or metadata, not prose or examples.
    private static readonly HashSet<string> StructuralMembers = new(StringComparer.Ordinal)
    {
        "format", "signature_name", "family", "optimizer", "adapter", "compiled_id", "trainset_id", "domain_tags", "scorecard", "example_count", "created_at",
        Dataset.IdMember, "provenance", "privacy",
    };

    /// <summary>
    /// Two passes over the same strings: the first learns every name a private location gives away
    /// (anywhere in the document), the second redacts, so a repository named in the last example is
    /// also replaced in the first, with the same placeholder.
    /// </summary>
    public static RedactionResult Redact(JsonValue document, RedactionMode mode, string? localUserName = null, RedactionPolicy? policy = null)
    {
        var copy = document.DeepClone();
        var redactor = new TextRedactor(mode, CollectProtectedWords(copy), localUserName, policy);
        string? oldId = null, newId = null;
        switch (copy)
        {
            case JsonObject asset when Dataset.IsDataset(asset):
                oldId = asset.GetString(Dataset.IdMember);
                RedactManifest(asset, Learning(redactor));
                RedactManifest(asset, redactor.Redact);
                var sealedSet = Dataset.Seal(asset);
                (copy, newId) = (sealedSet.Json, sealedSet.StatedId);
                break;
            case JsonObject manifest:
                oldId = manifest.GetString(CompiledId.MemberName);
                RedactManifest(manifest, Learning(redactor));
                RedactManifest(manifest, redactor.Redact);
                newId = CompiledId.Compute(manifest);
                manifest.Set(CompiledId.MemberName, new JsonString(newId));
                break;
            case JsonArray dataset:
                RedactDataset(dataset, Learning(redactor));
                RedactDataset(dataset, redactor.Redact);
                break;
            default:
                throw new DsrsException(MarketErrorCodes.UnredactableInput, "only a manifest (JSON object) or a dataset (JSON array or JSON lines) can be redacted");
        }

        return new RedactionResult(copy, redactor.Occurrences, redactor.DistinctValues, oldId, newId)
        {
            Replacements = [.. redactor.Replacements],
            IdMember = Dataset.IsDataset(copy) ? Dataset.IdMember : CompiledId.MemberName,
        };
    }

    private static Func<string, bool, string> Learning(TextRedactor redactor) => (text, _) =>
    {
        redactor.Learn(text);
        return text;
    };

    /// <summary>Reads a file as one JSON value, or as JSON lines gathered into an array.</summary>
    public static (JsonValue Document, bool IsJsonLines) ParseInput(string text)
    {
        try
        {
            return (JsonParser.Parse(text), false);
        }
        catch (DsrsException) when (text.Contains('\n', StringComparison.Ordinal))
        {
            var array = new JsonArray();
            foreach (var line in text.Split('\n'))
            {
                if (!string.IsNullOrWhiteSpace(line))
                {
                    array.Add(JsonParser.Parse(line));
                }
            }

            return (array, true);
        }
    }

    private static void RedactManifest(JsonObject manifest, Func<string, bool, string> redactor)
    {
        foreach (var name in manifest.Names.ToList())
        {
            if (StructuralMembers.Contains(name))
            {
                continue;
            }

            var value = manifest[name]!;
            if (name is "inputs" or "outputs")
            {
                RedactFieldSchema(value, redactor);
            }
            else if (name is "demos" or "examples" && value is JsonArray demos)
            {
                // An example's provenance names the public repository it came from: metadata, kept.
                foreach (var example in demos.OfType<JsonObject>())
                {
                    foreach (var side in new[] { "inputs", "outputs" })
                    {
                        if (example[side] is { } values)
                        {
                            example.Set(side, RedactValue(values, redactor, codeAware: true));
                        }
                    }
                }
            }
            else
            {
                manifest.Set(name, RedactValue(value, redactor, codeAware: true));
            }
        }
    }

    // Field names, types and enum values stay: they are the typed API. Descriptions are prose.
    private static void RedactFieldSchema(JsonValue schema, Func<string, bool, string> redactor)
    {
        if (schema is not JsonArray fields)
        {
            return;
        }

        foreach (var field in fields.OfType<JsonObject>())
        {
            if (field["description"] is JsonString description)
            {
                field.Set("description", new JsonString(redactor(description.Value, false)));
            }
        }
    }

    // Dataset rows and demos: values are redacted, keys (field names) are kept.
    private static void RedactDataset(JsonArray rows, Func<string, bool, string> redactor)
    {
        for (var i = 0; i < rows.Count; i++)
        {
            var redacted = RedactValue(rows[i], redactor, codeAware: true);
            rows.RemoveAt(i);
            rows.Insert(i, redacted);
        }
    }

    private static JsonValue RedactValue(JsonValue value, Func<string, bool, string> redactor, bool codeAware)
    {
        switch (value)
        {
            case JsonString s:
                var redacted = redactor(s.Value, codeAware);
                return ReferenceEquals(redacted, s.Value) ? s : new JsonString(redacted);
            case JsonObject o:
                foreach (var name in o.Names.ToList())
                {
                    o.Set(name, RedactValue(o[name]!, redactor, codeAware));
                }

                return o;
            case JsonArray a:
                RedactDataset(a, redactor);
                return a;
            default:
                return value;
        }
    }

    // Declared field names and enum members must survive identifier redaction, or demos would no
    // longer match the schema.
    private static IEnumerable<string> CollectProtectedWords(JsonValue document)
    {
        var words = new HashSet<string>(StringComparer.Ordinal);
        if (document is JsonObject manifest)
        {
            foreach (var schemaName in new[] { "inputs", "outputs" })
            {
                if (manifest[schemaName] is JsonArray fields)
                {
                    foreach (var field in fields.OfType<JsonObject>())
                    {
                        if (field.GetString("name") is { } fieldName)
                        {
                            words.Add(fieldName);
                        }

                        if (field["values"] is JsonArray values)
                        {
                            foreach (var v in values)
                            {
                                if (v.AsString() is { } member)
                                {
                                    words.Add(member);
                                }
                            }
                        }
                    }
                }
            }

            if (manifest.GetString("signature_name") is { } signature)
            {
                words.Add(signature);
            }
        }

        return words;
    }
}
