using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using ManifestBuild.Format;

namespace ManifestBuild.Runtime;

/// <summary>
/// Reads a model's reply into field values. Tolerant where models wander (whitespace and case in the
/// <c>[[ ## field ## ]]</c> markers, case and separators in enum values, quotes around scalars, a JSON
/// object wrapped in prose or a code fence), strict where it matters: every output field must be there
/// and must parse as its type, else a <see cref="DsrsException"/> says which and why.
/// </summary>
public static partial class ReplyParser
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
        var sections = new Dictionary<string, StringBuilder>(StringComparer.Ordinal);
        StringBuilder? current = null;
        foreach (var line in reply.Replace("\r\n", "\n").Split('\n'))
        {
            var match = MarkerPattern().Match(line);
            if (match.Success)
            {
                var field = FindField(signature.Outputs, match.Groups["name"].Value);
                current = null;
                if (field is not null && !sections.ContainsKey(field.Name))
                {
                    // The first section for a field wins, as in DSPy; later repeats are ignored.
                    current = sections[field.Name] = new StringBuilder();
                    var rest = line[(match.Index + match.Length)..].Trim();
                    if (rest.Length > 0)
                    {
                        current.Append(rest).Append('\n');
                    }
                }

                continue;
            }

            current?.Append(line).Append('\n');
        }

        var values = new FieldValues();
        foreach (var field in signature.Outputs)
        {
            if (!sections.TryGetValue(field.Name, out var text))
            {
                throw MissingField(signature, field);
            }

            values.Add(field.Name, ValueParser.Parse(field, text.ToString().Trim()));
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
                var field = FindField(signature.Outputs, property.Name);
                if (field is not null && !members.ContainsKey(field.Name))
                {
                    members[field.Name] = property.Value.Clone();
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

    /// <summary>Exact name first, then ignoring case, spaces, underscores and hyphens.</summary>
    private static SignatureField? FindField(IReadOnlyList<SignatureField> fields, string name)
    {
        var trimmed = name.Trim();
        return fields.FirstOrDefault(f => string.Equals(f.Name, trimmed, StringComparison.Ordinal))
            ?? fields.FirstOrDefault(f => ValueParser.Normalize(f.Name) == ValueParser.Normalize(trimmed) && ValueParser.Normalize(trimmed).Length > 0);
    }

    private static DsrsException MissingField(SignatureSpec signature, SignatureField field) =>
        new(RuntimeErrorCodes.MissingOutputField,
            $"the model's reply for signature '{signature.SignatureName}' lacks the output field '{field.Name}'" +
            (signature.Adapter == PromptAdapter.Json ? " (no such member in its JSON object)" : $" (no [[ ## {field.Name} ## ]] section)"));

    // A marker line: [[ ## name ## ]], tolerant of spaces, of a missing '#', and of leading text such as "**".
    [GeneratedRegex(@"^\s*[*_`]*\s*\[\[\s*#{1,3}\s*(?<name>[^\]#]+?)\s*#{1,3}\s*\]\][*_`]*", RegexOptions.CultureInvariant)]
    private static partial Regex MarkerPattern();
}
