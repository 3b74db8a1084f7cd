using System.Globalization;
using System.Text;

namespace ManifestBuild.Generator.Emitting
{
    /// <summary>
    /// Writes manifest text as C# literals. Everything outside printable ASCII is escaped as
    /// <c>\uXXXX</c> (newlines of every kind, NUL, bidi controls, lone surrogates, any non-ASCII), so the
    /// generated file is pure ASCII and no manifest character can end the literal or change how the
    /// code around it reads.
    /// </summary>
    internal static class CSharpLiteral
    {
        public static string String(string value) => Append(new StringBuilder(value.Length + 2), value, utf8: false).ToString();

        public static string NullableString(string? value) => value is null ? "null" : String(value);

        /// <summary>
        /// Manifest text as an expression that decodes a UTF-8 literal at run time. A <c>"..."u8</c> literal
        /// is static data, not a user string: an assembly holds at most 16 MB of user strings (CS8103),
        /// which a few large manifests would pass. Constants and attribute arguments cannot use this.
        /// </summary>
        public static string Text(string value) =>
            value.Length == 0 ? "\"\"" : "global::System.Text.Encoding.UTF8.GetString(" + Utf8(value) + ")";

        public static string NullableText(string? value) => value is null ? "null" : Text(value);

        /// <summary>A UTF-8 string literal (<c>"..."u8</c>); the caller ensures the text is well-formed UTF-16.</summary>
        public static string Utf8(string value) => Append(new StringBuilder(value.Length + 4), value, utf8: true).ToString();

        public static string Long(long value) => value.ToString(CultureInfo.InvariantCulture) + "L";

        public static string Int(long value) => value.ToString(CultureInfo.InvariantCulture);

        public static string Bool(bool value) => value ? "true" : "false";

        public static string Double(double value)
        {
            if (double.IsPositiveInfinity(value))
            {
                return "global::System.Double.PositiveInfinity";
            }

            if (double.IsNegativeInfinity(value))
            {
                return "global::System.Double.NegativeInfinity";
            }

            if (double.IsNaN(value))
            {
                return "global::System.Double.NaN";
            }

            // "R" round-trips on every target framework the compiler may run on; the suffix keeps it a double.
            return value.ToString("R", CultureInfo.InvariantCulture) + "d";
        }

        public static string NullableDouble(double? value) => value.HasValue ? Double(value.Value) : "null";

        public static string NullableLong(long? value) => value.HasValue ? Long(value.Value) : "null";

        private static StringBuilder Append(StringBuilder builder, string value, bool utf8)
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
                    case '\0': builder.Append("\\0"); break;
                    default:
                        if (c < 0x20 || c > 0x7E)
                        {
                            builder.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
                        }
                        else
                        {
                            builder.Append(c);
                        }

                        break;
                }
            }

            builder.Append('"');
            if (utf8)
            {
                builder.Append("u8");
            }

            return builder;
        }
    }
}
