using System.Globalization;
using ManifestBuild.Format;

namespace ManifestBuild.Runtime;

/// <summary>
/// Converts between values by field name (what a <see cref="DynamicSignature"/> caller holds) and
/// <see cref="FieldValues"/> (what the formatter and parser take). Types per the manifest's field:
/// <c>string</c> a <see cref="string"/>, <c>int</c> an <see cref="int"/>, <c>float</c> a <see cref="double"/>,
/// <c>bool</c> a <see cref="bool"/>, <c>string[]</c> an <see cref="IReadOnlyList{T}"/> of strings, <c>enum</c>
/// the value as the manifest spells it.
/// </summary>
internal static class NamedValues
{
    public static FieldValues ToInputs(SignatureSpec spec, IReadOnlyDictionary<string, object?> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (HasUnknown(spec, inputs))
        {
            var unknown = inputs.Keys.Where(name => !IsInput(spec, name)).ToList();
            throw new DsrsException(RuntimeErrorCodes.UnknownInput,
                $"signature '{spec.SignatureName}' has no input {string.Join(", ", unknown.Select(Quote))}; its inputs are {Names(spec.Inputs)}");
        }

        var values = new FieldValues();
        foreach (var field in spec.Inputs)
        {
            if (!inputs.TryGetValue(field.Name, out var value) || value is null)
            {
                throw new DsrsException(RuntimeErrorCodes.MissingInput, $"no value for the input '{field.Name}' ({TypeName(field)}) of signature '{spec.SignatureName}'");
            }

            values.Add(field.Name, ToInput(spec, field, value));
        }

        return values;
    }

    public static IReadOnlyDictionary<string, object> FromOutputs(SignatureSpec spec, FieldValues values)
    {
        // Declaration order: a Dictionary that is only added to enumerates in insertion order.
        var outputs = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var field in spec.Outputs)
        {
            outputs.Add(field.Name, field.Kind switch
            {
                FieldKind.Enum => field.EnumValues[values.GetEnumIndex(field.Name)],
                FieldKind.StringList => values.GetStringList(field.Name),
                _ => values[field.Name],
            });
        }

        return outputs;
    }

    private static bool HasUnknown(SignatureSpec spec, IReadOnlyDictionary<string, object?> inputs)
    {
        foreach (var (name, _) in inputs)
        {
            if (!IsInput(spec, name))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsInput(SignatureSpec spec, string name)
    {
        foreach (var field in spec.Inputs)
        {
            if (string.Equals(field.Name, name, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static object ToInput(SignatureSpec spec, SignatureField field, object value)
    {
        switch (field.Kind)
        {
            case FieldKind.String when value is string text:
                return text;
            case FieldKind.Int when Integer(value) is { } integer:
                return integer;
            case FieldKind.Float when Real(value) is { } real:
                return real;
            case FieldKind.Bool when value is bool flag:
                return flag;
            case FieldKind.StringList when value is not string && value is IEnumerable<string?> items:
                var list = items.ToArray();
                if (Array.IndexOf(list, null) < 0)
                {
                    return list;
                }

                break;
            case FieldKind.Enum when value is string member:
                for (var i = 0; i < field.EnumValues.Count; i++)
                {
                    if (string.Equals(field.EnumValues[i], member, StringComparison.Ordinal))
                    {
                        return new EnumValue(i);
                    }
                }

                throw new DsrsException(RuntimeErrorCodes.MistypedInput,
                    $"the input '{field.Name}' of signature '{spec.SignatureName}' must be one of {string.Join(", ", field.EnumValues.Select(Quote))}, not {Quote(member)}");
        }

        throw new DsrsException(RuntimeErrorCodes.MistypedInput,
            $"the input '{field.Name}' of signature '{spec.SignatureName}' takes {TypeName(field)}, not a {value.GetType().Name}");
    }

    // Any integral CLR type whose value fits an int; never a fractional number.
    private static int? Integer(object value) => value switch
    {
        int i => i,
        long l when l is >= int.MinValue and <= int.MaxValue => (int)l,
        short or sbyte or byte or ushort => System.Convert.ToInt32(value, CultureInfo.InvariantCulture),
        uint u when u <= int.MaxValue => (int)u,
        ulong u when u <= int.MaxValue => (int)u,
        _ => null,
    };

    private static double? Real(object value) => value switch
    {
        double d => d,
        float f => f,
        decimal m => (double)m,
        _ => Integer(value) is { } i ? i : value is long l ? l : null,
    };

    private static string TypeName(SignatureField field) => field.Kind switch
    {
        FieldKind.Int => "an int",
        FieldKind.Float => "a float (double)",
        FieldKind.Bool => "a bool",
        FieldKind.StringList => "a list of strings",
        FieldKind.Enum => "one of " + string.Join(", ", field.EnumValues.Select(Quote)) + " as a string",
        _ => "a string",
    };

    private static string Names(IReadOnlyList<SignatureField> fields) => fields.Count == 0 ? "none" : string.Join(", ", fields.Select(f => Quote(f.Name)));

    private static string Quote(string text) => "'" + (text.Length <= 80 ? text : text[..80] + "...") + "'";
}
