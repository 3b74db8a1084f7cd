using System;
using System.Collections.Generic;
using System.Text;

namespace ManifestBuild.Format.Json
{
    /// <summary>
    /// RFC 8785 JSON Canonicalization Scheme: no whitespace, object members sorted by their names'
    /// UTF-16 code units, numbers in ECMAScript form, strings escaped as JSON.stringify does, UTF-8.
    /// </summary>
    public static class JsonCanonicalizer
    {
        private static readonly UTF8Encoding StrictUtf8 = new UTF8Encoding(false, true);

        public static string Canonicalize(JsonValue value)
        {
            if (value is null)
            {
                throw new ArgumentNullException(nameof(value));
            }

            var builder = new StringBuilder();
            WriteValue(builder, value);
            return builder.ToString();
        }

        public static byte[] CanonicalizeToUtf8(JsonValue value) => StrictUtf8.GetBytes(Canonicalize(value));

        private static void WriteValue(StringBuilder builder, JsonValue value)
        {
            switch (value)
            {
                case JsonObject obj:
                    WriteObject(builder, obj);
                    break;
                case JsonArray array:
                    builder.Append('[');
                    for (var i = 0; i < array.Count; i++)
                    {
                        if (i > 0)
                        {
                            builder.Append(',');
                        }

                        WriteValue(builder, array[i]);
                    }

                    builder.Append(']');
                    break;
                case JsonString s:
                    WriteString(builder, s.Value);
                    break;
                case JsonNumber n:
                    builder.Append(EcmaNumber.Format(n.Value));
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

        private static void WriteObject(StringBuilder builder, JsonObject obj)
        {
            var members = new List<KeyValuePair<string, JsonValue>>(obj.Members);

            // string.CompareOrdinal compares UTF-16 code units, which is the order RFC 8785 §3.2.3 asks for.
            members.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
            builder.Append('{');
            for (var i = 0; i < members.Count; i++)
            {
                if (i > 0)
                {
                    builder.Append(',');
                }

                WriteString(builder, members[i].Key);
                builder.Append(':');
                WriteValue(builder, members[i].Value);
            }

            builder.Append('}');
        }

        private static void WriteString(StringBuilder builder, string value)
        {
            if (JsonStringEscaper.HasLoneSurrogate(value))
            {
                throw new DsrsException(FormatErrorCodes.NotCanonicalizable, "a string with a lone surrogate has no canonical form (RFC 8785 §3.2.2.2)");
            }

            JsonStringEscaper.EscapeTo(builder, value);
        }
    }
}
