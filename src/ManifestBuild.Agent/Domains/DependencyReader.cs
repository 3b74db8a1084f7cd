using System.Text.RegularExpressions;
using ManifestBuild.Format.Json;

namespace ManifestBuild.Agent.Domains;

/// <summary>
/// Package names from the build files of the common ecosystems, read as text with small, forgiving
/// parsers: a build file that does not parse gives fewer names, never an error (the repository is the
/// user's, not ours to judge).
/// </summary>
internal static partial class DependencyReader
{
    public static bool IsBuildFile(string name) =>
        name is "pyproject.toml" or "setup.py" or "setup.cfg" or "Pipfile" or "Cargo.toml" or "package.json" or "go.mod"
            or "CMakeLists.txt" or "Gemfile" or "composer.json" or "conanfile.txt" or "vcpkg.json"
        || (name.StartsWith("requirements", StringComparison.OrdinalIgnoreCase) && name.EndsWith(".txt", StringComparison.OrdinalIgnoreCase))
        || name.EndsWith(".csproj", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".fsproj", StringComparison.OrdinalIgnoreCase)
        || name.Equals("Directory.Packages.props", StringComparison.OrdinalIgnoreCase);

    public static IEnumerable<string> Read(string name, string text)
    {
        if (name.StartsWith("requirements", StringComparison.OrdinalIgnoreCase))
        {
            return Requirements(text.Split('\n'));
        }

        return name switch
        {
            "pyproject.toml" or "Pipfile" or "Cargo.toml" => Toml(text),
            "setup.py" or "setup.cfg" => Requirements(QuotedStrings().Matches(text).Select(m => m.Groups[1].Value)),
            "package.json" or "composer.json" or "vcpkg.json" => JsonDependencies(text),
            "go.mod" => GoModules(text),
            "CMakeLists.txt" => FindPackage().Matches(text).Select(m => m.Groups[1].Value),
            "Gemfile" => Gem().Matches(text).Select(m => m.Groups[1].Value),
            "conanfile.txt" => text.Split('\n').Select(l => l.Trim()).Where(l => l.Contains('/', StringComparison.Ordinal) && !l.StartsWith('[')).Select(l => l[..l.IndexOf('/', StringComparison.Ordinal)]),
            _ => PackageReference().Matches(text).Select(m => m.Groups[1].Value), // *.csproj, *.fsproj, Directory.Packages.props
        };
    }

    // "numpy>=1.26 ; python_version > '3.9'" -> numpy; "pydicom[gdcm]" -> pydicom
    private static IEnumerable<string> Requirements(IEnumerable<string> lines)
    {
        foreach (var raw in lines)
        {
            var line = raw.Split('#')[0].Trim();
            if (line.Length == 0 || line.StartsWith('-'))
            {
                continue;
            }

            var m = RequirementName().Match(line);
            if (m.Success)
            {
                yield return m.Groups[1].Value;
            }
        }
    }

    // Keys of [*dependencies*] / [packages] sections, [dependencies.x] headers, and strings in *dependencies / requires arrays.
    private static IEnumerable<string> Toml(string text)
    {
        var section = "";
        var inArray = false;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Split('#')[0].Trim();
            if (line.StartsWith('[') && !inArray)
            {
                section = line.Trim('[', ']', ' ');
                var dotted = section.Split('.');
                if (dotted.Length >= 2 && dotted[^2].EndsWith("dependencies", StringComparison.Ordinal))
                {
                    yield return dotted[^1].Trim('"');
                }

                continue;
            }

            var eq = line.IndexOf('=', StringComparison.Ordinal);
            if (!inArray && eq > 0 && (section.EndsWith("dependencies", StringComparison.Ordinal) || section is "packages" or "dev-packages"))
            {
                var key = line[..eq].Trim().Trim('"');
                if (key is not ("python" or "name" or "version"))
                {
                    yield return key;
                }
            }

            if (eq > 0 && (line[..eq].Trim().EndsWith("dependencies", StringComparison.Ordinal) || line[..eq].Trim() is "requires") && line[eq..].Contains('[', StringComparison.Ordinal))
            {
                inArray = true;
            }

            if (inArray)
            {
                foreach (var name in Requirements(QuotedStrings().Matches(line).Select(m => m.Groups[1].Value)))
                {
                    yield return name;
                }

                inArray = !line.Contains(']', StringComparison.Ordinal);
            }
        }
    }

    private static IEnumerable<string> JsonDependencies(string text)
    {
        JsonObject? json;
        try
        {
            json = JsonParser.Parse(text) as JsonObject;
        }
        catch (ManifestBuild.Format.DsrsException)
        {
            yield break;
        }

        foreach (var member in new[] { "dependencies", "devDependencies", "peerDependencies", "require", "require-dev" })
        {
            switch (json?[member])
            {
                case JsonObject deps:
                    foreach (var name in deps.Names)
                    {
                        yield return name;
                    }

                    break;
                case JsonArray list: // vcpkg.json
                    foreach (var item in list)
                    {
                        if ((item.AsString() ?? (item as JsonObject)?.GetString("name")) is { } name)
                        {
                            yield return name;
                        }
                    }

                    break;
            }
        }
    }

    // require github.com/gin-gonic/gin v1.9.1 -> the path and its last segment
    private static IEnumerable<string> GoModules(string text)
    {
        foreach (Match m in GoRequire().Matches(text))
        {
            var path = m.Groups[1].Value;
            yield return path;
            yield return path[(path.LastIndexOf('/') + 1)..];
        }
    }

    [GeneratedRegex(@"^([A-Za-z0-9][A-Za-z0-9._-]*)")]
    private static partial Regex RequirementName();

    [GeneratedRegex(@"[""']([^""']+)[""']")]
    private static partial Regex QuotedStrings();

    [GeneratedRegex(@"find_package\s*\(\s*([A-Za-z0-9_+-]+)", RegexOptions.IgnoreCase)]
    private static partial Regex FindPackage();

    [GeneratedRegex(@"^\s*gem\s+[""']([^""']+)[""']", RegexOptions.Multiline)]
    private static partial Regex Gem();

    [GeneratedRegex(@"<(?:PackageReference|PackageVersion|FrameworkReference)\s+Include\s*=\s*""([^""]+)""", RegexOptions.IgnoreCase)]
    private static partial Regex PackageReference();

    [GeneratedRegex(@"^\s*(?:require\s+)?([a-z0-9.-]+\.[a-z]+/[^\s]+)\s+v[0-9]", RegexOptions.Multiline)]
    private static partial Regex GoRequire();
}
