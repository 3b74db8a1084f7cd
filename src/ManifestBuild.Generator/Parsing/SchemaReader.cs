using System.Collections.Generic;
using System.Linq;
using ManifestBuild.Format.Json;
using ManifestBuild.Generator.Model;

namespace ManifestBuild.Generator.Parsing
{
    /// <summary>Reads the <c>inputs</c> / <c>outputs</c> field lists and checks the names they produce.</summary>
    internal sealed class SchemaReader
    {
        private readonly FileParser parser;
        private readonly string className;

        public SchemaReader(FileParser parser, string className)
        {
            this.parser = parser;
            this.className = className;
        }

        public List<FieldModel> Fields(JsonObject manifest, string member)
        {
            var fields = new List<FieldModel>();
            if (!manifest.TryGetValue(member, out var value) || value.Kind == JsonValueKind.Null)
            {
                return fields;
            }

            var array = value.AsArray();
            if (array is null)
            {
                parser.Invalid($"'{member}' is {value.KindName()}, not an array of fields");
                return fields;
            }

            var index = 0;
            foreach (var item in array)
            {
                var field = Field(item, $"{member}[{index}]");
                if (field != null)
                {
                    fields.Add(field);
                }

                index++;
            }

            return fields;
        }

        /// <summary>Field names must stay distinct after PascalCasing and keep clear of the generated members.</summary>
        public void CheckNames(IReadOnlyList<FieldModel> fields)
        {
            var byProperty = new Dictionary<string, string>(System.StringComparer.Ordinal);
            foreach (var field in fields)
            {
                if (byProperty.TryGetValue(field.PropertyName, out var other))
                {
                    Duplicate(other == field.Name
                        ? $"the field '{FileParser.Shorten(field.Name)}' is declared twice"
                        : $"the fields '{FileParser.Shorten(other)}' and '{FileParser.Shorten(field.Name)}' both become the C# name '{field.PropertyName}'");
                    continue;
                }

                byProperty[field.PropertyName] = field.Name;
                if (parser.Codes.ReservedRecordMembers.Contains(field.PropertyName))
                {
                    Duplicate($"the field '{FileParser.Shorten(field.Name)}' becomes '{field.PropertyName}', a name the generated record already has");
                }
                else if (field.Type == FieldType.Enum && (parser.Codes.ReservedClassMembers.Contains(field.PropertyName) || field.PropertyName == className))
                {
                    Duplicate($"the enum field '{FileParser.Shorten(field.Name)}' would declare the type '{field.PropertyName}', a name the generated class already uses");
                }
            }
        }

        private FieldModel? Field(JsonValue item, string where)
        {
            var obj = item.AsObject();
            if (obj is null)
            {
                parser.Invalid($"{where} is {item.KindName()}, not a field object");
                return null;
            }

            var reader = new MemberReader(parser, obj, where);
            var name = reader.RequiredString("name");
            var typeName = reader.RequiredString("type");
            var description = reader.OptionalString("description") ?? reader.OptionalString("desc");
            if (name is null || typeName is null)
            {
                return null;
            }

            var property = Identifiers.ToPascalCase(name);
            if (property is null)
            {
                parser.Report(parser.Codes.InvalidMemberName, parser.ItemName, $"the field name '{FileParser.Shorten(name)}' in {where}");
                return null;
            }

            if (Identifiers.IsTooLong(property))
            {
                TooLong($"the field name '{FileParser.Shorten(name)}' in {where}", property);
                return null;
            }

            if (!FieldTypeTable.TryParse(typeName, out var type))
            {
                parser.Report(parser.Codes.UnknownFieldType, parser.ItemName, FileParser.Shorten(name), FileParser.Shorten(typeName), FieldTypeTable.KnownNames);
                return null;
            }

            var values = new List<string>();
            var members = new List<string>();
            if (type == FieldType.Enum && !EnumMembers(reader, name, values, members))
            {
                return null;
            }

            return new FieldModel(name, Identifiers.Escape(property), type, description, new EquatableArray<string>(values), new EquatableArray<string>(members));
        }

        private bool EnumMembers(MemberReader reader, string fieldName, List<string> values, List<string> members)
        {
            values.AddRange(reader.OptionalStringArray("values"));
            if (values.Count == 0)
            {
                parser.Invalid($"the enum field '{FileParser.Shorten(fieldName)}' lists no 'values'");
                return false;
            }

            var ok = true;
            var seen = new Dictionary<string, string>(System.StringComparer.Ordinal);
            foreach (var value in values)
            {
                var member = Identifiers.ToPascalCase(value);
                if (member is null)
                {
                    parser.Report(parser.Codes.InvalidMemberName, parser.ItemName, $"the value '{FileParser.Shorten(value)}' of enum field '{FileParser.Shorten(fieldName)}'");
                    ok = false;
                    continue;
                }

                if (Identifiers.IsTooLong(member))
                {
                    TooLong($"the value '{FileParser.Shorten(value)}' of enum field '{FileParser.Shorten(fieldName)}'", member);
                    ok = false;
                    continue;
                }

                if (seen.TryGetValue(member, out var other))
                {
                    Duplicate($"the values '{FileParser.Shorten(other)}' and '{FileParser.Shorten(value)}' of enum field '{FileParser.Shorten(fieldName)}' both become the C# name '{member}'");
                    ok = false;
                    continue;
                }

                seen[member] = value;
                members.Add(Identifiers.Escape(member));
            }

            return ok;
        }

        private void TooLong(string what, string identifier) =>
            parser.Report(parser.Codes.NameTooLong, parser.ItemName, what, System.Text.Encoding.UTF8.GetByteCount(identifier).ToString(System.Globalization.CultureInfo.InvariantCulture), Identifiers.MaxIdentifierUtf8Bytes.ToString(System.Globalization.CultureInfo.InvariantCulture));

        private void Duplicate(string problem) =>
            parser.Report(parser.Codes.DuplicateName, parser.ItemName, problem);
    }
}
