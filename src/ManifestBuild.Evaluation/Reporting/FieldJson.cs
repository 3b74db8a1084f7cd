using ManifestBuild.Format.Json;
using ManifestBuild.Runtime;

namespace ManifestBuild.Evaluation.Reporting;

/// <summary>Typed field values back as JSON (enum members by name), for the per-example results file.</summary>
internal static class FieldJson
{
    public static JsonObject From(SignatureSpec spec, FieldValues values)
    {
        var json = new JsonObject();
        foreach (var field in spec.Outputs)
        {
            if (values.TryGetValue(field.Name, out var value))
            {
                json.Add(field.Name, Value(field, value));
            }
        }

        return json;
    }

    private static JsonValue Value(SignatureField field, object value) => value switch
    {
        string text => new JsonString(text),
        int number => new JsonNumber(number),
        double real => double.IsFinite(real) ? new JsonNumber(real) : new JsonString(real.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        bool flag => JsonBool.From(flag),
        IReadOnlyList<string> list => JsonArray.OfStrings(list),
        EnumValue member when member.Index >= 0 && member.Index < field.EnumValues.Count => new JsonString(field.EnumValues[member.Index]),
        _ => new JsonString(value.ToString() ?? string.Empty),
    };
}
