using System.Collections.Generic;
using System.Linq;

namespace ManifestBuild.Generator.Model
{
    /// <summary>
    /// The one mapping between a dsrs.manifest/1 type, the generator's <see cref="FieldType"/> and the
    /// member of <c>ManifestBuild.Runtime.FieldKind</c> the generated code names, and the C# type of its values: renaming an enum member
    /// on either side cannot silently change what is emitted (a test checks every row against FieldKind).
    /// </summary>
    internal static class FieldTypeTable
    {
        public static readonly IReadOnlyList<Row> Rows = new[]
        {
            new Row("string", FieldType.String, "String", "string"),
            new Row("int", FieldType.Int, "Int", "int"),
            new Row("float", FieldType.Float, "Float", "double"),
            new Row("bool", FieldType.Bool, "Bool", "bool"),
            new Row("string[]", FieldType.StringList, "StringList", "global::System.Collections.Generic.IReadOnlyList<string>"),
            new Row("enum", FieldType.Enum, "Enum", null),
        };

        public static string KnownNames => string.Join(", ", Rows.Select(r => r.ManifestName));

        public static bool TryParse(string manifestName, out FieldType type)
        {
            foreach (var row in Rows)
            {
                if (row.ManifestName == manifestName)
                {
                    type = row.Type;
                    return true;
                }
            }

            type = FieldType.String;
            return false;
        }

        public static string ManifestName(FieldType type) => Rows.First(r => r.Type == type).ManifestName;

        public static string RuntimeKind(FieldType type) => Rows.First(r => r.Type == type).RuntimeKind;

        /// <summary>The C# type of a value (manifest records, demos and dataset examples alike); null for an enum, whose type is generated.</summary>
        public static string? CSharpType(FieldType type) => Rows.First(r => r.Type == type).CSharpType;

        internal sealed class Row
        {
            public Row(string manifestName, FieldType type, string runtimeKind, string? csharpType)
            {
                ManifestName = manifestName;
                Type = type;
                RuntimeKind = runtimeKind;
                CSharpType = csharpType;
            }

            /// <summary>The type as a manifest spells it.</summary>
            public string ManifestName { get; }

            public FieldType Type { get; }

            /// <summary>The member of ManifestBuild.Runtime.FieldKind.</summary>
            public string RuntimeKind { get; }

            /// <summary>The C# type generated code gives the field's values (null: a generated enum).</summary>
            public string? CSharpType { get; }
        }
    }
}
