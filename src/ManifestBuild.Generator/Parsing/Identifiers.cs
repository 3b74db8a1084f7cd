using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis.CSharp;

namespace ManifestBuild.Generator.Parsing
{
    /// <summary>
    /// Makes C# identifiers from manifest names. Letters and digits of every script survive (a DSPy
    /// program may name its fields in any language); invisible formatting characters such as bidi
    /// controls, which C# would also accept and a hostile manifest would use, never do. Identifiers are
    /// written escaped (<see cref="Escape"/>), so the generated source is plain ASCII.
    /// </summary>
    internal static class Identifiers
    {
        /// <summary>Names a field's property or an enum type may not take: the generated class's own members.</summary>
        public static readonly HashSet<string> ReservedClassMembers = new HashSet<string>(System.StringComparer.Ordinal)
        {
            "Name", "CompiledId", "SignatureName", "Family", "Optimizer", "Instruction", "Adapter", "TrainsetId",
            "ExampleCount", "CreatedAt", "DomainTags", "Scorecard", "JsonUtf8", "Json", "Input", "Output", "Spec",
            "Demos", "Signature", "PredictAsync", "UseManifest", "ToValues", "FromValues",
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
        /// "very high" -> "VeryHigh", "p_fail" -> "PFail", "3d" -> "_3d", "задача" -> "Задача", "任务" -> "任务";
        /// null when the name has no letter or digit. Letters and digits of every script survive, with the
        /// combining marks that follow them; everything else (spaces, punctuation, invisible formatting
        /// such as bidi controls) only separates words. The result is written with <see cref="Escape"/>.
        /// </summary>
        public static string? ToPascalCase(string name)
        {
            var builder = new StringBuilder();
            var startOfWord = true;
            for (var i = 0; i < name.Length; i++)
            {
                var pair = char.IsSurrogatePair(name, i);
                var category = CharUnicodeInfo.GetUnicodeCategory(name, i);
                var isLetter = ManifestBuild.Format.FieldNames.IsLetter(category);
                var isDigit = category == UnicodeCategory.DecimalDigitNumber;
                var isMark = (category == UnicodeCategory.NonSpacingMark || category == UnicodeCategory.SpacingCombiningMark) && !startOfWord;
                if (!isLetter && !isDigit && !isMark)
                {
                    startOfWord = true;
                    i += pair ? 1 : 0;
                    continue;
                }

                if (pair)
                {
                    builder.Append(name, i, 2);
                    i++;
                }
                else
                {
                    builder.Append(startOfWord && isLetter ? char.ToUpperInvariant(name[i]) : name[i]);
                }

                startOfWord = false;
            }

            if (builder.Length == 0)
            {
                return null;
            }

            if (CharUnicodeInfo.GetUnicodeCategory(builder.ToString(), 0) == UnicodeCategory.DecimalDigitNumber)
            {
                builder.Insert(0, '_');
            }

            // A leading capital (or a caseless letter) is never a keyword; the compiler has the last word on the rest.
            var result = builder.ToString();
            return SyntaxFacts.IsValidIdentifier(result) ? result : null;
        }

        /// <summary>
        /// An identifier as ASCII source: every other character as a \uXXXX (or \UXXXXXXXX) escape, which C#
        /// reads as that character. The generated file stays pure ASCII, so no manifest character changes
        /// how the code around it reads; the compiler and IntelliSense show the name itself.
        /// </summary>
        public static string Escape(string identifier)
        {
            var builder = new StringBuilder(identifier.Length);
            for (var i = 0; i < identifier.Length; i++)
            {
                var c = identifier[i];
                if (c < 0x80)
                {
                    builder.Append(c);
                }
                else if (char.IsSurrogatePair(identifier, i))
                {
                    builder.Append("\\U").Append(char.ConvertToUtf32(c, identifier[i + 1]).ToString("X8", CultureInfo.InvariantCulture));
                    i++;
                }
                else
                {
                    builder.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
                }
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
