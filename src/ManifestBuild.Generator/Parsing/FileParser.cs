using System.Collections.Generic;
using System.Linq;
using ManifestBuild.Generator.Model;

namespace ManifestBuild.Generator.Parsing
{
    /// <summary>
    /// What the readers of one file (members, field schema, demos or examples) report through: the
    /// diagnostics collected so far and the codes this kind of file uses. A manifest and a dataset share
    /// the schema rules but not the consequences: a manifest that breaks them yields no class (errors);
    /// a dataset yields no typed records and stays embedded (warnings).
    /// </summary>
    internal abstract class FileParser
    {
        private readonly List<DiagnosticInfo> diagnostics = new List<DiagnosticInfo>();

        protected FileParser(string path, string itemName, SchemaCodes codes)
        {
            Path = path;
            ItemName = itemName;
            Codes = codes;
        }

        internal string Path { get; }

        internal string ItemName { get; }

        internal SchemaCodes Codes { get; }

        protected IReadOnlyList<DiagnosticInfo> Diagnostics => diagnostics;

        /// <summary>A diagnostic for the whole file: the descriptor and its message format's arguments.</summary>
        internal void Report(string id, params string[] arguments) => ReportAt(LocationInfo.WholeFile(Path), id, arguments);

        internal void ReportAt(LocationInfo location, string id, params string[] arguments) =>
            diagnostics.Add(new DiagnosticInfo(id, new EquatableArray<string>(arguments), location));

        /// <summary>A member of the wrong shape.</summary>
        internal void Invalid(string problem) => Report(Codes.Invalid, ItemName, problem);

        /// <summary>A demo or example that does not fit the schema.</summary>
        internal void InvalidValue(string problem) => Report(Codes.InvalidValue, ItemName, problem);

        internal bool HasReported(string id) => diagnostics.Any(d => d.Id == id);

        /// <summary>Text quoted in a message is cut short and stripped of anything unprintable.</summary>
        internal static string Shorten(string text)
        {
            var cut = text.Length > 100 ? text.Substring(0, 100) + "..." : text;
            return new string(cut.Select(c => c < 0x20 || (c >= 0x7F && c <= 0x9F) || (c >= 0x2028 && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069) || char.IsSurrogate(c) || c == 0x200E || c == 0x200F || c == 0x061C ? '?' : c).ToArray());
        }

        internal static bool HasLoneSurrogate(string text)
        {
            for (var i = 0; i < text.Length; i++)
            {
                if (char.IsHighSurrogate(text[i]))
                {
                    if (i + 1 >= text.Length || !char.IsLowSurrogate(text[i + 1]))
                    {
                        return true;
                    }

                    i++;
                }
                else if (char.IsLowSurrogate(text[i]))
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>The codes a kind of file reports the shared schema rules under, and the names its generated code takes.</summary>
    internal sealed class SchemaCodes
    {
        public SchemaCodes(string invalid, string invalidValue, string unknownFieldType, string invalidMemberName, string duplicateName, string nameTooLong, HashSet<string> reservedRecordMembers, HashSet<string> reservedClassMembers)
        {
            Invalid = invalid;
            InvalidValue = invalidValue;
            UnknownFieldType = unknownFieldType;
            InvalidMemberName = invalidMemberName;
            DuplicateName = duplicateName;
            NameTooLong = nameTooLong;
            ReservedRecordMembers = reservedRecordMembers;
            ReservedClassMembers = reservedClassMembers;
        }

        public string Invalid { get; }

        public string InvalidValue { get; }

        public string UnknownFieldType { get; }

        public string InvalidMemberName { get; }

        public string DuplicateName { get; }

        public string NameTooLong { get; }

        /// <summary>Names a field's property may not take in the generated record(s).</summary>
        public HashSet<string> ReservedRecordMembers { get; }

        /// <summary>Names an enum field's type may not take in the generated class.</summary>
        public HashSet<string> ReservedClassMembers { get; }
    }
}
