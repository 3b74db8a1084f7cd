using System.Text.Json;
using System.Text.Json.Nodes;

namespace ManifestBuild.Lightning.Tests.SpecFakes;

/// <summary>The field types the node specs use, checked the way each node's own decoder checks them.</summary>
internal enum FieldType
{
    String,
    Bool,

    /// <summary>protojson int32/uint32: a JSON number (a string of digits is also accepted by protojson).</summary>
    Int32,

    /// <summary>protojson int64/uint64: a decimal string or a JSON number.</summary>
    Int64,

    /// <summary>Core Lightning "msat": a number, or a string with a msat/sat suffix.</summary>
    Msat,

    /// <summary>Core Lightning u32/u64: a non-negative integer.</summary>
    UnsignedInteger,

    /// <summary>A JSON array.</summary>
    Array,
}

/// <summary>Strict request checks shared by the spec fakes; every miss is recorded as a violation.</summary>
internal static class SpecCheck
{
    /// <summary>Parses a JSON object body; a body that is not one is a violation (null returned).</summary>
    public static JsonObject? ObjectBody(string body, FakeLightningBackend backend, string where)
    {
        try
        {
            if (JsonNode.Parse(body) is JsonObject obj)
            {
                return obj;
            }
        }
        catch (JsonException)
        {
        }

        backend.Violation($"{where}: the body is not a JSON object: {body}");
        return null;
    }

    /// <summary>Every field must be a known one of the right type; every required field present.</summary>
    public static void Fields(JsonObject body, IReadOnlyDictionary<string, FieldType> known, IEnumerable<string> required, FakeLightningBackend backend, string where)
    {
        foreach (var (name, value) in body)
        {
            if (!known.TryGetValue(name, out var type))
            {
                backend.Violation($"{where}: unknown field '{name}'");
            }
            else if (!HasType(value, type))
            {
                backend.Violation($"{where}: field '{name}' is not of type {type}: {value?.ToJsonString()}");
            }
        }

        foreach (var name in required.Where(r => !body.ContainsKey(r)))
        {
            backend.Violation($"{where}: required field '{name}' is missing");
        }
    }

    /// <summary>Two fields the spec says are mutually exclusive.</summary>
    public static void Exclusive(JsonObject body, string a, string b, FakeLightningBackend backend, string where)
    {
        if (body.ContainsKey(a) && body.ContainsKey(b))
        {
            backend.Violation($"{where}: '{a}' and '{b}' are mutually exclusive");
        }
    }

    public static bool HasType(JsonNode? value, FieldType type)
    {
        if (value is JsonArray)
        {
            return type == FieldType.Array;
        }

        if (value is not JsonValue v)
        {
            return false;
        }

        return (type, v.GetValueKind()) switch
        {
            (FieldType.String, JsonValueKind.String) => true,
            (FieldType.Bool, JsonValueKind.True or JsonValueKind.False) => true,
            (FieldType.Int32, JsonValueKind.Number) => v.TryGetValue<int>(out _),
            (FieldType.Int32, JsonValueKind.String) => int.TryParse(v.GetValue<string>(), out _),
            (FieldType.Int64, JsonValueKind.Number) => v.TryGetValue<long>(out _),
            (FieldType.Int64, JsonValueKind.String) => long.TryParse(v.GetValue<string>(), System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out _),
            (FieldType.Msat, JsonValueKind.Number) => v.TryGetValue<long>(out var m) && m >= 0,
            (FieldType.Msat, JsonValueKind.String) => IsMsatString(v.GetValue<string>()),
            (FieldType.UnsignedInteger, JsonValueKind.Number) => v.TryGetValue<long>(out var u) && u >= 0,
            _ => false,
        };
    }

    /// <summary>
    /// Go's base64.StdEncoding / base64.URLEncoding DecodeString: the alphabet's letters only, and the
    /// '=' padding required (no RawStdEncoding leniency). Null when it would return an error.
    /// </summary>
    public static byte[]? GoBase64(string text, bool urlAlphabet)
    {
        if (text.Length % 4 != 0)
        {
            return null;
        }

        var body = text.TrimEnd('=');
        if (text.Length - body.Length > 2)
        {
            return null;
        }

        var extra = urlAlphabet ? "-_" : "+/";
        if (!body.All(c => char.IsAsciiLetterOrDigit(c) || extra.Contains(c)))
        {
            return null;
        }

        var standard = urlAlphabet ? body.Replace('-', '+').Replace('_', '/') : body;
        try
        {
            return Convert.FromBase64String(standard.PadRight(text.Length, '='));
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static bool IsMsatString(string text)
    {
        var digits = text.EndsWith("msat", StringComparison.Ordinal) ? text[..^4] : text.EndsWith("sat", StringComparison.Ordinal) ? text[..^3] : text;
        return digits.Length > 0 && digits.All(char.IsAsciiDigit);
    }
}
