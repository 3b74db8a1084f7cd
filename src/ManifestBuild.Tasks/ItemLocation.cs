using System.Text.RegularExpressions;

namespace ManifestBuild.Tasks;

/// <summary>Where a DsrsManifest, DsrsBundle or DsrsDataset item is declared, so that errors point at its line in the csproj.</summary>
public sealed record ItemLocation(string File, int Line, int Column)
{
    public static ItemLocation None { get; } = new(string.Empty, 0, 0);

    /// <summary>
    /// Finds the item's Include in the file that defined it (MSBuild's DefiningProjectFullPath metadata).
    /// Items carry no line numbers, so the declaring line is found by text; the file alone is the fallback.
    /// </summary>
    public static ItemLocation Find(string? file, string itemName, string element = "DsrsManifest")
    {
        if (string.IsNullOrEmpty(file) || !System.IO.File.Exists(file))
        {
            return new ItemLocation(file ?? string.Empty, 0, 0);
        }

        var pattern = new Regex("<" + Regex.Escape(element) + "\\b[^>]*?\\bInclude\\s*=\\s*[\"']" + Regex.Escape(itemName) + "[\"']", RegexOptions.CultureInvariant);
        var lines = System.IO.File.ReadAllLines(file);
        for (var i = 0; i < lines.Length; i++)
        {
            var match = pattern.Match(lines[i]);
            if (match.Success)
            {
                return new ItemLocation(file, i + 1, match.Index + 1);
            }
        }

        return new ItemLocation(file, 0, 0);
    }
}
