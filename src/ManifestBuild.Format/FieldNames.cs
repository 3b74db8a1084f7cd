using System.Globalization;
using System.Text;

namespace ManifestBuild.Format
{
    /// <summary>
    /// Which signature field names a manifest may use: those Python, DSPy and C# all accept, so a DSPy
    /// program in any language imports and its manifest generates code.
    /// <list type="bullet">
    /// <item>Python (<c>str.isidentifier</c>): XID_Start then XID_Continue. Its parser folds identifiers to
    /// NFKC, so a name that NFKC changes ("ﬁle" becomes "file") would not be the name DSPy sees: refused.</item>
    /// <item>DSPy: signatures are pydantic models, and pydantic refuses field names with a leading '_'
    /// (private attributes): refused.</item>
    /// <item>C#: letters (Lu Ll Lt Lm Lo Nl) or '_' first, then also Mn Mc Nd Pc and Cf. Python takes no
    /// Cf (invisible formatting such as bidi controls, zero-width joiners): refused.</item>
    /// </list>
    /// So: a letter (Lu Ll Lt Lm Lo Nl), then letters, combining marks (Mn Mc), decimal digits (Nd) and
    /// connectors (Pc, e.g. '_'), NFKC-normalized. Linked into the generator (netstandard2.0).
    /// </summary>
    public static class FieldNames
    {
        public const string Rule = "a letter (any script), then letters, digits, combining marks or '_'; no leading '_' (DSPy refuses it); unchanged by NFKC normalization (Python folds names with it)";

        public static bool IsValid(string? name)
        {
            if (string.IsNullOrEmpty(name) || !IsNfkc(name!))
            {
                return false;
            }

            for (var i = 0; i < name!.Length; i += char.IsSurrogatePair(name, i) ? 2 : 1)
            {
                if (char.IsSurrogate(name[i]) && !char.IsSurrogatePair(name, i))
                {
                    return false;
                }

                var category = CharUnicodeInfo.GetUnicodeCategory(name, i);
                if (!(IsLetter(category) || (i > 0 && IsContinuation(category))) || IsPatternSyntax(name[i]))
                {
                    return false;
                }
            }

            return true;
        }

        internal static bool IsLetter(UnicodeCategory category) =>
            category == UnicodeCategory.UppercaseLetter || category == UnicodeCategory.LowercaseLetter
            || category == UnicodeCategory.TitlecaseLetter || category == UnicodeCategory.ModifierLetter
            || category == UnicodeCategory.OtherLetter || category == UnicodeCategory.LetterNumber;

        internal static bool IsContinuation(UnicodeCategory category) =>
            category == UnicodeCategory.NonSpacingMark || category == UnicodeCategory.SpacingCombiningMark
            || category == UnicodeCategory.DecimalDigitNumber || category == UnicodeCategory.ConnectorPunctuation;

        // The one letter Python leaves out of XID_Start although it is Lm: U+2E2F VERTICAL TILDE (Pattern_Syntax).
        private static bool IsPatternSyntax(char c) => c == '\u2E2F';

        private static bool IsNfkc(string name)
        {
            try
            {
                return name.IsNormalized(NormalizationForm.FormKC);
            }
            catch (System.ArgumentException)
            {
                return false;
            }
        }
    }
}
