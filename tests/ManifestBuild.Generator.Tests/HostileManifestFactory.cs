using System.Globalization;
using System.Text;
using Microsoft.CodeAnalysis.CSharp;

namespace ManifestBuild.Generator.Tests;

/// <summary>What a fuzz manifest declared, to compare against what the compiled code reads back.</summary>
public sealed record FuzzField(string Name, string Type, string? Description, IReadOnlyList<string> Values);

public sealed record FuzzManifest(
    string ClassName,
    string Text,
    bool ExpectRefusal,
    string SignatureName,
    string Instruction,
    string? Family,
    IReadOnlyList<string> DomainTags,
    IReadOnlyList<FuzzField> Inputs,
    IReadOnlyList<FuzzField> Outputs,
    IReadOnlyList<(Dictionary<string, object> Inputs, Dictionary<string, object> Outputs)> Demos,
    bool Typed);

/// <summary>
/// Generates hostile manifests from a seeded Random: strings built from fragments that break naive
/// code generators (quotes, backslashes, raw-string and comment terminators, preprocessor lines,
/// escapes, every kind of newline, bidi controls, NUL, lone surrogates), keywords as names.
/// </summary>
public sealed class HostileManifestFactory(int seed)
{
    private static readonly string[] Fragments =
    [
        "\"", "\\", "\"\"\"", "*/", "/*", "//", "#line 1 \"x.cs\"", "#error boom", "#if DEBUG", "#pragma warning disable",
        "\\u0041", "\\\"", "\n", "\r", "\r\n", "\u2028", "\u2029", "\u0085", "\u202E", "\u202A", "\u2066", "\u2069", "\u200E",
        "\0", "\t", "\u000B", "\u000C", "}", "{", "{{", "u8", "@\"", "$\"", "'", "');", "\"); System.Environment.Exit(1); //",
        "\U0001F600", "\u00e9", "\u4e2d", "\uFEFF", " ", "a", "Z", "0", "_", "<", ">", "&", "%", "\u007F", "\u009F",
    ];

    private static readonly string[] LoneSurrogates = ["\uD800", "\uDBFF", "\uDC00", "\uDFFF"];

    private static readonly string[] Keywords = SyntaxFacts.GetKeywordKinds().Concat(SyntaxFacts.GetContextualKeywordKinds())
        .Select(SyntaxFacts.GetText).Where(k => k.Length > 0 && char.IsLetter(k[0])).Distinct().ToArray();

    private static readonly string[] Types = ["string", "int", "float", "bool", "string[]", "enum"];

    private readonly Random random = new(seed);

    public FuzzManifest Next(string className, int hugeLength = 0)
    {
        var lone = random.Next(12) == 0;
        var signatureName = Hostile(lone);
        var instruction = hugeLength > 0 ? HugeString(hugeLength) : Hostile(false);
        var family = random.Next(3) == 0 ? null : Hostile(false);
        var tags = Enumerable.Range(0, random.Next(3)).Select(_ => Hostile(false)).ToList();
        var typed = random.Next(5) != 0;
        var inputs = typed ? Fields(random.Next(0, 4), "i") : [];
        var outputs = typed ? Fields(random.Next(1, 4), "o") : [];
        var demos = new List<(Dictionary<string, object>, Dictionary<string, object>)>();
        for (var d = random.Next(3); d > 0; d--)
        {
            demos.Add(typed
                ? (DemoValues(inputs), DemoValues(outputs))
                : (UntypedValues(), UntypedValues()));
        }

        var json = new StringBuilder("{");
        Member(json, "signature_name", signatureName);
        json.Append(',');
        Member(json, "instruction", instruction);
        if (family != null)
        {
            json.Append(',');
            Member(json, "family", family);
        }

        json.Append(",\"domain_tags\":[").Append(string.Join(",", tags.Select(JsonString))).Append(']');
        if (typed)
        {
            json.Append(",\"inputs\":").Append(FieldsJson(inputs)).Append(",\"outputs\":").Append(FieldsJson(outputs));
        }

        json.Append(",\"demos\":[").Append(string.Join(",", demos.Select(d => "{\"inputs\":" + ValuesJson(d.Item1) + ",\"outputs\":" + ValuesJson(d.Item2) + "}"))).Append("]}");
        return new FuzzManifest(className, json.ToString(), lone, signatureName, instruction, family, tags, inputs, outputs, demos, typed);
    }

    private string Hostile(bool withLoneSurrogate)
    {
        var builder = new StringBuilder();
        for (var n = random.Next(1, 8); n > 0; n--)
        {
            builder.Append(random.Next(4) == 0 ? Keywords[random.Next(Keywords.Length)] : Fragments[random.Next(Fragments.Length)]);
        }

        if (withLoneSurrogate)
        {
            builder.Insert(random.Next(builder.Length + 1), LoneSurrogates[random.Next(LoneSurrogates.Length)]);
        }

        return builder.ToString();
    }

    private string HugeString(int length)
    {
        var builder = new StringBuilder(length + 64);
        while (builder.Length < length)
        {
            builder.Append(Fragments[random.Next(Fragments.Length)]);
        }

        return builder.ToString();
    }

    private List<FuzzField> Fields(int count, string prefix)
    {
        var fields = new List<FuzzField>();
        for (var i = 0; i < count; i++)
        {
            // Mostly keyword + hostile text + a distinct ASCII tail (so names rarely collide); sometimes a bare keyword.
            var name = random.Next(5) == 0
                ? Keywords[random.Next(Keywords.Length)] + prefix + i
                : Hostile(false) + Keywords[random.Next(Keywords.Length)] + "_" + prefix + i;
            var type = Types[random.Next(Types.Length)];
            var values = type == "enum"
                ? Enumerable.Range(0, random.Next(1, 4)).Select(k => Hostile(false) + " v" + k).ToList()
                : [];
            fields.Add(new FuzzField(name, type, random.Next(2) == 0 ? null : Hostile(false), values));
        }

        return fields;
    }

    private Dictionary<string, object> DemoValues(IReadOnlyList<FuzzField> fields)
    {
        var values = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var field in fields)
        {
            values[field.Name] = field.Type switch
            {
                "int" => (object)random.Next(int.MinValue, int.MaxValue),
                "float" => Math.Round((random.NextDouble() - 0.5) * 1e6, 3),
                "bool" => random.Next(2) == 0,
                "string[]" => Enumerable.Range(0, random.Next(3)).Select(_ => Hostile(false)).ToArray(),
                "enum" => field.Values[random.Next(field.Values.Count)],
                _ => Hostile(false),
            };
        }

        return values;
    }

    private Dictionary<string, object> UntypedValues()
    {
        var values = new Dictionary<string, object>(StringComparer.Ordinal);
        for (var n = random.Next(3); n > 0; n--)
        {
            values[Hostile(false) + n] = Hostile(false);
        }

        return values;
    }

    private static string FieldsJson(IReadOnlyList<FuzzField> fields) => "[" + string.Join(",", fields.Select(f =>
    {
        var json = new StringBuilder("{");
        Member(json, "name", f.Name);
        json.Append(',');
        Member(json, "type", f.Type);
        if (f.Description != null)
        {
            json.Append(',');
            Member(json, "description", f.Description);
        }

        if (f.Type == "enum")
        {
            json.Append(",\"values\":[").Append(string.Join(",", f.Values.Select(JsonString))).Append(']');
        }

        return json.Append('}').ToString();
    })) + "]";

    private static string ValuesJson(Dictionary<string, object> values) => "{" + string.Join(",", values.Select(v => JsonString(v.Key) + ":" + v.Value switch
    {
        string s => JsonString(s),
        bool b => b ? "true" : "false",
        int i => i.ToString(CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        string[] list => "[" + string.Join(",", list.Select(JsonString)) + "]",
        _ => throw new InvalidOperationException(),
    })) + "}";

    private static void Member(StringBuilder json, string name, string value) => json.Append(JsonString(name)).Append(':').Append(JsonString(value));

    /// <summary>JSON string text; surrogates are always escaped so that lone ones stay representable.</summary>
    public static string JsonString(string value)
    {
        var builder = new StringBuilder("\"");
        foreach (var c in value)
        {
            if (c == '"' || c == '\\')
            {
                builder.Append('\\').Append(c);
            }
            else if (c < 0x20 || char.IsSurrogate(c))
            {
                builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.Append('"').ToString();
    }
}
