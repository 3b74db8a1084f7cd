namespace ManifestBuild.Runtime;

/// <summary>The type of a signature field, as the manifest's <c>type</c> member names it.</summary>
public enum FieldKind
{
    String,
    Int,
    Float,
    Bool,
    StringList,
    Enum,
}

/// <summary>How the prompt is laid out: DSPy's <c>chat</c> adapter (markers) or its <c>json</c> adapter.</summary>
public enum PromptAdapter
{
    Chat,
    Json,
}

/// <summary>One input or output field of a signature.</summary>
public sealed class SignatureField
{
    public SignatureField(string name, FieldKind kind, string? description = null, IReadOnlyList<string>? enumValues = null)
    {
        Name = name;
        Kind = kind;
        Description = description;
        EnumValues = enumValues ?? Array.Empty<string>();
    }

    /// <summary>The field's name as the manifest spells it (what the prompt's markers show).</summary>
    public string Name { get; }

    public FieldKind Kind { get; }

    public string? Description { get; }

    /// <summary>For <see cref="FieldKind.Enum"/>: the allowed values, in declaration order, original spelling.</summary>
    public IReadOnlyList<string> EnumValues { get; }
}

/// <summary>What the prompt formatter and the reply parser need to know about a signature.</summary>
public sealed class SignatureSpec
{
    public SignatureSpec(
        string signatureName,
        string instruction,
        IReadOnlyList<SignatureField> inputs,
        IReadOnlyList<SignatureField> outputs,
        PromptAdapter adapter = PromptAdapter.Chat)
    {
        SignatureName = signatureName;
        Instruction = instruction;
        Inputs = inputs;
        Outputs = outputs;
        Adapter = adapter;
        Validate();
    }

    public string SignatureName { get; }

    public string Instruction { get; }

    public IReadOnlyList<SignatureField> Inputs { get; }

    public IReadOnlyList<SignatureField> Outputs { get; }

    public PromptAdapter Adapter { get; }

    /// <summary>
    /// The instruction the prompt shows: the manifest's, or DSPy's default when it has none (a paid
    /// listing's content, an instruction-less manifest), so a generated class and a signature read at
    /// run time prompt alike.
    /// </summary>
    public string EffectiveInstruction => string.IsNullOrWhiteSpace(Instruction) ? DefaultInstruction(Inputs, Outputs) : Instruction;

    /// <summary>DSPy's <c>_default_instructions</c>: "Given the fields `a`, `b`, produce the fields `c`."</summary>
    public static string DefaultInstruction(IEnumerable<SignatureField> inputs, IEnumerable<SignatureField> outputs) =>
        $"Given the fields {string.Join(", ", inputs.Select(f => $"`{f.Name}`"))}, produce the fields {string.Join(", ", outputs.Select(f => $"`{f.Name}`"))}.";

    private void Validate()
    {
        if (Outputs.Count == 0)
        {
            throw new ManifestBuild.Format.DsrsException(RuntimeErrorCodes.InvalidSignature, $"signature '{SignatureName}' has no output fields, so there is nothing to ask the model for");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var field in Inputs.Concat(Outputs))
        {
            if (string.IsNullOrWhiteSpace(field.Name))
            {
                throw new ManifestBuild.Format.DsrsException(RuntimeErrorCodes.InvalidSignature, $"signature '{SignatureName}' has a field with an empty name");
            }

            if (!seen.Add(field.Name))
            {
                throw new ManifestBuild.Format.DsrsException(RuntimeErrorCodes.InvalidSignature, $"signature '{SignatureName}' declares the field '{field.Name}' twice");
            }

            if (field.Kind == FieldKind.Enum && field.EnumValues.Count == 0)
            {
                throw new ManifestBuild.Format.DsrsException(RuntimeErrorCodes.InvalidSignature, $"enum field '{field.Name}' of signature '{SignatureName}' lists no values");
            }
        }
    }
}
