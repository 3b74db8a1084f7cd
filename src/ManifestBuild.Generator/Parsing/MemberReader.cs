using System.Collections.Generic;
using ManifestBuild.Format.Json;

namespace ManifestBuild.Generator.Parsing
{
    /// <summary>Reads typed members of one JSON object, reporting each member of the wrong type.</summary>
    internal sealed class MemberReader
    {
        private readonly FileParser parser;
        private readonly JsonObject target;
        private readonly string where;

        public MemberReader(FileParser parser, JsonObject target, string where)
        {
            this.parser = parser;
            this.target = target;
            this.where = where;
        }

        public string? RequiredString(string name)
        {
            if (!target.TryGetValue(name, out var value))
            {
                parser.Invalid($"{where} lacks the required member '{name}'");
                return null;
            }

            return AsString(name, value);
        }

        public string? OptionalString(string name) =>
            target.TryGetValue(name, out var value) && value.Kind != JsonValueKind.Null ? AsString(name, value) : null;

        public double? OptionalNumber(string name)
        {
            if (!target.TryGetValue(name, out var value) || value.Kind == JsonValueKind.Null)
            {
                return null;
            }

            if (value is JsonNumber number)
            {
                return number.Value;
            }

            parser.Invalid($"'{name}' in {where} is {value.KindName()}, not a number");
            return null;
        }

        public long? OptionalInteger(string name)
        {
            if (!target.TryGetValue(name, out var value) || value.Kind == JsonValueKind.Null)
            {
                return null;
            }

            if (value is JsonNumber number && number.TryGetInt64(out var integer))
            {
                return integer;
            }

            parser.Invalid($"'{name}' in {where} is {Describe(value)}, not a whole number");
            return null;
        }

        public List<string> OptionalStringArray(string name)
        {
            var result = new List<string>();
            if (!target.TryGetValue(name, out var value) || value.Kind == JsonValueKind.Null)
            {
                return result;
            }

            var array = value.AsArray();
            if (array is null)
            {
                parser.Invalid($"'{name}' in {where} is {value.KindName()}, not an array of strings");
                return result;
            }

            foreach (var item in array)
            {
                var text = item.AsString();
                if (text is null)
                {
                    parser.Invalid($"'{name}' in {where} holds {item.KindName()}, not only strings");
                    continue;
                }

                result.Add(text);
            }

            return result;
        }

        private string? AsString(string name, JsonValue value)
        {
            var text = value.AsString();
            if (text is null)
            {
                parser.Invalid($"'{name}' in {where} is {value.KindName()}, not a string");
            }

            return text;
        }

        private static string Describe(JsonValue value) =>
            value is JsonNumber number ? "the number " + FileParser.Shorten(number.Text) : value.KindName();
    }
}
