namespace ManifestBuild.Runtime;

/// <summary>
/// A chat reply's marker line, <c>[[ ## name ## ]]</c>, tolerant of spaces, of one to three '#', and of
/// markdown emphasis around it ("**"). Read by hand rather than with the pattern it replaces,
/// <c>^\s*[*_`]*\s*\[\[\s*#{1,3}\s*(?&lt;name&gt;[^\]#]+?)\s*#{1,3}\s*\]\][*_`]*</c>, which cost more than
/// the rest of a reply's parse: it accepts the same lines and yields the same name (trimmed) and length
/// (MarkerLineTests holds the pattern as the oracle).
/// </summary>
internal static class MarkerLine
{
    /// <summary>True when <paramref name="line"/> starts with a marker: its name, trimmed, and the marker's length.</summary>
    public static bool TryRead(ReadOnlySpan<char> line, out ReadOnlySpan<char> name, out int length)
    {
        name = default;
        length = 0;

        // Nothing before "[[" but white space and emphasis, in that order: none of it can be a '['.
        var at = SkipWhite(line, SkipEmphasis(line, SkipWhite(line, 0)));
        if (!line[at..].StartsWith("[[", StringComparison.Ordinal))
        {
            return false;
        }

        at = SkipWhite(line, at + 2);
        var opening = Run(line, at, '#');
        if (opening is < 1 or > 3)
        {
            return false;
        }

        // The name (and the white space around it) runs to the first '#' or ']': it can hold neither.
        var start = at + opening;
        var end = line[start..].IndexOfAny('#', ']');
        if (end <= 0 || line[start + end] != '#')
        {
            return false;
        }

        end += start;
        var closing = Run(line, end, '#');
        if (closing > 3)
        {
            return false;
        }

        at = SkipWhite(line, end + closing);
        if (!line[at..].StartsWith("]]", StringComparison.Ordinal))
        {
            return false;
        }

        name = line[start..end].Trim();
        length = SkipEmphasis(line, at + 2);
        return true;
    }

    private static int SkipWhite(ReadOnlySpan<char> line, int at)
    {
        while (at < line.Length && char.IsWhiteSpace(line[at]))
        {
            at++;
        }

        return at;
    }

    private static int SkipEmphasis(ReadOnlySpan<char> line, int at)
    {
        while (at < line.Length && line[at] is '*' or '_' or '`')
        {
            at++;
        }

        return at;
    }

    private static int Run(ReadOnlySpan<char> line, int at, char c)
    {
        var count = 0;
        while (at + count < line.Length && line[at + count] == c)
        {
            count++;
        }

        return count;
    }
}
