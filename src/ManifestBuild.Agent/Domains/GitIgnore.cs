using System.Text.RegularExpressions;

namespace ManifestBuild.Agent.Domains;

/// <summary>
/// The root <c>.gitignore</c>'s patterns, enough of gitignore(5) for a scan to skip what the user
/// does not track: <c>name</c> anywhere, <c>dir/</c> folders only, <c>/anchored</c> and <c>a/b</c>
/// paths from the root, <c>*</c>, <c>?</c> and <c>**</c>. Negations (<c>!</c>) are not honoured: a
/// scan that skips too much misses evidence, never safety.
/// </summary>
internal sealed class GitIgnore
{
    private readonly List<(Regex Pattern, bool DirectoryOnly, bool Anchored)> rules = [];

    private GitIgnore()
    {
    }

    public static GitIgnore Load(string root)
    {
        var ignore = new GitIgnore();
        var path = Path.Combine(root, ".gitignore");
        if (!File.Exists(path) || new FileInfo(path).LinkTarget is not null)
        {
            return ignore;
        }

        foreach (var raw in File.ReadLines(path).Take(10_000))
        {
            var line = raw.TrimEnd();
            if (line.Length == 0 || line.StartsWith('#') || line.StartsWith('!'))
            {
                continue;
            }

            var directoryOnly = line.EndsWith('/');
            line = line.TrimEnd('/');
            var anchored = line.Contains('/', StringComparison.Ordinal);
            line = line.TrimStart('/');
            if (line.Length > 0)
            {
                ignore.rules.Add((ToRegex(line), directoryOnly, anchored));
            }
        }

        return ignore;
    }

    /// <summary>Whether a path relative to the root (forward slashes) is ignored.</summary>
    public bool Ignores(string relativePath, bool directory)
    {
        var name = relativePath[(relativePath.LastIndexOf('/') + 1)..];
        return rules.Any(r => (directory || !r.DirectoryOnly) && r.Pattern.IsMatch(r.Anchored ? relativePath : name));
    }

    private static Regex ToRegex(string glob)
    {
        var pattern = Regex.Escape(glob)
            .Replace(@"\*\*/", "(?:.*/)?", StringComparison.Ordinal)
            .Replace(@"/\*\*", "(?:/.*)?", StringComparison.Ordinal)
            .Replace(@"\*", "[^/]*", StringComparison.Ordinal)
            .Replace(@"\?", "[^/]", StringComparison.Ordinal);
        return new Regex("^" + pattern + "$", RegexOptions.CultureInvariant);
    }
}
