using System.Collections.Generic;
using System.Linq;
using ManifestBuild.Format.Json;
using ManifestBuild.Generator.Model;

namespace ManifestBuild.Generator.Parsing
{
    /// <summary>Reads <c>demos</c>: typed values checked against the schema, or name/value text maps without one.</summary>
    internal sealed class DemoReader
    {
        private readonly FileParser parser;

        public DemoReader(FileParser parser)
        {
            this.parser = parser;
        }

        /// <summary>A manifest's <c>demos</c>, or (<paramref name="member"/>) a dataset's <c>examples</c>, which have the demos' shape.</summary>
        public void Read(JsonObject manifest, bool hasSchema, List<FieldModel> inputs, List<FieldModel> outputs, List<DemoModel> typed, List<UntypedDemoModel> untyped, string member = "demos")
        {
            if (!manifest.TryGetValue(member, out var value) || value.Kind == JsonValueKind.Null)
            {
                return;
            }

            var array = value.AsArray();
            if (array is null)
            {
                parser.Invalid($"'{member}' is {value.KindName()}, not an array");
                return;
            }

            var index = 0;
            foreach (var item in array)
            {
                var where = $"{member}[{index++}]";
                var demo = item.AsObject();
                if (demo is null)
                {
                    parser.Invalid($"{where} is {item.KindName()}, not an object");
                    continue;
                }

                var demoInputs = Section(demo, "inputs", where);
                var demoOutputs = Section(demo, "outputs", where);
                if (demoInputs is null || demoOutputs is null)
                {
                    continue;
                }

                if (hasSchema)
                {
                    var ins = Values(demoInputs, inputs, where + ".inputs");
                    var outs = Values(demoOutputs, outputs, where + ".outputs");
                    if (ins != null && outs != null)
                    {
                        typed.Add(new DemoModel(new EquatableArray<DemoValue>(ins), new EquatableArray<DemoValue>(outs)));
                    }
                }
                else
                {
                    untyped.Add(new UntypedDemoModel(Texts(demoInputs), Texts(demoOutputs)));
                }
            }
        }

        private JsonObject? Section(JsonObject demo, string name, string where)
        {
            if (!demo.TryGetValue(name, out var value))
            {
                parser.Invalid($"{where} lacks '{name}'");
                return null;
            }

            var obj = value.AsObject();
            if (obj is null)
            {
                parser.Invalid($"{where}.{name} is {value.KindName()}, not an object");
            }

            return obj;
        }

        private static EquatableArray<NamedText> Texts(JsonObject values) =>
            new EquatableArray<NamedText>(values.Select(pair => new NamedText(pair.Key, pair.Value.AsString() ?? pair.Value.ToString())));

        private List<DemoValue>? Values(JsonObject values, List<FieldModel> fields, string where)
        {
            var result = new List<DemoValue>();
            var ok = true;
            foreach (var field in fields)
            {
                if (!values.TryGetValue(field.Name, out var value))
                {
                    parser.InvalidValue($"{where} lacks the field '{FileParser.Shorten(field.Name)}'");
                    ok = false;
                    continue;
                }

                var demoValue = Convert(field, value);
                if (demoValue is null)
                {
                    parser.InvalidValue($"{where}.{FileParser.Shorten(field.Name)} is {Describe(value)}, which is not a valid {TypeName(field.Type)}");
                    ok = false;
                    continue;
                }

                result.Add(demoValue);
            }

            return ok ? result : null;
        }

        private static DemoValue? Convert(FieldModel field, JsonValue value)
        {
            var empty = EquatableArray<string>.Empty;
            switch (field.Type)
            {
                case FieldType.String:
                    var text = value.AsString();
                    return text is null ? null : new DemoValue(field.Name, field.Type, text, 0, 0, false, empty, 0);
                case FieldType.Int:
                    return value is JsonNumber n && n.TryGetInt64(out var integer) && integer >= int.MinValue && integer <= int.MaxValue
                        ? new DemoValue(field.Name, field.Type, string.Empty, integer, 0, false, empty, 0)
                        : null;
                case FieldType.Float:
                    return value is JsonNumber real ? new DemoValue(field.Name, field.Type, string.Empty, 0, real.Value, false, empty, 0) : null;
                case FieldType.Bool:
                    return value is JsonBool flag ? new DemoValue(field.Name, field.Type, string.Empty, 0, 0, flag.Value, empty, 0) : null;
                case FieldType.StringList:
                    var array = value.AsArray();
                    if (array is null || array.Any(item => item.AsString() is null))
                    {
                        return null;
                    }

                    return new DemoValue(field.Name, field.Type, string.Empty, 0, 0, false, new EquatableArray<string>(array.Select(item => item.AsString()!)), 0);
                case FieldType.Enum:
                    var member = value.AsString();
                    if (member is null)
                    {
                        return null;
                    }

                    var index = field.EnumValues.ToList().IndexOf(member);
                    return index < 0 ? null : new DemoValue(field.Name, field.Type, string.Empty, 0, 0, false, empty, index);
                default:
                    return null;
            }
        }

        private static string Describe(JsonValue value) =>
            value.AsString() is string text ? $"'{FileParser.Shorten(text)}'" : value is JsonNumber number ? FileParser.Shorten(number.Text) : value.KindName();

        private static string TypeName(FieldType type) => type == FieldType.Enum ? "enum value" : FieldTypeTable.ManifestName(type);
    }
}
