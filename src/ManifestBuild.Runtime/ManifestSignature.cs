using ManifestBuild.Format;
using ManifestBuild.Format.Json;
using Microsoft.Extensions.AI;

namespace ManifestBuild.Runtime;

/// <summary>
/// A signature read from a parsed <see cref="Manifest"/> at run time, for tools that hold no generated
/// class (<c>dsrs evaluate</c>, an agent's own test suite) and underneath every <see cref="DynamicSignature"/>.
/// It reads fields, instruction and demos as the generator does, and lays prompts out and parses replies
/// with the same <see cref="PromptFormatter"/> and <see cref="ReplyParser"/> as generated code. It does not
/// check the manifest's compiled_id: <see cref="DynamicSignature.FromManifest"/> does, where a manifest enters.
/// </summary>
public sealed class ManifestSignature
{
    private ManifestSignature(SignatureSpec spec, IReadOnlyList<PromptDemo> demos, bool isTyped, bool usesDefaultInstruction)
    {
        Spec = spec;
        Demos = demos;
        IsTyped = isTyped;
        UsesDefaultInstruction = usesDefaultInstruction;
        Prompt = new PromptTemplate(spec, demos);
    }

    public SignatureSpec Spec { get; }

    public IReadOnlyList<PromptDemo> Demos { get; }

    /// <summary>The manifest declares its fields; otherwise every field is a string named by the caller.</summary>
    public bool IsTyped { get; }

    /// <summary>The prompt carries DSPy's default instruction (none given, or withheld as in a paid listing).</summary>
    public bool UsesDefaultInstruction { get; }

    /// <summary>
    /// Reads the manifest's fields, instruction and demos. An untyped manifest (no <c>inputs</c>/<c>outputs</c>)
    /// takes its field names from <paramref name="untypedInputs"/> and <paramref name="untypedOutputs"/>, as strings.
    /// A manifest without an instruction (a paid listing's content) gets DSPy's default instruction.
    /// </summary>
    public static ManifestSignature FromManifest(Manifest manifest, IReadOnlyList<string>? untypedInputs = null, IReadOnlyList<string>? untypedOutputs = null)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var typed = HasFieldSchema(manifest);
        var inputs = typed ? Fields(manifest.Json, "inputs") : (untypedInputs ?? []).Select(n => new SignatureField(n, FieldKind.String)).ToArray();
        var outputs = typed ? Fields(manifest.Json, "outputs") : (untypedOutputs ?? []).Select(n => new SignatureField(n, FieldKind.String)).ToArray();
        var adapter = manifest.Adapter == "json" ? PromptAdapter.Json : PromptAdapter.Chat;
        var instruction = manifest.Instruction;
        var useDefault = string.IsNullOrWhiteSpace(instruction);
        var spec = new SignatureSpec(manifest.SignatureName, useDefault ? DefaultInstruction(inputs, outputs) : instruction!, inputs, outputs, adapter);
        var demos = (manifest.Demos ?? []).Select(d => new PromptDemo(Present(spec.Inputs, d.Inputs), Present(spec.Outputs, d.Outputs))).ToArray();
        return new ManifestSignature(spec, demos, typed, useDefault);
    }

    /// <summary>
    /// The same fields with DSPy's default instruction and no demos: what the signature does with no
    /// manifest at all, the baseline a manifest's lift is measured against.
    /// </summary>
    public ManifestSignature WithoutManifest() =>
        new(new SignatureSpec(Spec.SignatureName, DefaultInstruction(Spec.Inputs, Spec.Outputs), Spec.Inputs, Spec.Outputs, Spec.Adapter), [], IsTyped, usesDefaultInstruction: true);

    /// <summary>DSPy's <c>_default_instructions</c>: "Given the fields `a`, `b`, produce the fields `c`."</summary>
    public static string DefaultInstruction(IEnumerable<SignatureField> inputs, IEnumerable<SignatureField> outputs) =>
        SignatureSpec.DefaultInstruction(inputs, outputs);

    /// <summary>The prompt's fixed part (system message, demos), laid out once.</summary>
    internal PromptTemplate Prompt { get; }

    public IReadOnlyList<ChatMessage> FormatMessages(FieldValues inputs) => Prompt.Format(inputs);

    /// <summary>Parses a reply into typed values; throws DSRS11xx when it does not fit the signature.</summary>
    public FieldValues ParseReply(string? reply) => ReplyParser.Parse(Spec, reply);

    public Task<FieldValues> PredictAsync(IChatClient client, FieldValues inputs, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        Predictor.PredictAsync(client, Prompt, inputs, options, cancellationToken);

    /// <summary>
    /// Converts a JSON map of field values (an example's inputs or outputs) into typed values: each
    /// declared field must be present; a JSON value of the field's type is taken as it is, a string
    /// is parsed as a model's reply would be (so "3" is an int and "Very High" the enum member very_high).
    /// </summary>
    public static FieldValues ValuesFromJson(IReadOnlyList<SignatureField> fields, JsonObject values)
    {
        ArgumentNullException.ThrowIfNull(fields);
        ArgumentNullException.ThrowIfNull(values);
        var result = new FieldValues();
        foreach (var field in fields)
        {
            if (!values.TryGetValue(field.Name, out var value) || value.Kind == Format.Json.JsonValueKind.Null)
            {
                throw new DsrsException(RuntimeErrorCodes.InvalidInputValue, $"no value for the field '{field.Name}'");
            }

            result.Add(field.Name, Convert(field, value));
        }

        return result;
    }

    private static FieldValues Present(IReadOnlyList<SignatureField> fields, JsonObject values)
    {
        // DSPy keeps incomplete demos (the formatter marks them); convert the fields that are there.
        var result = new FieldValues();
        foreach (var field in fields)
        {
            if (values.TryGetValue(field.Name, out var value) && value.Kind != Format.Json.JsonValueKind.Null)
            {
                result.Add(field.Name, Convert(field, value));
            }
        }

        return result;
    }

    private static object Convert(SignatureField field, JsonValue value)
    {
        switch (field.Kind)
        {
            case FieldKind.String:
                return value.AsString() ?? value.ToString();
            case FieldKind.Int when value is JsonNumber n && n.TryGetInt64(out var integer) && integer is >= int.MinValue and <= int.MaxValue:
                return (int)integer;
            case FieldKind.Float when value is JsonNumber real:
                return real.Value;
            case FieldKind.Bool when value is JsonBool flag:
                return flag.Value;
            case FieldKind.StringList when value is JsonArray items && items.All(i => i.AsString() is not null):
                return items.Select(i => i.AsString()!).ToArray();
            default:
                return ValueParser.Parse(field, value.AsString() ?? value.ToString());
        }
    }

    /// <summary>As the generator: either field list makes the manifest typed, the other one then being empty.</summary>
    internal static bool HasFieldSchema(Manifest manifest) => manifest.Json["inputs"] is JsonArray || manifest.Json["outputs"] is JsonArray;

    private static SignatureField[] Fields(JsonObject manifest, string member) =>
        manifest[member] is JsonArray fields ? fields.OfType<JsonObject>().Select(ToField).ToArray() : [];

    // The generator also reads DSPy's short "desc" when "description" is absent; so must this, or the prompts differ.
    private static SignatureField ToField(JsonObject json)
    {
        var field = ManifestField.FromJson(json);
        return new SignatureField(field.Name, KindOf(field.Type), field.Description ?? json.GetString("desc"), field.Values);
    }

    private static FieldKind KindOf(string type) => type switch
    {
        FieldTypes.Int => FieldKind.Int,
        FieldTypes.Float => FieldKind.Float,
        FieldTypes.Bool => FieldKind.Bool,
        FieldTypes.StringArray => FieldKind.StringList,
        FieldTypes.Enum => FieldKind.Enum,
        _ => FieldKind.String,
    };
}
