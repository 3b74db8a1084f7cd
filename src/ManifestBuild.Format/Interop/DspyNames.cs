using System.Text;
using System.Text.RegularExpressions;

namespace ManifestBuild.Format.Interop;

/// <summary>DSPy's naming conventions, reproduced so imports and exports agree with DSPy itself.</summary>
public static partial class DspyNames
{
    /// <summary>
    /// dspy.signatures.signature.infer_prefix: "camelCaseText" -> "Camel Case Text",
    /// "snake_case_text" -> "Snake Case Text", "text2number" -> "Text 2 Number", "HTMLParser" -> "HTML Parser".
    /// </summary>
    public static string InferPrefix(string attributeName)
    {
        var s1 = CamelWord().Replace(attributeName, "$1_$2");
        var intermediate = LowerThenUpper().Replace(s1, "$1_$2");
        var withNumbers = LetterThenDigit().Replace(intermediate, "$1_$2");
        withNumbers = DigitThenLetter().Replace(withNumbers, "$1_$2");
        var words = withNumbers.Split('_');
        var titled = new List<string>();
        foreach (var word in words)
        {
            if (IsPythonUpper(word))
            {
                titled.Add(word);
            }
            else
            {
                titled.Add(Capitalize(word));
            }
        }

        return string.Join(" ", titled);
    }

    /// <summary>DSPy's default field description, "${name}".</summary>
    public static string DefaultDescription(string name) => "${" + name + "}";

    /// <summary>The default prefix DSPy writes for a field ("Question:").</summary>
    public static string DefaultPrefix(string name) => InferPrefix(name) + ":";

    /// <summary>"generate_answer.predict" -> "GenerateAnswerPredict".</summary>
    public static string PascalCase(string text)
    {
        var builder = new StringBuilder();
        var upperNext = true;
        foreach (var c in text)
        {
            if (!char.IsAsciiLetterOrDigit(c))
            {
                upperNext = true;
                continue;
            }

            builder.Append(upperNext ? char.ToUpperInvariant(c) : c);
            upperNext = false;
        }

        if (builder.Length > 0 && char.IsAsciiDigit(builder[0]))
        {
            builder.Insert(0, '_');
        }

        return builder.ToString();
    }

    // Python's str.isupper(): at least one cased character and no lowercase ones.
    private static bool IsPythonUpper(string word) => word.Any(char.IsLetter) && !word.Any(char.IsLower);

    // Python's str.capitalize(): first character upper, the rest lower.
    private static string Capitalize(string word) => word.Length == 0 ? word : char.ToUpperInvariant(word[0]) + word[1..].ToLowerInvariant();

    [GeneratedRegex("(.)([A-Z][a-z]+)")]
    private static partial Regex CamelWord();

    [GeneratedRegex("([a-z0-9])([A-Z])")]
    private static partial Regex LowerThenUpper();

    [GeneratedRegex("([a-zA-Z])(\\d)")]
    private static partial Regex LetterThenDigit();

    [GeneratedRegex("(\\d)([a-zA-Z])")]
    private static partial Regex DigitThenLetter();
}
