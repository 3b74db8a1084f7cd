using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using ManifestBuild.Format;

namespace ManifestBuild.Runtime;

/// <summary>Turns one field's reply text (or JSON value) into a typed value, tolerant of what models add.</summary>
public static partial class ValueParser
{
    public static object Parse(SignatureField field, string text)
    {
        var value = StripFence(text);
        return field.Kind switch
        {
            FieldKind.String => value,
            FieldKind.Int => ParseInt(field, Unquote(value)),
            FieldKind.Float => ParseFloat(field, Unquote(value)),
            FieldKind.Bool => ParseBool(field, Unquote(value)),
            FieldKind.StringList => ParseList(field, value),
            FieldKind.Enum => ParseEnum(field, value),
            _ => value,
        };
    }

    public static object ParseJson(SignatureField field, JsonElement element)
    {
        return element.ValueKind switch
        {
            JsonValueKind.String => Parse(field, element.GetString()!),
            JsonValueKind.Array when field.Kind == FieldKind.StringList => element.EnumerateArray().Select(item => item.ValueKind == JsonValueKind.String ? item.GetString()! : item.GetRawText()).ToArray(),
            JsonValueKind.True or JsonValueKind.False when field.Kind == FieldKind.Bool => element.GetBoolean(),
            JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False or JsonValueKind.Array or JsonValueKind.Object => Parse(field, element.GetRawText()),
            _ => throw Invalid(field, element.GetRawText()),
        };
    }

    /// <summary>Lowercase letters and digits only: "Very High", "very_high" and "VERY-HIGH" all become "veryhigh".</summary>
    public static string Normalize(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text.Normalize(NormalizationForm.FormKC))
        {
            if (char.IsLetterOrDigit(c))
            {
                builder.Append(char.ToLowerInvariant(c));
            }
        }

        return builder.ToString();
    }

    /// <summary>
    /// <see cref="Normalize"/>(a) == Normalize(b), both non-empty; for ASCII (where FormKC changes nothing)
    /// compared in place, without building either string.
    /// </summary>
    internal static bool SameNormalized(string a, ReadOnlySpan<char> b)
    {
        if (!Ascii.IsValid(a) || !Ascii.IsValid(b))
        {
            var normalized = Normalize(b.ToString());
            return normalized.Length > 0 && Normalize(a) == normalized;
        }

        int i = 0, j = 0, compared = 0;
        while (true)
        {
            while (i < a.Length && !char.IsAsciiLetterOrDigit(a[i]))
            {
                i++;
            }

            while (j < b.Length && !char.IsAsciiLetterOrDigit(b[j]))
            {
                j++;
            }

            if (i == a.Length || j == b.Length)
            {
                return i == a.Length && j == b.Length && compared > 0;
            }

            if (char.ToLowerInvariant(a[i]) != char.ToLowerInvariant(b[j]))
            {
                return false;
            }

            i++;
            j++;
            compared++;
        }
    }

    private static int ParseInt(SignatureField field, string text)
    {
        if (int.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        // "3.0" is an int a model may well write; "3.5" is not.
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var real) && real == Math.Floor(real) && real >= int.MinValue && real <= int.MaxValue)
        {
            return (int)real;
        }

        throw Invalid(field, text);
    }

    private static double ParseFloat(SignatureField field, string text)
    {
        var trimmed = text.EndsWith('%') ? text[..^1] : text;
        if (double.TryParse(trimmed, NumberStyles.Float | NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out var value))
        {
            return text.EndsWith('%') ? value / 100 : value;
        }

        throw Invalid(field, text);
    }

    private static bool ParseBool(SignatureField field, string text) => text.Trim().ToLowerInvariant() switch
    {
        "true" or "yes" or "1" => true,
        "false" or "no" or "0" => false,
        _ => throw Invalid(field, text),
    };

    private static IReadOnlyList<string> ParseList(SignatureField field, string text)
    {
        var trimmed = text.Trim();
        if (trimmed.Length == 0 || trimmed == "N/A" || trimmed == "[]")
        {
            return Array.Empty<string>();
        }

        if (trimmed.StartsWith('[') && !Bullet().IsMatch(trimmed))
        {
            try
            {
                using var document = JsonDocument.Parse(trimmed);
                if (document.RootElement.ValueKind == JsonValueKind.Array)
                {
                    return document.RootElement.EnumerateArray().Select(item => item.ValueKind == JsonValueKind.String ? item.GetString()! : item.GetRawText()).ToArray();
                }
            }
            catch (JsonException)
            {
                // Python's repr of a list uses single quotes; try that form next.
            }

            var pythonItems = PythonListItem().Matches(trimmed);
            if (pythonItems.Count > 0 && trimmed.EndsWith(']'))
            {
                return pythonItems.Select(m => m.Groups["text"].Value.Replace("\\'", "'").Replace("\\\\", "\\")).ToArray();
            }

            throw Invalid(field, text);
        }

        // One item per line, with or without "- ", "* ", "1. " or "[1] " bullets and «» quotes.
        return trimmed.Split('\n')
            .Select(line => Bullet().Replace(line.Trim(), string.Empty).Trim().Trim('«', '»').Trim())
            .Where(line => line.Length > 0)
            .ToArray();
    }

    private static EnumValue ParseEnum(SignatureField field, string text)
    {
        var candidate = Unquote(text.Trim().TrimEnd('.'));
        for (var i = 0; i < field.EnumValues.Count; i++)
        {
            if (string.Equals(field.EnumValues[i], candidate, StringComparison.Ordinal))
            {
                return new EnumValue(i);
            }
        }

        var normalized = Normalize(candidate);
        var matches = Enumerable.Range(0, field.EnumValues.Count).Where(i => Normalize(field.EnumValues[i]) == normalized).ToList();
        if (normalized.Length > 0 && matches.Count == 1)
        {
            return new EnumValue(matches[0]);
        }

        throw new DsrsException(RuntimeErrorCodes.UnknownEnumValue,
            $"the output field '{field.Name}' must be one of {string.Join(", ", field.EnumValues.Select(v => "'" + v + "'"))}, but the reply has '{Shorten(text)}'");
    }

    private static string StripFence(string text)
    {
        var trimmed = text.Trim();
        if (trimmed.StartsWith("```", StringComparison.Ordinal) && trimmed.EndsWith("```", StringComparison.Ordinal) && trimmed.Length >= 6)
        {
            var firstNewline = trimmed.IndexOf('\n');
            if (firstNewline > 0)
            {
                return trimmed[(firstNewline + 1)..^3].Trim();
            }
        }

        return trimmed;
    }

    private static string Unquote(string text)
    {
        var trimmed = text.Trim();
        if (trimmed.Length >= 2 && ((trimmed[0] == '"' && trimmed[^1] == '"') || (trimmed[0] == '\'' && trimmed[^1] == '\'') || (trimmed[0] == '`' && trimmed[^1] == '`')))
        {
            return trimmed[1..^1].Trim();
        }

        return trimmed;
    }

    private static DsrsException Invalid(SignatureField field, string text) =>
        new(RuntimeErrorCodes.InvalidOutputValue, $"the output field '{field.Name}' expects {KindName(field.Kind)}, but the reply has '{Shorten(text)}'");

    private static string KindName(FieldKind kind) => kind switch
    {
        FieldKind.Int => "an int",
        FieldKind.Float => "a float",
        FieldKind.Bool => "True or False",
        FieldKind.StringList => "a list of strings",
        FieldKind.Enum => "an enum value",
        _ => "a string",
    };

    // Model output can be long; an error message shows its start only.
    private static string Shorten(string text) => text.Length <= 80 ? text : text[..80] + "...";

    [GeneratedRegex(@"'(?<text>(?:[^'\\]|\\.)*)'", RegexOptions.CultureInvariant)]
    private static partial Regex PythonListItem();

    [GeneratedRegex(@"^(?:[-*•]\s+|\d+[.)]\s+|\[\d+\]\s*)", RegexOptions.CultureInvariant)]
    private static partial Regex Bullet();
}
