using System;
using System.Text;

namespace ManifestBuild.Format.Json
{
    /// <summary>
    /// Escapes strings exactly as ECMAScript's (well-formed) JSON.stringify does, which is also what
    /// RFC 8785 and NIP-01 require: \" \\ \b \t \n \f \r, other C0 controls as lowercase \u00xx,
    /// lone surrogates as lowercase \udxxx, and everything else (non-ASCII, '/', U+2028) raw.
    /// </summary>
    public static class JsonStringEscaper
    {
        private const string HexDigits = "0123456789abcdef";

        /// <summary>The string as a JSON string literal, quotes included.</summary>
        public static string Escape(string value)
        {
            var builder = new StringBuilder(value.Length + 2);
            EscapeTo(builder, value);
            return builder.ToString();
        }

        /// <summary>Appends the string as a JSON string literal, quotes included.</summary>
        public static void EscapeTo(StringBuilder builder, string value)
        {
            if (value is null)
            {
                throw new ArgumentNullException(nameof(value));
            }

            builder.Append('"');
            for (var i = 0; i < value.Length; i++)
            {
                var c = value[i];
                switch (c)
                {
                    case '"': builder.Append("\\\""); continue;
                    case '\\': builder.Append("\\\\"); continue;
                    case '\b': builder.Append("\\b"); continue;
                    case '\t': builder.Append("\\t"); continue;
                    case '\n': builder.Append("\\n"); continue;
                    case '\f': builder.Append("\\f"); continue;
                    case '\r': builder.Append("\\r"); continue;
                }

                if (c < 0x20)
                {
                    AppendUnicodeEscape(builder, c);
                }
                else if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
                {
                    builder.Append(c).Append(value[i + 1]);
                    i++;
                }
                else if (char.IsSurrogate(c))
                {
                    AppendUnicodeEscape(builder, c);
                }
                else
                {
                    builder.Append(c);
                }
            }

            builder.Append('"');
        }

        /// <summary>True when the string holds a surrogate that is not part of a pair.</summary>
        public static bool HasLoneSurrogate(string value)
        {
            for (var i = 0; i < value.Length; i++)
            {
                var c = value[i];
                if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
                {
                    i++;
                }
                else if (char.IsSurrogate(c))
                {
                    return true;
                }
            }

            return false;
        }

        private static void AppendUnicodeEscape(StringBuilder builder, char c)
        {
            builder.Append("\\u")
                .Append(HexDigits[(c >> 12) & 0xF])
                .Append(HexDigits[(c >> 8) & 0xF])
                .Append(HexDigits[(c >> 4) & 0xF])
                .Append(HexDigits[c & 0xF]);
        }
    }
}
