using System.Globalization;
using System.Text;
using ManifestBuild.Format.Json;

namespace ManifestBuild.Format;

/// <summary>
/// The one way a string from the network (a listing's name, a seller's HTTP body, a relay's message)
/// reaches a console, a build log or an error message: every character that would act on the display
/// instead of showing itself (ESC sequences, BEL, bidi overrides, zero-width and line separators; the
/// list is <see cref="JsonStringEscaper.IsDisplayUnsafe"/>) becomes a visible \uXXXX, a backslash
/// becomes \\ so an escape cannot be faked, and the result is capped so a hostile peer cannot flood the log.
/// </summary>
public static class UntrustedText
{
    /// <summary>The cap when the caller names none: long enough for a reason, short enough for one log line.</summary>
    public const int DefaultMaxLength = 200;

    /// <summary>Displayable, single-line, at most <paramref name="maxLength"/> characters before the "..." marker.</summary>
    public static string Neutralise(string? text, int maxLength = DefaultMaxLength)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        if (maxLength < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(maxLength));
        }

        var builder = new StringBuilder(Math.Min(text.Length, maxLength) + 8);
        for (var i = 0; i < text.Length; i++)
        {
            if (builder.Length >= maxLength)
            {
                return builder.Append("...").ToString();
            }

            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                builder.Append(c).Append(text[++i]);
            }
            else if (c == '\\')
            {
                builder.Append("\\\\");
            }
            else if (JsonStringEscaper.IsDisplayUnsafe(c) || char.IsSurrogate(c))
            {
                builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    /// <summary>True when the text holds no character that acts on the display (what tests of every output check).</summary>
    public static bool IsDisplaySafe(string? text) => text is null || !text.Any(JsonStringEscaper.IsDisplayUnsafe);
}
