using System.Collections.Generic;
using System.Linq;

namespace ManifestBuild.Generator.Model
{
    /// <summary>
    /// The one mapping between a dsrs.manifest/1 type, the generator's <see cref="FieldType"/> and the
    /// member of <c>ManifestBuild.Runtime.FieldKind</c> the generated code names: renaming an enum member
    /// on either side cannot silently change what is emitted (a test checks every row against FieldKind).
    /// </summary>
    internal static class FieldTypeTable
    {
        public static readonly IReadOnlyList<Row> Rows = new[]
        {
            new Row("string", FieldType.String, "String"),
            new Row("int", FieldType.Int, "Int"),
            new Row("float", FieldType.Float, "Float"),
            new Row("bool", FieldType.Bool, "Bool"),
            new Row("string[]", FieldType.StringList, "StringList"),
            new Row("enum", FieldType.Enum, "Enum"),
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

        internal sealed class Row
        {
            public Row(string manifestName, FieldType type, string runtimeKind)
            {
                ManifestName = manifestName;
                Type = type;
                RuntimeKind = runtimeKind;
            }

            /// <summary>The type as a manifest spells it.</summary>
            public string ManifestName { get; }

            public FieldType Type { get; }

            /// <summary>The member of ManifestBuild.Runtime.FieldKind.</summary>
            public string RuntimeKind { get; }
        }
    }
}
