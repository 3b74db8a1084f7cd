using ManifestBuild.Format.Json;

namespace ManifestBuild.Format.Datasets;

/// <summary>How <see cref="DatasetImporter"/> reads examples that do not say which fields are inputs.</summary>
public sealed record DatasetImportOptions
{
    /// <summary>The family; default: the group's name without <c>_examples</c> (<c>complexity_examples</c> is <c>complexity</c>).</summary>
    public string? Family { get; init; }

    public IReadOnlyList<string> DomainTags { get; init; } = [];

    /// <summary>The input field names (DSPy's <c>with_inputs</c>); default: every field that is not an output.</summary>
    public IReadOnlyList<string>? InputNames { get; init; }

    /// <summary>The output field names; default: <c>expected_*</c>, <c>label</c>, <c>answer</c>, <c>output</c>, <c>confidence</c>.</summary>
    public IReadOnlyList<string>? OutputNames { get; init; }

    /// <summary>Where the examples came from: public (then <see cref="Repositories"/> names them) or private work.</summary>
    public bool Public { get; init; }

    public IReadOnlyList<string> Repositories { get; init; } = [];

    public string? Description { get; init; }

    public long CreatedAt { get; init; } = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
}

/// <summary>
/// Turns examples into a dsrs.dataset/1: the seed's shape (<c>{"complexity_examples":[{...flat...}]}</c>),
/// a DSPy example list (a JSON list of <c>dspy.Example</c> dicts, as <c>[ex.toDict() for ex in devset]</c>
/// writes it), a list or JSON lines of <c>{inputs, outputs}</c> (the demos' shape), or a dataset already.
/// Field types are inferred from the values (an output string field with few distinct values is an enum).
/// </summary>
public static class DatasetImporter
{
    private const int MaxEnumValues = 16;

    private static readonly HashSet<string> DefaultOutputs = new(StringComparer.Ordinal) { "label", "labels", "answer", "output", "confidence", "rationale" };

    public static Dataset Import(string text, DatasetImportOptions options)
    {
        var (rows, group) = ReadRows(text);
        if (rows.Count == 0)
        {
            throw new DsrsException(FormatErrorCodes.DatasetImportFailed, "no examples found");
        }

        var family = options.Family ?? (group?.EndsWith("_examples", StringComparison.Ordinal) == true ? group[..^"_examples".Length] : group);
        if (string.IsNullOrEmpty(family))
        {
            throw new DsrsException(FormatErrorCodes.DatasetImportFailed, "the examples do not name their family (no group such as \"complexity_examples\"): pass --family");
        }

        var examples = rows.Select(row => Split(row, options)).ToList();
        var outputNames = examples.SelectMany(e => e.Outputs.Names).Distinct(StringComparer.Ordinal).ToList();
        if (outputNames.Count == 0)
        {
            throw new DsrsException(FormatErrorCodes.DatasetImportFailed, "no output fields: name them with --outputs (DSPy: the fields not in with_inputs)");
        }

        var json = new JsonObject()
            .Add("format", Dataset.FormatV1)
            .Add("family", family);
        if (options.Description is not null)
        {
            json.Add("description", options.Description);
        }

        json.Add("domain_tags", JsonArray.OfStrings(options.DomainTags.Select(t => t.ToLowerInvariant()).Distinct()))
            .Add("inputs", Schema(examples.Select(e => e.Inputs), output: false))
            .Add("outputs", Schema(examples.Select(e => e.Outputs), output: true));
        var array = new JsonArray();
        foreach (var (inputs, outputs) in examples)
        {
            var example = new JsonObject().Add("inputs", inputs).Add("outputs", outputs);
            example.Add("provenance", Provenance(options));
            array.Add(example);
        }

        json.Add("examples", array)
            .Add("example_count", (long)array.Count)
            .Add("provenance", new JsonObject()
                .Add("visibility", options.Public ? "public" : "private")
                .Add("repositories", JsonArray.OfStrings(options.Repositories)))
            .Add("created_at", options.CreatedAt);
        return Dataset.Seal(json);
    }

    private static JsonObject Provenance(DatasetImportOptions options)
    {
        var p = new JsonObject().Add("public", options.Public);
        if (options.Public && options.Repositories.Count == 1)
        {
            p.Add("repository", options.Repositories[0]);
        }

        return p;
    }

    private static (List<JsonObject> Rows, string? Group) ReadRows(string text)
    {
        JsonValue value;
        try
        {
            value = JsonParser.Parse(text);
        }
        catch (DsrsException) when (text.Contains('\n', StringComparison.Ordinal))
        {
            var lines = new JsonArray();
            foreach (var line in text.Split('\n').Where(l => !string.IsNullOrWhiteSpace(l)))
            {
                lines.Add(JsonParser.Parse(line));
            }

            value = lines;
        }

        switch (value)
        {
            case JsonObject o when Dataset.IsDataset(o):
                var existing = Dataset.FromJson(o);
                return ([.. existing.Examples.Select(e => new JsonObject().Add("inputs", e["inputs"]!).Add("outputs", e["outputs"]!))], existing.Family);
            case JsonObject o when o.Members.Count() == 1 && o.Members.First().Value is JsonArray grouped:
                return (Objects(grouped), o.Members.First().Key);
            case JsonArray list:
                return (Objects(list), null);
            default:
                throw new DsrsException(FormatErrorCodes.DatasetImportFailed, "expected a list of examples, JSON lines, or one group such as {\"complexity_examples\": [...]}");
        }
    }

    private static List<JsonObject> Objects(JsonArray list) =>
        list.Select((v, i) => v as JsonObject ?? throw new DsrsException(FormatErrorCodes.DatasetImportFailed, $"example {i} is not an object")).ToList();

    private static (JsonObject Inputs, JsonObject Outputs) Split(JsonObject row, DatasetImportOptions options)
    {
        if (row["inputs"] is JsonObject given && row["outputs"] is JsonObject answers)
        {
            return ((JsonObject)given.DeepClone(), (JsonObject)answers.DeepClone());
        }

        var inputs = new JsonObject();
        var outputs = new JsonObject();
        foreach (var member in row.Members.Where(m => !m.Key.StartsWith('_'))) // dspy's private members (_input_keys ...)
        {
            var isOutput = options.OutputNames is { } named
                ? named.Contains(member.Key, StringComparer.Ordinal)
                : options.InputNames is { } inputNames
                    ? !inputNames.Contains(member.Key, StringComparer.Ordinal)
                    : member.Key.StartsWith("expected_", StringComparison.Ordinal) || DefaultOutputs.Contains(member.Key);
            (isOutput ? outputs : inputs).Add(member.Key, member.Value.DeepClone());
        }

        return (inputs, outputs);
    }

    // One field per name, its type the one every value fits (int widens to float; anything else mixed is refused).
    private static JsonArray Schema(IEnumerable<JsonObject> sides, bool output)
    {
        var values = new Dictionary<string, List<JsonValue>>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var side in sides)
        {
            foreach (var member in side.Members)
            {
                if (!values.TryGetValue(member.Key, out var list))
                {
                    values[member.Key] = list = [];
                    order.Add(member.Key);
                }

                list.Add(member.Value);
            }
        }

        var schema = new JsonArray();
        foreach (var name in order)
        {
            var type = InferType(name, values[name]);
            var field = new JsonObject().Add("name", name);
            var distinct = values[name].Select(v => v.AsString()).Distinct(StringComparer.Ordinal).ToList();
            // A label is an enum: a field named like one, or one whose few values repeat.
            var labelName = name.StartsWith("expected_", StringComparison.Ordinal) || name is "label" or "labels";
            if (output && type == FieldTypes.String && distinct.Count <= MaxEnumValues && (labelName || distinct.Count < values[name].Count))
            {
                field.Add("type", FieldTypes.Enum).Add("values", JsonArray.OfStrings(distinct!));
            }
            else
            {
                field.Add("type", type);
            }

            schema.Add(field);
        }

        return schema;
    }

    private static string InferType(string name, List<JsonValue> values)
    {
        var kinds = values.Select(v => v switch
        {
            JsonString => FieldTypes.String,
            JsonBool => FieldTypes.Bool,
            JsonNumber n => n.TryGetInt64(out _) ? FieldTypes.Int : FieldTypes.Float,
            JsonArray a when a.All(x => x is JsonString) => FieldTypes.StringArray,
            _ => "unsupported",
        }).Distinct().ToList();
        if (kinds.Count == 2 && kinds.Contains(FieldTypes.Int) && kinds.Contains(FieldTypes.Float))
        {
            return FieldTypes.Float;
        }

        return kinds.Count == 1 && kinds[0] != "unsupported"
            ? kinds[0]
            : throw new DsrsException(FormatErrorCodes.DatasetImportFailed, $"field \"{name}\" mixes value types ({string.Join(", ", kinds)}); dsrs.dataset/1 fields have one type");
    }
}
