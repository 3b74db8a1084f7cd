using System.Globalization;
using System.Text;

namespace ManifestBuild.Runtime;

/// <summary>
/// Renders values the way DSPy (Python) prints them into prompts, so that a manifest optimized in DSPy
/// sees the same text here: <c>True</c>, <c>0.5</c>, <c>1e-05</c>, <c>["a", "b"]</c>.
/// </summary>
internal static class PythonText
{
    public static string Bool(bool value) => value ? "True" : "False";

    public static string Int(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Python's repr(float): shortest round-trip digits, exponent form below 1e-4 and from 1e16.</summary>
    public static string Float(double value)
    {
        if (double.IsNaN(value))
        {
            return "nan";
        }

        if (double.IsInfinity(value))
        {
            return value > 0 ? "inf" : "-inf";
        }

        if (value == 0)
        {
            return double.IsNegative(value) ? "-0.0" : "0.0";
        }

        // "E" with the shortest round-trip digit count: d.ddddE+xxx
        var roundTrip = value.ToString("R", CultureInfo.InvariantCulture);
        var negative = value < 0;
        var (digits, exponent) = SplitDigits(roundTrip.TrimStart('-'));
        var builder = new StringBuilder();
        if (negative)
        {
            builder.Append('-');
        }

        if (exponent < -4 || exponent >= 16)
        {
            builder.Append(digits[0]);
            if (digits.Length > 1)
            {
                builder.Append('.').Append(digits, 1, digits.Length - 1);
            }

            builder.Append('e').Append(exponent < 0 ? '-' : '+').Append(Math.Abs(exponent).ToString("00", CultureInfo.InvariantCulture));
        }
        else if (exponent < 0)
        {
            builder.Append("0.").Append('0', -exponent - 1).Append(digits);
        }
        else if (digits.Length <= exponent + 1)
        {
            builder.Append(digits).Append('0', exponent + 1 - digits.Length).Append(".0");
        }
        else
        {
            builder.Append(digits, 0, exponent + 1).Append('.').Append(digits, exponent + 1, digits.Length - exponent - 1);
        }

        return builder.ToString();
    }

    /// <summary>json.dumps(list, ensure_ascii=False): <c>["a", "b"]</c>.</summary>
    public static string StringList(IReadOnlyList<string> items)
    {
        var builder = new StringBuilder("[");
        for (var i = 0; i < items.Count; i++)
        {
            if (i > 0)
            {
                builder.Append(", ");
            }

            JsonString(builder, items[i]);
        }

        return builder.Append(']').ToString();
    }

    /// <summary>A JSON string literal as Python's json module writes it with ensure_ascii=False.</summary>
    public static void JsonString(StringBuilder builder, string value)
    {
        builder.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                case '\b': builder.Append("\\b"); break;
                case '\f': builder.Append("\\f"); break;
                default:
                    if (c < 0x20)
                    {
                        builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        builder.Append(c);
                    }

                    break;
            }
        }

        builder.Append('"');
    }

    /// <summary>repr() of a str as a Literal[...] annotation shows it: single quotes unless the text has one.</summary>
    public static string QuotedLiteral(string value)
    {
        var quote = value.Contains('\'') && !value.Contains('"') ? '"' : '\'';
        var builder = new StringBuilder().Append(quote);
        foreach (var c in value)
        {
            if (c == '\\' || c == quote)
            {
                builder.Append('\\');
            }

            builder.Append(c);
        }

        return builder.Append(quote).ToString();
    }

    private static (string Digits, int Exponent) SplitDigits(string roundTrip)
    {
        var exponent = 0;
        var mantissa = roundTrip;
        var e = roundTrip.IndexOfAny(['E', 'e']);
        if (e >= 0)
        {
            exponent = int.Parse(roundTrip[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            mantissa = roundTrip[..e];
        }

        var dot = mantissa.IndexOf('.');
        var integerPart = dot >= 0 ? mantissa[..dot] : mantissa;
        var fraction = dot >= 0 ? mantissa[(dot + 1)..] : string.Empty;
        var all = (integerPart + fraction).TrimStart('0');
        var leadingZeros = (integerPart + fraction).Length - all.Length;
        exponent += integerPart.Length - 1 - leadingZeros;
        all = all.TrimEnd('0');
        return (all.Length == 0 ? "0" : all, exponent);
    }
}
