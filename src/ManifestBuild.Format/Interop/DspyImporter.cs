using System.Globalization;
using System.Text.RegularExpressions;
using ManifestBuild.Format.Json;

namespace ManifestBuild.Format.Interop;

/// <summary>
/// Converts a DSPy <c>Module.save("x.json")</c> file into manifests. Per predictor it reads
/// <c>signature.instructions</c>, <c>signature.fields[{prefix, description}]</c> (inputs then outputs)
/// and <c>demos</c>; it never reads <c>lm</c> (endpoints and keys), <c>traces</c> or <c>train</c>.
/// </summary>
public static partial class DspyImporter
{
    /// <summary>Demo keys DSPy adds that are not fields.</summary>
    private static readonly HashSet<string> DemoBookkeeping = new(StringComparer.Ordinal) { "augmented", "dspy_uuid", "dspy_split" };

    /// <summary>Dependency versions DSPy's load() compares (it raises on any other key).</summary>
    internal static readonly string[] KnownDependencies = ["python", "dspy", "cloudpickle"];

    /// <summary>
    /// The name a bare <c>dspy.Predict</c> goes by (DSPy's own <c>named_parameters()</c> calls it so). Its
    /// <c>save()</c> writes the state at the top level, not under this key: Predict overrides
    /// <c>dump_state</c>, and its <c>load_state</c> reads <c>state["signature"]</c> directly.
    /// </summary>
    public const string BarePredictor = "self";

    /// <summary>
    /// True for a file a bare <c>dspy.Predict(...).save()</c> wrote: the predictor state at the top level,
    /// so <c>signature</c> is a signature state (<c>{instructions, fields}</c>), not a predictor a module
    /// happens to call <c>signature</c> (whose state would hold a <c>signature</c> of its own).
    /// </summary>
    public static bool IsBarePredict(JsonObject program) => program["signature"] is JsonObject signature && signature["fields"] is JsonArray;

    /// <summary>The predictor names in file order (<see cref="BarePredictor"/> alone for a bare Predict).</summary>
    public static IReadOnlyList<string> PredictorNames(JsonObject program)
    {
        if (IsBarePredict(program))
        {
            return [BarePredictor];
        }

        var names = program.Members
            .Where(m => m.Key != "metadata" && m.Value is JsonObject state && state["signature"] is JsonObject)
            .Select(m => m.Key)
            .ToArray();
        if (names.Length == 0)
        {
            throw new DsrsException(FormatErrorCodes.NotDspyProgram, "not a DSPy Module.save() file: neither the top level (a bare Predict) nor any member (a module's predictors) holds predictor state, an object with signature.instructions and signature.fields");
        }

        return names;
    }

    /// <summary>Imports one predictor (the only one, or <see cref="DspyImportOptions.Predictor"/>).</summary>
    public static Manifest Import(JsonObject program, DspyImportOptions options)
    {
        var names = PredictorNames(program);
        var predictor = options.Predictor;
        if (predictor is null)
        {
            if (names.Count > 1)
            {
                throw new DsrsException(
                    FormatErrorCodes.PredictorAmbiguous,
                    "the program has " + names.Count.ToString(CultureInfo.InvariantCulture) + " predictors (" + string.Join(", ", names) + "): choose one with --predictor NAME, or import each with --all");
            }

            predictor = names[0];
        }
        else if (!names.Contains(predictor, StringComparer.Ordinal))
        {
            throw new DsrsException(FormatErrorCodes.PredictorNotFound, "no predictor named \"" + predictor + "\" in the program; it has " + string.Join(", ", names));
        }

        return ImportPredictor(program, predictor, options);
    }

    /// <summary>Imports every predictor; signature names default per predictor.</summary>
    public static IReadOnlyList<KeyValuePair<string, Manifest>> ImportAll(JsonObject program, DspyImportOptions options)
    {
        if (options.SignatureName is not null && PredictorNames(program).Count > 1)
        {
            throw new DsrsException(FormatErrorCodes.PredictorAmbiguous, "one signature name cannot name several predictors: leave it out with --all");
        }

        return PredictorNames(program)
            .Select(name => new KeyValuePair<string, Manifest>(name, ImportPredictor(program, name, options)))
            .ToArray();
    }

    /// <summary>The default signature_name for a predictor: "generate_answer.predict" -> "GenerateAnswerSignature".</summary>
    public static string DefaultSignatureName(string predictor)
    {
        var path = predictor;
        if (path == "self")
        {
            path = "program";
        }

        // ChainOfThought and friends keep their Predict in ".predict"; the module name is the meaningful part.
        if (path.EndsWith(".predict", StringComparison.Ordinal))
        {
            path = path[..^".predict".Length];
        }

        var pascal = DspyNames.PascalCase(path);
        return (pascal.Length == 0 ? "Program" : pascal) + "Signature";
    }

    private static Manifest ImportPredictor(JsonObject program, string predictor, DspyImportOptions options)
    {
        var state = IsBarePredict(program) ? program : (JsonObject)program[predictor]!;
        var signature = (JsonObject)state["signature"]!;
        var where = "predictor \"" + predictor + "\"";
        var instructions = signature["instructions"] as JsonString
            ?? throw new DsrsException(FormatErrorCodes.NotDspyProgram, where + ": signature.instructions must be a string");
        if (signature["fields"] is not JsonArray fieldStates || fieldStates.Count == 0)
        {
            throw new DsrsException(FormatErrorCodes.NotDspyProgram, where + ": signature.fields must be a non-empty array of {prefix, description}");
        }

        var demos = state["demos"] as JsonArray ?? [];
        var demoKeys = DemoKeys(demos);
        var names = ResolveNames(fieldStates, demoKeys, where);
        var outputCount = OutputCount(names, options.OutputFields, where);
        var inputNames = names.Take(names.Count - outputCount).ToArray();
        var outputNames = names.Skip(names.Count - outputCount).ToArray();

        var json = new JsonObject()
            .Add("format", Manifest.FormatV1)
            .Add("signature_name", options.SignatureName ?? DefaultSignatureName(predictor));
        if (options.Family is not null)
        {
            json.Add("family", options.Family);
        }

        json.Add("instruction", instructions.Value);
        json.Add("inputs", Fields(inputNames, 0, fieldStates, demos));
        json.Add("outputs", Fields(outputNames, inputNames.Length, fieldStates, demos));
        json.Add("demos", Demos(demos, inputNames, outputNames));
        if (options.Optimizer is not null)
        {
            json.Add("optimizer", options.Optimizer);
        }

        if (options.DomainTags is { Count: > 0 } tags)
        {
            json.Add("domain_tags", JsonArray.OfStrings(tags));
        }

        if (options.ExampleCount is { } count)
        {
            json.Add("example_count", count);
        }

        if (options.CreatedAt is { } created)
        {
            json.Add("created_at", created);
        }

        json.Add("source", Source(program, predictor, names, fieldStates));
        var manifest = Manifest.FromJson(json);
        manifest.SealCompiledId();
        return manifest;
    }

    private static List<string> DemoKeys(JsonArray demos)
    {
        var keys = new List<string>();
        foreach (var demo in demos.OfType<JsonObject>())
        {
            foreach (var key in demo.Names)
            {
                if (!DemoBookkeeping.Contains(key) && !keys.Contains(key))
                {
                    keys.Add(key);
                }
            }
        }

        return keys;
    }

    private static List<string> ResolveNames(JsonArray fieldStates, List<string> demoKeys, string where)
    {
        var names = new List<string>();
        for (var i = 0; i < fieldStates.Count; i++)
        {
            var field = fieldStates[i] as JsonObject;
            var prefix = field?.GetString("prefix");
            var description = field?.GetString("description");
            var name = NameFromDescription(description)
                ?? demoKeys.FirstOrDefault(k => prefix is not null && DspyNames.DefaultPrefix(k) == prefix.Trim())
                ?? NameFromPrefix(prefix);
            if (name is null)
            {
                throw new DsrsException(
                    FormatErrorCodes.DspyFieldsUnresolved,
                    where + ": cannot recover the name of signature.fields[" + i.ToString(CultureInfo.InvariantCulture) + "] (prefix " + Quote(prefix) + ", description " + Quote(description) + "): no ${name} description, no demo key with that prefix");
            }

            if (names.Contains(name))
            {
                throw new DsrsException(FormatErrorCodes.DspyFieldsUnresolved, where + ": two fields resolve to the name \"" + name + "\"");
            }

            names.Add(name);
        }

        return names;
    }

    private static int OutputCount(List<string> names, IReadOnlyList<string>? outputFields, string where)
    {
        if (outputFields is { Count: > 0 })
        {
            var tail = names.Skip(names.Count - outputFields.Count).ToArray();
            if (outputFields.Count >= names.Count || !tail.SequenceEqual(outputFields, StringComparer.Ordinal))
            {
                throw new DsrsException(
                    FormatErrorCodes.DspyFieldsUnresolved,
                    where + ": the output fields must be the last fields of the signature, in order, with at least one input before them; the fields are " + string.Join(", ", names));
            }

            return outputFields.Count;
        }

        var reasoning = names.IndexOf("reasoning");
        if (reasoning > 0)
        {
            return names.Count - reasoning;
        }

        if (names.Count < 2)
        {
            throw new DsrsException(FormatErrorCodes.DspyFieldsUnresolved, where + ": a signature needs at least one input and one output field");
        }

        return 1;
    }

    private static JsonArray Fields(string[] names, int offset, JsonArray fieldStates, JsonArray demos)
    {
        var fields = new JsonArray();
        for (var i = 0; i < names.Length; i++)
        {
            var name = names[i];
            var state = fieldStates[offset + i] as JsonObject;
            var description = state?.GetString("description");
            var field = new JsonObject().Add("name", name).Add("type", InferType(name, demos));
            if (description is not null && description != DspyNames.DefaultDescription(name))
            {
                field.Add("description", description);
            }

            fields.Add(field);
        }

        return fields;
    }

    /// <summary>
    /// DSPy's saved state has no types; a field is <c>string</c> unless every demo value for it is a
    /// JSON bool, integer, number or string array (then the Python annotation must have been one).
    /// </summary>
    private static string InferType(string name, JsonArray demos)
    {
        var values = demos.OfType<JsonObject>().Select(d => d[name]).OfType<JsonValue>().Where(v => v is not JsonNull).ToArray();
        if (values.Length == 0)
        {
            return FieldTypes.String;
        }

        if (values.All(v => v is JsonBool))
        {
            return FieldTypes.Bool;
        }

        if (values.All(v => v is JsonNumber n && n.TryGetInt64(out _) && !n.Text.Contains('.') && !n.Text.Contains('e') && !n.Text.Contains('E')))
        {
            return FieldTypes.Int;
        }

        if (values.All(v => v is JsonNumber))
        {
            return FieldTypes.Float;
        }

        if (values.All(v => v is JsonArray a && a.All(item => item is JsonString)))
        {
            return FieldTypes.StringArray;
        }

        return FieldTypes.String;
    }

    private static JsonArray Demos(JsonArray demos, string[] inputNames, string[] outputNames)
    {
        var result = new JsonArray();
        foreach (var demo in demos.OfType<JsonObject>())
        {
            var inputs = Pick(demo, inputNames);
            var outputs = Pick(demo, outputNames);
            if (inputs.Count + outputs.Count > 0)
            {
                result.Add(new JsonObject().Add("inputs", inputs).Add("outputs", outputs));
            }
        }

        return result;
    }

    private static JsonObject Pick(JsonObject demo, string[] names)
    {
        var picked = new JsonObject();
        foreach (var name in names)
        {
            if (demo[name] is { } value)
            {
                picked.Add(name, value.DeepClone());
            }
        }

        return picked;
    }

    private static JsonObject Source(JsonObject program, string predictor, List<string> names, JsonArray fieldStates)
    {
        var source = new JsonObject().Add("kind", "dspy").Add("predictor", predictor);

        // DSPy 3 ignores prefixes, but a custom one (ChainOfThought's "Reasoning: Let's think step by
        // step in order to") is kept so that an export gives DSPy back the same signature.
        var prefixes = new JsonObject();
        for (var i = 0; i < names.Count; i++)
        {
            var prefix = (fieldStates[i] as JsonObject)?.GetString("prefix");
            if (prefix is not null && prefix != DspyNames.DefaultPrefix(names[i]))
            {
                prefixes.Add(names[i], prefix);
            }
        }

        if (prefixes.Count > 0)
        {
            source.Add("prefixes", prefixes);
        }

        if (program["metadata"] is JsonObject metadata && metadata["dependency_versions"] is JsonObject versions)
        {
            var kept = new JsonObject();
            foreach (var member in versions.Members.Where(m => KnownDependencies.Contains(m.Key) && m.Value is JsonString))
            {
                kept.Add(member.Key, member.Value);
            }

            source.Add("dependency_versions", kept);
        }

        return source;
    }

    private static string? NameFromDescription(string? description)
    {
        if (description is null)
        {
            return null;
        }

        var match = PlaceholderDescription().Match(description);
        return match.Success && FieldNames.IsValid(match.Groups[1].Value) ? match.Groups[1].Value : null;
    }

    private static string? NameFromPrefix(string? prefix)
    {
        if (prefix is null)
        {
            return null;
        }

        var name = prefix.Trim().TrimEnd(':').Trim().Replace(' ', '_').ToLowerInvariant();
        return FieldNames.IsValid(name) ? name : null;
    }

    private static string Quote(string? text) => text is null ? "none" : JsonStringEscaper.Escape(text);

    // DSPy's default description, "${name}", for a name of any script (checked by FieldNames after).
    [GeneratedRegex("^\\$\\{([^{}]+)\\}$")]
    private static partial Regex PlaceholderDescription();
}
