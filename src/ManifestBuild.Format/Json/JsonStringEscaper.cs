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
        public static void EscapeTo(StringBuilder builder, string value) => EscapeTo(builder, value, false);

        /// <summary>
        /// Appends the string as a JSON string literal; with <paramref name="escapeDisplayUnsafe"/> also
        /// every character <see cref="IsDisplayUnsafe"/> names as \uXXXX, so a file a person reviews (the
        /// lockfile) shows no bidi override or terminal control raw. The value read back is the same.
        /// </summary>
        public static void EscapeTo(StringBuilder builder, string value, bool escapeDisplayUnsafe)
        {
            if (value is null)
            {
                throw new ArgumentNullException(nameof(value));
            }

            builder.Append('"');

            // Characters that stand for themselves are copied in runs, not one at a time.
            var run = 0;
            for (var i = 0; i < value.Length; i++)
            {
                var c = value[i];
                if (c >= 0x20 && c != '"' && c != '\\' && !char.IsSurrogate(c) && !(escapeDisplayUnsafe && IsDisplayUnsafe(c)))
                {
                    continue;
                }

                if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
                {
                    i++; // a well-formed pair is written raw, as part of the run
                    continue;
                }

                builder.Append(value, run, i - run);
                run = i + 1;
                switch (c)
                {
                    case '"': builder.Append("\\\""); break;
                    case '\\': builder.Append("\\\\"); break;
                    case '\b': builder.Append("\\b"); break;
                    case '\t': builder.Append("\\t"); break;
                    case '\n': builder.Append("\\n"); break;
                    case '\f': builder.Append("\\f"); break;
                    case '\r': builder.Append("\\r"); break;
                    default: AppendUnicodeEscape(builder, c); break; // other C0 controls and lone surrogates
                }
            }

            builder.Append(value, run, value.Length - run);
            builder.Append('"');
        }

        /// <summary>
        /// Characters that change how the text around them is displayed rather than showing themselves:
        /// C0 and C1 controls and DEL (terminal escapes, bells), the Unicode bidi embeddings, overrides,
        /// isolates and marks (they reorder what a reviewer reads), zero-width characters, line and
        /// paragraph separators, and the byte-order mark. The one list every display escape uses.
        /// </summary>
        public static bool IsDisplayUnsafe(char c) =>
            c < 0x20 || (c >= 0x7F && c <= 0x9F)
            || c == '\u061C' || c == '\u200B' || c == '\u200C' || c == '\u200D' || c == '\u200E' || c == '\u200F'
            || (c >= '\u2028' && c <= '\u202E') || (c >= '\u2060' && c <= '\u2069') || c == '\uFEFF';

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
