using System.Text.Json;
using ManifestBuild.Format;

namespace ManifestBuild.Runtime;

/// <summary>
/// Reads a model's reply into field values. Tolerant where models wander (whitespace and case in the
/// <c>[[ ## field ## ]]</c> markers, case and separators in enum values, quotes around scalars, a JSON
/// object wrapped in prose or a code fence), strict where it matters: every output field must be there
/// and must parse as its type, else a <see cref="DsrsException"/> says which and why.
/// </summary>
public static class ReplyParser
{
    public static FieldValues Parse(SignatureSpec signature, string? reply)
    {
        ArgumentNullException.ThrowIfNull(signature);
        if (string.IsNullOrWhiteSpace(reply))
        {
            throw new DsrsException(RuntimeErrorCodes.EmptyReply, $"the model's reply for signature '{signature.SignatureName}' is empty");
        }

        return signature.Adapter == PromptAdapter.Json ? ParseJson(signature, reply) : ParseChat(signature, reply);
    }

    /// <summary>The chat adapter's sections: text between one marker and the next belongs to the first.</summary>
    public static FieldValues ParseChat(SignatureSpec signature, string reply)
    {
        // Read in place: a section is the lines between its marker and the next one, so it is one range
        // of the reply (plus any text after its marker); only marker lines are matched against the pattern.
        var text = reply.Replace("\r\n", "\n");
        var outputs = signature.Outputs;
        var sections = new Section[outputs.Count];
        var current = -1;
        for (var start = 0; start <= text.Length;)
        {
            var newline = text.IndexOf('\n', start);
            var end = newline < 0 ? text.Length : newline;
            var line = text.AsSpan(start, end - start);
            if (MarkerLine.TryRead(line, out var name, out var length))
            {
                var index = FindField(outputs, name);
                current = -1;
                if (index >= 0 && !sections[index].Found)
                {
                    // The first section for a field wins, as in DSPy; later repeats are ignored.
                    var rest = line[length..].Trim();
                    var next = Math.Min(end + 1, text.Length);
                    sections[index] = new Section(true, rest.Length > 0 ? rest.ToString() : null, next, next);
                    current = index;
                }
            }
            else if (current >= 0)
            {
                sections[current].End = end;
            }

            if (newline < 0)
            {
                break;
            }

            start = newline + 1;
        }

        var values = new FieldValues();
        for (var i = 0; i < outputs.Count; i++)
        {
            var section = sections[i];
            if (!section.Found)
            {
                throw MissingField(signature, outputs[i]);
            }

            var lines = text.AsSpan(section.Start, section.End - section.Start);
            var value = section.Rest is null ? lines.Trim().ToString() : string.Concat(section.Rest, "\n", lines).Trim();
            values.Add(outputs[i].Name, ValueParser.Parse(outputs[i], value));
        }

        return values;
    }

    /// <summary>The json adapter's object: the outermost braces in the reply, members matched by name.</summary>
    public static FieldValues ParseJson(SignatureSpec signature, string reply)
    {
        var start = reply.IndexOf('{');
        var end = reply.LastIndexOf('}');
        JsonDocument? document = null;
        if (start >= 0 && end > start)
        {
            try
            {
                document = JsonDocument.Parse(reply[start..(end + 1)], new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
            }
            catch (JsonException)
            {
                document = null;
            }
        }

        if (document is null || document.RootElement.ValueKind != JsonValueKind.Object)
        {
            throw new DsrsException(RuntimeErrorCodes.ReplyNotJsonObject, $"the model's reply for signature '{signature.SignatureName}' holds no JSON object, which the json adapter expects");
        }

        using (document)
        {
            var members = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                var index = FindField(signature.Outputs, property.Name);
                if (index >= 0 && !members.ContainsKey(signature.Outputs[index].Name))
                {
                    members[signature.Outputs[index].Name] = property.Value.Clone();
                }
            }

            var values = new FieldValues();
            foreach (var field in signature.Outputs)
            {
                if (!members.TryGetValue(field.Name, out var element) || element.ValueKind == JsonValueKind.Null)
                {
                    throw MissingField(signature, field);
                }

                values.Add(field.Name, ValueParser.ParseJson(field, element));
            }

            return values;
        }
    }

    /// <summary>The field's index: exact name first, then ignoring case, spaces, underscores and hyphens; -1 for none.</summary>
    private static int FindField(IReadOnlyList<SignatureField> fields, ReadOnlySpan<char> name)
    {
        var trimmed = name.Trim();
        for (var i = 0; i < fields.Count; i++)
        {
            if (trimmed.SequenceEqual(fields[i].Name))
            {
                return i;
            }
        }

        for (var i = 0; i < fields.Count; i++)
        {
            if (ValueParser.SameNormalized(fields[i].Name, trimmed))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Where a field's section is in the reply: found, the text after its marker, its lines' range.</summary>
    private record struct Section(bool Found, string? Rest, int Start, int End);

    private static DsrsException MissingField(SignatureSpec signature, SignatureField field) =>
        new(RuntimeErrorCodes.MissingOutputField,
            $"the model's reply for signature '{signature.SignatureName}' lacks the output field '{field.Name}'" +
            (signature.Adapter == PromptAdapter.Json ? " (no such member in its JSON object)" : $" (no [[ ## {field.Name} ## ]] section)"));

}
