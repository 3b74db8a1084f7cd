using System.Xml;
using System.Xml.Linq;
using ManifestBuild.Format;

namespace ManifestBuild.Agent.Suggestions;

/// <summary>
/// Adds <c>&lt;DsrsManifest&gt;</c> items to a project file without reformatting it: the file is read
/// as XML only to learn which items exist, and the new ones are inserted as text in one new
/// <c>&lt;ItemGroup&gt;</c> before <c>&lt;/Project&gt;</c>, in the file's own indentation and line endings.
/// Adding the same items again changes nothing.
/// </summary>
public static class ProjectFileEditor
{
    /// <summary>Returns the items actually added (those whose name the project does not declare yet).</summary>
    public static IReadOnlyList<SuggestedItem> AddItems(string projectPath, IReadOnlyList<SuggestedItem> items)
    {
        var text = Manifest.ReadText(projectPath);
        XDocument document;
        try
        {
            document = XDocument.Parse(text);
        }
        catch (XmlException e)
        {
            throw new DsrsException(AgentErrorCodes.ProjectUnreadable, $"{projectPath} is not an XML project file: {e.Message}");
        }

        var declared = document.Descendants().Where(e => e.Name.LocalName == "DsrsManifest")
            .Select(e => (string?)e.Attribute("Include")).OfType<string>().ToHashSet(StringComparer.OrdinalIgnoreCase);
        var added = items.Where(i => !declared.Contains(i.Name)).ToList();
        if (added.Count == 0)
        {
            return added;
        }

        var end = text.LastIndexOf("</Project>", StringComparison.Ordinal);
        if (end < 0)
        {
            throw new DsrsException(AgentErrorCodes.ProjectUnreadable, $"{projectPath} has no </Project> to add items before");
        }

        var newline = text.Contains("\r\n", StringComparison.Ordinal) ? "\r\n" : "\n";
        var indent = Indent(text);
        var block = indent + "<ItemGroup>" + newline
            + string.Concat(added.Select(i => indent + indent + i.ToXml() + newline))
            + indent + "</ItemGroup>" + newline;
        var lineStart = text.LastIndexOf('\n', Math.Max(0, end - 1)) + 1;
        var insertAt = text[lineStart..end].Trim().Length == 0 ? lineStart : end; // before the line holding </Project>
        AtomicFile.WriteAllText(projectPath, text[..insertAt] + (insertAt == end ? newline : "") + block + text[insertAt..]);
        return added;
    }

    // The indentation of the first indented element line, else two spaces (the SDK templates' style).
    private static string Indent(string text)
    {
        foreach (var line in text.Split('\n'))
        {
            var trimmed = line.TrimStart(' ', '\t');
            if (trimmed.StartsWith('<') && trimmed.Length < line.Length)
            {
                return line[..(line.Length - trimmed.Length)];
            }
        }

        return "  ";
    }
}
