using System.Collections.Generic;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis.CSharp;

namespace ManifestBuild.Generator.Parsing
{
    /// <summary>
    /// Makes C# identifiers from manifest names. Only ASCII letters and digits survive (C# would also
    /// accept other letters and invisible formatting characters such as bidi controls, which is exactly
    /// what a hostile manifest would use), so every generated identifier is plain ASCII.
    /// </summary>
    internal static class Identifiers
    {
        /// <summary>Names a field's property or an enum type may not take: the generated class's own members.</summary>
        public static readonly HashSet<string> ReservedClassMembers = new HashSet<string>(System.StringComparer.Ordinal)
        {
            "Name", "CompiledId", "SignatureName", "Family", "Optimizer", "Instruction", "Adapter", "TrainsetId",
            "ExampleCount", "CreatedAt", "DomainTags", "Scorecard", "JsonUtf8", "Json", "Input", "Output", "Spec",
            "Demos", "Signature", "PredictAsync", "ToValues", "FromValues",
            "Equals", "GetHashCode", "ToString", "GetType", "MemberwiseClone", "Finalize", "ReferenceEquals",
        };

        /// <summary>
        /// The longest identifier made from a manifest name, in UTF-8 bytes. Metadata names stop at 1,023
        /// bytes (CS7013) and the compiler adds to them (<c>&lt;Name&gt;k__BackingField</c>); half of it
        /// leaves room for every such decoration and is still far longer than any real name.
        /// </summary>
        public const int MaxIdentifierUtf8Bytes = 512;

        public static bool IsTooLong(string identifier) => Encoding.UTF8.GetByteCount(identifier) > MaxIdentifierUtf8Bytes;

        /// <summary>Names a record property may not take: members every record has, and the records' own names.</summary>
        public static readonly HashSet<string> ReservedRecordMembers = new HashSet<string>(System.StringComparer.Ordinal)
        {
            "Input", "Output", "EqualityContract", "Equals", "GetHashCode", "ToString", "PrintMembers", "Deconstruct",
            "GetType", "MemberwiseClone", "Finalize", "ReferenceEquals",
        };

        /// <summary>
        /// "very high" -> "VeryHigh", "p_fail" -> "PFail", "3d" -> "_3d"; null when the name has no ASCII
        /// letter or digit. A leading capital means the result is never a C# keyword.
        /// </summary>
        public static string? ToPascalCase(string name)
        {
            var builder = new StringBuilder();
            var startOfWord = true;
            foreach (var c in name)
            {
                var isAsciiLetter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
                var isDigit = c >= '0' && c <= '9';
                if (!isAsciiLetter && !isDigit)
                {
                    startOfWord = true;
                    continue;
                }

                builder.Append(startOfWord && isAsciiLetter ? char.ToUpperInvariant(c) : c);
                startOfWord = false;
            }

            if (builder.Length == 0)
            {
                return null;
            }

            if (char.IsDigit(builder[0]))
            {
                builder.Insert(0, '_');
            }

            return builder.ToString();
        }

        /// <summary>
        /// A name given by the build (class name, namespace part) as C#: ASCII identifier characters only,
        /// a keyword gets '@'. Null when it cannot be an identifier.
        /// </summary>
        public static string? ToVerbatimIdentifier(string name)
        {
            if (name.Length == 0 || name.Length > 256)
            {
                return null;
            }

            var first = name[0];
            if (!((first >= 'a' && first <= 'z') || (first >= 'A' && first <= 'Z') || first == '_'))
            {
                return null;
            }

            if (!name.All(c => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'))
            {
                return null;
            }

            if (SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None || SyntaxFacts.GetContextualKeywordKind(name) != SyntaxKind.None)
            {
                return "@" + name;
            }

            return SyntaxFacts.IsValidIdentifier(name) ? name : null;
        }

        /// <summary>A dotted namespace, each part made safe; null when any part is unusable.</summary>
        public static string? ToNamespace(string name)
        {
            var parts = name.Split('.');
            var safe = new List<string>();
            foreach (var part in parts)
            {
                var identifier = ToVerbatimIdentifier(part.Trim());
                if (identifier is null || identifier == "@global")
                {
                    return null;
                }

                safe.Add(identifier);
            }

            return string.Join(".", safe);
        }
    }
}
