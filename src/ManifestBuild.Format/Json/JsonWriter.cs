using System;
using System.Text;

namespace ManifestBuild.Format.Json
{
    /// <summary>
    /// Writes JSON text in document order: compact, or two-space indented with LF line ends (the
    /// form files are saved in). Numbers keep their source text; strings use JSON.stringify escaping.
    /// The result has no trailing newline; <see cref="WriteFile"/> adds one.
    /// </summary>
    public static class JsonWriter
    {
        public static string Write(JsonValue value, bool indented) => Write(value, indented, false);

        /// <summary>
        /// As <see cref="Write(JsonValue, bool)"/>; with <paramref name="escapeDisplayUnsafe"/> strings also
        /// escape bidi and control characters (see <see cref="JsonStringEscaper.IsDisplayUnsafe"/>). Not for
        /// signed or hashed forms: those need JSON.stringify's exact escaping.
        /// </summary>
        public static string Write(JsonValue value, bool indented, bool escapeDisplayUnsafe)
        {
            if (value is null)
            {
                throw new ArgumentNullException(nameof(value));
            }

            var builder = new StringBuilder();
            WriteValue(builder, value, indented, 0, escapeDisplayUnsafe);
            return builder.ToString();
        }

        /// <summary>The text of a saved file: indented, LF, one trailing newline.</summary>
        public static string WriteFile(JsonValue value) => Write(value, true) + "\n";

        /// <summary>A saved file a person reviews (the lockfile): as <see cref="WriteFile"/>, with display-unsafe characters escaped.</summary>
        public static string WriteReviewedFile(JsonValue value) => Write(value, true, true) + "\n";

        private static void WriteValue(StringBuilder builder, JsonValue value, bool indented, int level, bool safe)
        {
            switch (value)
            {
                case JsonObject obj:
                    WriteObject(builder, obj, indented, level, safe);
                    break;
                case JsonArray array:
                    WriteArray(builder, array, indented, level, safe);
                    break;
                case JsonString s:
                    JsonStringEscaper.EscapeTo(builder, s.Value, safe);
                    break;
                case JsonNumber n:
                    builder.Append(n.Text);
                    break;
                case JsonBool b:
                    builder.Append(b.Value ? "true" : "false");
                    break;
                case JsonNull _:
                    builder.Append("null");
                    break;
                default:
                    throw JsonValue.Unreachable();
            }
        }

        private static void WriteObject(StringBuilder builder, JsonObject obj, bool indented, int level, bool safe)
        {
            if (obj.Count == 0)
            {
                builder.Append("{}");
                return;
            }

            builder.Append('{');
            var first = true;
            foreach (var member in obj.Members)
            {
                if (!first)
                {
                    builder.Append(',');
                }

                first = false;
                NewLine(builder, indented, level + 1);
                JsonStringEscaper.EscapeTo(builder, member.Key, safe);
                builder.Append(indented ? ": " : ":");
                WriteValue(builder, member.Value, indented, level + 1, safe);
            }

            NewLine(builder, indented, level);
            builder.Append('}');
        }

        private static void WriteArray(StringBuilder builder, JsonArray array, bool indented, int level, bool safe)
        {
            if (array.Count == 0)
            {
                builder.Append("[]");
                return;
            }

            builder.Append('[');
            for (var i = 0; i < array.Count; i++)
            {
                if (i > 0)
                {
                    builder.Append(',');
                }

                NewLine(builder, indented, level + 1);
                WriteValue(builder, array[i], indented, level + 1, safe);
            }

            NewLine(builder, indented, level);
            builder.Append(']');
        }

        private static void NewLine(StringBuilder builder, bool indented, int level)
        {
            if (indented)
            {
                builder.Append('\n').Append(' ', level * 2);
            }
        }
    }
}
