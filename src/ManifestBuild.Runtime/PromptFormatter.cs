using System.Text;
using ManifestBuild.Format;
using Microsoft.Extensions.AI;

namespace ManifestBuild.Runtime;

/// <summary>
/// Lays a signature, its demos and an input out as chat messages exactly as DSPy's ChatAdapter (or
/// JSONAdapter) does: a system message with the field descriptions, the field structure and the
/// instruction; each demo as a user turn and an assistant turn; the input as the last user turn.
/// </summary>
public static class PromptFormatter
{
    private const string Completed = "completed";

    public static IReadOnlyList<ChatMessage> Format(SignatureSpec signature, IEnumerable<PromptDemo> demos, FieldValues inputs)
    {
        ArgumentNullException.ThrowIfNull(signature);
        ArgumentNullException.ThrowIfNull(demos);
        ArgumentNullException.ThrowIfNull(inputs);
        return new PromptTemplate(signature, demos).Format(inputs);
    }

    internal static void CheckInputs(SignatureSpec signature, FieldValues inputs)
    {
        foreach (var field in signature.Inputs)
        {
            if (!inputs.Contains(field.Name))
            {
                throw new DsrsException(RuntimeErrorCodes.InvalidInputValue, $"the input field '{field.Name}' of signature '{signature.SignatureName}' has no value");
            }
        }
    }

    /// <summary>The turns before the input: the system message, then each demo's user and assistant turn.</summary>
    internal static (ChatRole Role, string Text)[] FixedTurns(SignatureSpec signature, IEnumerable<PromptDemo> demos)
    {
        var turns = new List<(ChatRole, string)> { (ChatRole.System, SystemMessage(signature)) };
        var all = demos.ToList();

        // DSPy puts incomplete demos (some fields missing) first, with a note, and drops those
        // that lack every input or every output.
        var incomplete = all.Where(d => !IsComplete(signature, d) && HasAny(signature.Inputs, d.Inputs) && HasAny(signature.Outputs, d.Outputs));
        foreach (var demo in incomplete)
        {
            turns.Add((ChatRole.User, UserContent(signature, demo.Inputs, "This is an example of the task, though some input or output fields are not supplied.")));
            turns.Add((ChatRole.Assistant, AssistantContent(signature, demo.Outputs, "Not supplied for this particular example. ")));
        }

        foreach (var demo in all.Where(d => IsComplete(signature, d)))
        {
            turns.Add((ChatRole.User, UserContent(signature, demo.Inputs, string.Empty)));
            turns.Add((ChatRole.Assistant, AssistantContent(signature, demo.Outputs, "Not supplied for this conversation history message. ")));
        }

        return turns.ToArray();
    }

    /// <summary>format_system_message: field description, field structure, task description.</summary>
    public static string SystemMessage(SignatureSpec signature) =>
        FieldDescription(signature) + "\n" + FieldStructure(signature) + "\n" + TaskDescription(signature);

    /// <summary>The reply a perfect model gives, as the adapter formats an assistant turn.</summary>
    public static string AssistantContent(SignatureSpec signature, FieldValues outputs, string? missingFieldMessage = null)
    {
        if (signature.Adapter == PromptAdapter.Json)
        {
            var builder = new StringBuilder("{");
            var first = true;
            foreach (var field in signature.Outputs)
            {
                builder.Append(first ? "\n  " : ",\n  ");
                first = false;
                PythonText.JsonString(builder, field.Name);
                builder.Append(": ");
                if (outputs.TryGetValue(field.Name, out var value))
                {
                    AppendJsonValue(builder, field, value);
                }
                else if (missingFieldMessage is null)
                {
                    builder.Append("null");
                }
                else
                {
                    PythonText.JsonString(builder, missingFieldMessage);
                }
            }

            return builder.Append(first ? "}" : "\n}").ToString();
        }

        var sections = signature.Outputs.Select(field => Section(field.Name,
            outputs.TryGetValue(field.Name, out var value) ? FormatValue(field, value) : missingFieldMessage ?? "None"));
        return string.Join("\n\n", sections).Trim() + "\n\n[[ ## completed ## ]]\n";
    }

    private static string FieldDescription(SignatureSpec signature) =>
        "Your input fields are:\n" + DescribeFields(signature.Inputs) + "\n" +
        "Your output fields are:\n" + DescribeFields(signature.Outputs);

    private static string DescribeFields(IReadOnlyList<SignatureField> fields)
    {
        var lines = fields.Select((field, index) => $"{index + 1}. `{field.Name}` ({AnnotationName(field)}): {field.Description ?? string.Empty}");
        return string.Join("\n", lines).Trim();
    }

    private static string FieldStructure(SignatureSpec signature)
    {
        var parts = new List<string> { "All interactions will be structured in the following way, with the appropriate values filled in." };
        if (signature.Adapter == PromptAdapter.Json)
        {
            parts.Add("Inputs will have the following structure:");
            parts.Add(StructureSections(signature.Inputs, isOutput: false));
            parts.Add("Outputs will be a JSON object with the following fields.");
            parts.Add(JsonStructure(signature.Outputs));
        }
        else
        {
            parts.Add(StructureSections(signature.Inputs, isOutput: false));
            parts.Add(StructureSections(signature.Outputs, isOutput: true));
            parts.Add("[[ ## completed ## ]]\n");
        }

        return string.Join("\n\n", parts).Trim();
    }

    private static string StructureSections(IReadOnlyList<SignatureField> fields, bool isOutput) =>
        string.Join("\n\n", fields.Select(field => Section(field.Name, TypePlaceholder(field, isOutput)))).Trim();

    private static string JsonStructure(IReadOnlyList<SignatureField> fields)
    {
        var builder = new StringBuilder("{");
        var first = true;
        foreach (var field in fields)
        {
            builder.Append(first ? "\n  " : ",\n  ");
            first = false;
            PythonText.JsonString(builder, field.Name);
            builder.Append(": ");
            PythonText.JsonString(builder, TypePlaceholder(field, isOutput: true));
        }

        return builder.Append(first ? "}" : "\n}").ToString();
    }

    /// <summary>translate_field_type: "{name}" plus, for a typed output, a note on the expected form.</summary>
    private static string TypePlaceholder(SignatureField field, bool isOutput)
    {
        var note = !isOutput ? string.Empty : field.Kind switch
        {
            FieldKind.Bool => "must be True or False",
            FieldKind.Int => "must be a single int value",
            FieldKind.Float => "must be a single float value",
            FieldKind.Enum => "must exactly match (no extra characters) one of: " + string.Join("; ", field.EnumValues),
            FieldKind.StringList => "must adhere to the JSON schema: {\"type\": \"array\", \"items\": {\"type\": \"string\"}}",
            _ => string.Empty,
        };
        var placeholder = "{" + field.Name + "}";
        return note.Length == 0 ? placeholder : placeholder + new string(' ', 8) + "# note: the value you produce " + note;
    }

    private static string TaskDescription(SignatureSpec signature)
    {
        var dedented = Dedent(signature.EffectiveInstruction);
        var lines = dedented.Length == 0 ? Array.Empty<string>() : dedented.Split('\n');
        var objective = string.Concat(lines.Select(line => "\n" + new string(' ', 8) + line));
        return "In adhering to this structure, your objective is: " + objective;
    }

    /// <summary>A demo's user turn; the input's own is laid out by <see cref="PromptTemplate"/> (the sections, then <see cref="OutputRequirements"/>).</summary>
    private static string UserContent(SignatureSpec signature, FieldValues inputs, string prefix)
    {
        var parts = new List<string> { prefix };
        foreach (var field in signature.Inputs)
        {
            if (inputs.TryGetValue(field.Name, out var value))
            {
                parts.Add(Section(field.Name, FormatValue(field, value)));
            }
        }

        parts.Add(string.Empty);
        return string.Join("\n\n", parts).Trim();
    }

    internal static string OutputRequirements(SignatureSpec signature)
    {
        if (signature.Adapter == PromptAdapter.Json)
        {
            return "Respond with a JSON object in the following order of fields: " +
                string.Join(", then ", signature.Outputs.Select(f => $"`{f.Name}`{TypeInfo(f)}")) + ".";
        }

        return "Respond with the corresponding output fields, starting with the field " +
            string.Join(", then ", signature.Outputs.Select(f => $"`[[ ## {f.Name} ## ]]`{TypeInfo(f)}")) +
            ", and then ending with the marker for `[[ ## completed ## ]]`.";
    }

    private static string TypeInfo(SignatureField field) =>
        field.Kind == FieldKind.String ? string.Empty : $" (must be formatted as a valid Python {AnnotationName(field)})";

    private static string AnnotationName(SignatureField field) => field.Kind switch
    {
        FieldKind.String => "str",
        FieldKind.Int => "int",
        FieldKind.Float => "float",
        FieldKind.Bool => "bool",
        FieldKind.StringList => "list[str]",
        FieldKind.Enum => "Literal[" + string.Join(", ", field.EnumValues.Select(PythonText.QuotedLiteral)) + "]",
        _ => "str",
    };

    internal static string Section(string name, string value) => $"[[ ## {name} ## ]]\n{value}";

    /// <summary>format_field_value: strings as they are, other values as Python prints them.</summary>
    internal static string FormatValue(SignatureField field, object value) => value switch
    {
        string text => text,
        bool flag => PythonText.Bool(flag),
        int number => PythonText.Int(number),
        long number => PythonText.Int(number),
        double number => PythonText.Float(number),
        IReadOnlyList<string> list => PythonText.StringList(list),
        EnumValue member => EnumText(field, member),
        _ => throw new DsrsException(RuntimeErrorCodes.InvalidInputValue, $"the field '{field.Name}' holds a {value.GetType().Name}, which a prompt cannot show"),
    };

    private static void AppendJsonValue(StringBuilder builder, SignatureField field, object value)
    {
        switch (value)
        {
            case string text: PythonText.JsonString(builder, text); break;
            case bool flag: builder.Append(flag ? "true" : "false"); break;
            case int or long: builder.Append(FormatValue(field, value)); break;
            case double number: builder.Append(double.IsFinite(number) ? PythonText.Float(number) : PythonText.Float(number) switch { "nan" => "NaN", "inf" => "Infinity", _ => "-Infinity" }); break;
            case EnumValue member: PythonText.JsonString(builder, EnumText(field, member)); break;
            case IReadOnlyList<string> list:
                if (list.Count == 0)
                {
                    builder.Append("[]");
                    break;
                }

                builder.Append('[');
                for (var i = 0; i < list.Count; i++)
                {
                    builder.Append(i == 0 ? "\n    " : ",\n    ");
                    PythonText.JsonString(builder, list[i]);
                }

                builder.Append("\n  ]");
                break;
            default:
                throw new DsrsException(RuntimeErrorCodes.InvalidInputValue, $"the field '{field.Name}' holds a {value.GetType().Name}, which a prompt cannot show");
        }
    }

    private static string EnumText(SignatureField field, EnumValue member) =>
        member.Index >= 0 && member.Index < field.EnumValues.Count
            ? field.EnumValues[member.Index]
            : throw new DsrsException(RuntimeErrorCodes.InvalidInputValue, $"the enum field '{field.Name}' has no member number {member.Index}");

    private static bool IsComplete(SignatureSpec signature, PromptDemo demo) =>
        signature.Inputs.All(f => demo.Inputs.Contains(f.Name)) && signature.Outputs.All(f => demo.Outputs.Contains(f.Name));

    private static bool HasAny(IReadOnlyList<SignatureField> fields, FieldValues values) => fields.Any(f => values.Contains(f.Name));

    /// <summary>textwrap.dedent: removes the whitespace prefix common to every non-blank line.</summary>
    private static string Dedent(string text)
    {
        var lines = text.Replace("\r\n", "\n").Split('\n');
        string? common = null;
        foreach (var line in lines)
        {
            if (line.Trim().Length == 0)
            {
                continue;
            }

            var indent = line[..(line.Length - line.TrimStart(' ', '\t').Length)];
            common = common is null ? indent : CommonPrefix(common, indent);
        }

        return string.Join("\n", lines.Select(line => line.Trim().Length == 0 ? string.Empty : line[(common?.Length ?? 0)..]));
    }

    private static string CommonPrefix(string a, string b)
    {
        var length = 0;
        while (length < a.Length && length < b.Length && a[length] == b[length])
        {
            length++;
        }

        return a[..length];
    }
}
