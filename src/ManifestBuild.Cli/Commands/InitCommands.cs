using System.CommandLine;
using System.Reflection;
using System.Security;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;
using ManifestBuild.Cli.Presenters;
using ManifestBuild.Format;

namespace ManifestBuild.Cli;

/// <summary>
/// `dsrs init`: makes an existing project a ManifestBuild consumer. It adds the ManifestBuild package
/// reference, a nuget.config source for the local feed the packages were packed into, the market
/// properties and a first DsrsManifest item. Each step is skipped when already done, and the files are
/// edited as text (inserting lines before a closing tag), so the user's formatting stays as it was.
/// </summary>
internal static class InitCommands
{
    private const string InitPackageId = "ManifestBuild";

    private const string InitSourceKey = "manifestbuild-local";

    public static void AddTo(RootCommand root, CliContext context)
    {
        var project = new Argument<string?>("project") { Description = "The project file or its folder. Default: the only *.csproj in the current folder.", Arity = ArgumentArity.ZeroOrOne };
        var feed = new Option<string>("--feed") { Description = "The folder feed holding the packed ManifestBuild packages. Default: $DSRS_HOME/feed (~/.dsrs/feed)." };
        var version = new Option<string>("--version") { Description = "The ManifestBuild version to reference. Default: the newest ManifestBuild package in the feed." };
        var name = new Option<string>("--name") { Description = "The first DsrsManifest item's name, which becomes the generated class.", DefaultValueFactory = _ => "ComplexityClassification" };
        var family = new Option<string>("--family") { Description = "The decision the first item buys (a listing's k tag).", DefaultValueFactory = _ => "complexity" };
        var maxPrice = CliOptions.Msat("--max-price", "The first item's MaxPriceMsat.");
        maxPrice.DefaultValueFactory = _ => MarketCommands.DefaultBuyMaxPriceMsat;
        var relays = CliOptions.Relays($"A relay for DsrsRelays (repeatable). Default: ws://127.0.0.1:{RelayCommands.DefaultRelayPort}, where `dsrs relay` listens.");
        var budget = CliOptions.Msat("--budget", "DsrsBudgetMsat, the most one build may spend. Default: not set, so the build buys nothing paid until you set it.");
        var command = new Command("init", "Add ManifestBuild to an existing project: package reference, nuget.config feed, relays and a first <DsrsManifest>. Safe to run again.");
        command.Arguments.Add(project);
        foreach (var option in new Option[] { feed, version, name, family, maxPrice, relays, budget })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (ParseResult r, CancellationToken ct) =>
        {
            var projectFile = InitFindProject(r.GetValue(project));
            var feedPath = Path.GetFullPath(r.GetValue(feed) ?? Path.Combine(context.Home, "feed"));
            var packageVersion = r.GetValue(version) ?? InitNewestInFeed(feedPath) ?? InitToolVersion();
            var relayList = r.GetValue(relays) is { Length: > 0 } given ? given.Select(Nostr.Relays.RelayUrl.Format).ToArray() : [$"ws://127.0.0.1:{RelayCommands.DefaultRelayPort}"];

            var item = $"<DsrsManifest Include=\"{SecurityElement.Escape(r.GetValue(name)!)}\" Family=\"{SecurityElement.Escape(r.GetValue(family)!)}\" MaxPriceMsat=\"{r.GetValue(maxPrice)}\" />";
            var properties = new List<(string Name, string Value)> { ("DsrsRelays", string.Join(';', relayList)) };
            if (r.GetValue(budget) is { } msat)
            {
                properties.Add(("DsrsBudgetMsat", msat.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            }

            var changes = InitProject(projectFile, packageVersion, properties, r.GetValue(name)!, item).ToList();
            changes.Add(InitNugetConfig(Path.GetDirectoryName(projectFile)!, feedPath));
            var feedEmpty = !Directory.Exists(feedPath) || Directory.GetFiles(feedPath, InitPackageId + ".*.nupkg").Length == 0;
            await InitPresenter.WriteAsync(context, changes, feedEmpty ? feedPath : null, InitPackageId);

            return 0;
        });
        root.Subcommands.Add(command);
    }

    private static string InitFindProject(string? given)
    {
        var path = Path.GetFullPath(given ?? ".");
        if (File.Exists(path))
        {
            return path;
        }

        var found = Directory.Exists(path) ? Directory.GetFiles(path, "*.csproj") : [];
        return found.Length == 1 ? found[0]
            : throw new DsrsException(CliErrorCodes.InitNoProject, found.Length == 0 ? $"no *.csproj in {path}; name the project file" : $"several projects in {path} ({string.Join(", ", found.Select(Path.GetFileName))}); name one");
    }

    /// <summary>The highest ManifestBuild version packed into the feed (ManifestBuild.VERSION.nupkg, not ManifestBuild.Runtime/Cli).</summary>
    private static string? InitNewestInFeed(string feed)
    {
        if (!Directory.Exists(feed))
        {
            return null;
        }

        var versions = Directory.GetFiles(feed, InitPackageId + ".*.nupkg")
            .Select(f => Path.GetFileNameWithoutExtension(f)[(InitPackageId.Length + 1)..])
            .Where(v => v.Length > 0 && char.IsAsciiDigit(v[0]))
            .Select(v => (Text: v, Parsed: Version.TryParse(v.Split('-')[0], out var p) ? p : new Version()))
            .OrderByDescending(v => v.Parsed)
            .ThenByDescending(v => !v.Text.Contains('-'))
            .ThenByDescending(v => v.Text, StringComparer.Ordinal)
            .ToList();
        return versions.Count > 0 ? versions[0].Text : null;
    }

    private static string InitToolVersion()
    {
        var informational = typeof(Program).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.1.0";
        return informational.Split('+')[0];
    }

    /// <summary>Adds what the project lacks; returns one line per step (done or already there).</summary>
    private static IReadOnlyList<string> InitProject(string path, string version, IReadOnlyList<(string Name, string Value)> properties, string itemName, string item)
    {
        var text = InitRead(path);
        var document = InitParse(path, text, "Project");
        var report = new List<string>();
        var additions = new List<string>();
        var hasReference = document.Descendants("PackageReference").Any(e => string.Equals((string?)e.Attribute("Include"), InitPackageId, StringComparison.OrdinalIgnoreCase));
        if (hasReference)
        {
            report.Add($"{Path.GetFileName(path)}: already references {InitPackageId}");
        }
        else
        {
            additions.Add(InitBlock("ItemGroup", $"<PackageReference Include=\"{InitPackageId}\" Version=\"{SecurityElement.Escape(version)}\" />"));
            report.Add($"{Path.GetFileName(path)}: added PackageReference {InitPackageId} {version}");
        }

        var missing = properties.Where(p => !document.Descendants(p.Name).Any()).ToList();
        foreach (var p in properties.Except(missing))
        {
            report.Add($"{Path.GetFileName(path)}: keeps its {p.Name}");
        }

        if (missing.Count > 0)
        {
            additions.Add(InitBlock("PropertyGroup", missing.Select(p => $"<{p.Name}>{SecurityElement.Escape(p.Value)}</{p.Name}>").ToArray()));
            report.AddRange(missing.Select(p => $"{Path.GetFileName(path)}: set {p.Name} = {p.Value}"));
        }

        if (document.Descendants("DsrsManifest").Any())
        {
            report.Add($"{Path.GetFileName(path)}: already declares DsrsManifest items");
        }
        else
        {
            additions.Add(InitBlock("ItemGroup", item));
            report.Add($"{Path.GetFileName(path)}: declared DsrsManifest {itemName}");
        }

        if (additions.Count > 0)
        {
            AtomicFile.WriteAllText(path, InitInsertBefore(path, text, "</Project>", additions));
        }

        return report;
    }

    /// <summary>Adds the feed to the project folder's nuget.config (creating it when absent), beside the user's other sources.</summary>
    private static string InitNugetConfig(string folder, string feed)
    {
        var path = Path.Combine(folder, "nuget.config");
        var existing = Directory.GetFiles(folder).FirstOrDefault(f => string.Equals(Path.GetFileName(f), "nuget.config", StringComparison.OrdinalIgnoreCase));
        var entry = $"<add key=\"{InitSourceKey}\" value=\"{SecurityElement.Escape(feed)}\" />";
        if (existing is null)
        {
            AtomicFile.WriteAllText(path, $"<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<configuration>\n  <packageSources>\n    {entry}\n  </packageSources>\n</configuration>\n");
            return $"nuget.config: created with the source {feed}";
        }

        var text = InitRead(existing);
        var document = InitParse(existing, text, "configuration");
        var sources = document.Root!.Element("packageSources");
        var adds = sources?.Elements("add").ToList() ?? [];
        if (adds.Any(a => string.Equals(Path.TrimEndingDirectorySeparator((string?)a.Attribute("value") ?? string.Empty), Path.TrimEndingDirectorySeparator(feed), StringComparison.Ordinal)))
        {
            return $"{Path.GetFileName(existing)}: already lists {feed}";
        }

        if (adds.Any(a => (string?)a.Attribute("key") == InitSourceKey))
        {
            throw new DsrsException(CliErrorCodes.InitUnreadableFile, $"{existing} already has a source named {InitSourceKey} for another folder; edit it or pass that folder as --feed");
        }

        var updated = sources is null || text.Contains("<packageSources/>", StringComparison.Ordinal) || text.Contains("<packageSources />", StringComparison.Ordinal)
            ? InitInsertBefore(existing, Regex.Replace(text, @"<packageSources\s*/>", string.Empty), "</configuration>", [InitBlock("packageSources", entry)])
            : InitInsertBefore(existing, text, "</packageSources>", ["  " + entry]);
        AtomicFile.WriteAllText(existing, updated);
        return $"{Path.GetFileName(existing)}: added the source {feed}";
    }

    private static string InitBlock(string element, params string[] lines) =>
        $"  <{element}>\n" + string.Concat(lines.Select(l => $"    {l}\n")) + $"  </{element}>";

    /// <summary>Inserts the blocks on their own lines before the last closing tag, in the file's line endings and indentation unit.</summary>
    private static string InitInsertBefore(string path, string text, string closing, IReadOnlyList<string> blocks)
    {
        var at = text.LastIndexOf(closing, StringComparison.Ordinal);
        if (at < 0)
        {
            throw new DsrsException(CliErrorCodes.InitUnreadableFile, $"{path} has no {closing}");
        }

        var newline = text.Contains("\r\n", StringComparison.Ordinal) ? "\r\n" : "\n";
        var unit = Regex.Match(text, @"\n([ \t]+)<").Groups[1].Value is { Length: > 0 } found ? found : "  ";
        var lineStart = at == 0 ? 0 : text.LastIndexOf('\n', at - 1) + 1;
        var prefix = text[lineStart..at];
        var ownLine = string.IsNullOrWhiteSpace(prefix);
        // A file whose groups are separated by blank lines gets its new groups separated the same way.
        var spaced = blocks.Count > 0 && blocks[0].StartsWith("  <", StringComparison.Ordinal) && Regex.IsMatch(text, @"\n[ \t]*\r?\n[ \t]*<");
        var lines = string.Concat(blocks.SelectMany(b => (spaced ? ["\u0000"] : Array.Empty<string>()).Concat(b.Split('\n')))
            .Select(l => l == "\u0000" ? newline : (ownLine ? prefix : string.Empty) + InitIndent(l, unit) + newline));

        // On its own line the closing tag keeps its indentation; sharing a line, it moves to the next.
        return ownLine ? text[..lineStart] + lines + text[lineStart..] : text[..at] + newline + lines + text[at..];
    }

    /// <summary>Re-indents a generated line (two spaces per level) with the file's own unit.</summary>
    private static string InitIndent(string line, string unit)
    {
        var spaces = line.Length - line.TrimStart(' ').Length;
        return string.Concat(Enumerable.Repeat(unit, spaces / 2)) + line.TrimStart(' ');
    }

    private static string InitRead(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DsrsException(CliErrorCodes.InitUnreadableFile, $"cannot read {path}: {e.Message}");
        }
    }

    private static XDocument InitParse(string path, string text, string rootName)
    {
        try
        {
            var document = XDocument.Parse(text);
            return document.Root?.Name.LocalName == rootName && document.Root.Name.NamespaceName.Length == 0
                ? document
                : throw new DsrsException(CliErrorCodes.InitUnreadableFile, $"{path}: the root element is not <{rootName}> (an SDK-style file without an xmlns is needed)");
        }
        catch (XmlException e)
        {
            throw new DsrsException(CliErrorCodes.InitUnreadableFile, $"{path} is not well-formed XML: {e.Message}");
        }
    }
}
