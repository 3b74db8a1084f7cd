using System.Globalization;
using System.Text;

namespace ManifestBuild.Seller;

/// <summary>
/// What the seller logs from a request (path, method, reasons quoting request data) goes through here:
/// a client must not be able to forge log lines (CR/LF), drive the operator's terminal (ESC, C1 CSI) or
/// reorder what is shown (bidi overrides). Such characters, and the backslash, are written as \uXXXX /
/// \\, so the line is unambiguous; the text is cut to a bound.
/// </summary>
public static class LogText
{
    public static string Escape(string? text, int maxChars = 200)
    {
        var value = text ?? string.Empty;
        var builder = new StringBuilder(Math.Min(value.Length, maxChars) + 8);
        var i = 0;
        for (; i < value.Length && builder.Length < maxChars; i++)
        {
            var c = value[i];
            if (c == '\\')
            {
                builder.Append("\\\\");
            }
            else if (NeedsEscape(c))
            {
                builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            }
            else
            {
                builder.Append(c);
            }
        }

        return i < value.Length ? builder.Append("...(+").Append(value.Length - i).Append(" chars)").ToString() : builder.ToString();
    }

    private static bool NeedsEscape(char c) =>
        char.IsControl(c)                       // C0, DEL, C1
        || char.IsSurrogate(c)                  // never split a pair into something a terminal misreads
        || c is '\u2028' or '\u2029'            // line and paragraph separators
        || c is >= '\u200b' and <= '\u200f'     // zero-width and direction marks
        || c is >= '\u202a' and <= '\u202e'     // bidi embeddings and overrides
        || c is >= '\u2066' and <= '\u2069'     // bidi isolates
        || c == '\ufeff';
}
