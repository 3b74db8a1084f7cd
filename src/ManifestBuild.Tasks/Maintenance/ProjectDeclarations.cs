using System.Xml.Linq;
using ManifestBuild.Format;
using ManifestBuild.Tasks.Resolution;

namespace ManifestBuild.Tasks.Maintenance;

/// <summary>
/// A project's DsrsManifest items and Dsrs* properties read without MSBuild, for `dsrs lock`,
/// `dsrs restore`, `dsrs outdated` and `dsrs update`: the csproj XML itself, items as attributes or
/// child elements, the last unconditioned value of each property, `$(MSBuildProjectDirectory)`
/// expanded. Conditions, imports and other properties are not evaluated; a project that declares
/// its items through them is refused (DSRS0911) rather than read wrongly.
/// </summary>
public sealed record ProjectDeclarations(string ProjectFile, IReadOnlyList<DeclaredManifest> Items, IReadOnlyDictionary<string, string> Properties)
{
    private static readonly string[] Metadata = ["Family", "Domains", "MinAccuracy", "MaxPriceMsat", "Seller", "CompiledId", "Path"];

    public string Directory => System.IO.Path.GetDirectoryName(ProjectFile)!;

    public string? Property(string name) => Properties.TryGetValue(name, out var value) ? value : null;

    public static ProjectDeclarations Read(string projectFile)
    {
        var full = System.IO.Path.GetFullPath(projectFile);
        XDocument document;
        try
        {
            document = XDocument.Load(full, LoadOptions.SetLineInfo);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Xml.XmlException)
        {
            throw new DsrsException(CliLockErrorCodes.ProjectUnreadable, $"the project '{full}' cannot be read as MSBuild XML: {e.Message}");
        }

        var directory = System.IO.Path.GetDirectoryName(full)!;
        string Expand(string text) => text.Replace("$(MSBuildProjectDirectory)", directory, StringComparison.OrdinalIgnoreCase).Trim();

        var properties = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var element in document.Descendants().Where(e => e.Name.LocalName.StartsWith("Dsrs", StringComparison.Ordinal) && e.Parent?.Name.LocalName == "PropertyGroup"))
        {
            if (element.Attribute("Condition") is null && element.Parent!.Attribute("Condition") is null)
            {
                properties[element.Name.LocalName] = Expand(element.Value);
            }
        }

        var items = new List<DeclaredManifest>();
        foreach (var element in document.Descendants().Where(e => e.Name.LocalName == "DsrsManifest"))
        {
            var name = element.Attribute("Include")?.Value.Trim() ?? string.Empty;
            if (name.Length == 0 || name.Contains("$(", StringComparison.Ordinal) || name.Contains(';', StringComparison.Ordinal) || element.Attribute("Condition") is not null)
            {
                throw new DsrsException(CliLockErrorCodes.ProjectNotReadableWithoutMsBuild, $"{full}({((System.Xml.IXmlLineInfo)element).LineNumber}): this DsrsManifest item needs MSBuild to evaluate (a condition, a property or several names in Include); run the build instead");
            }

            var values = Metadata.ToDictionary(m => m, m => Expand(element.Attribute(m)?.Value ?? element.Elements().FirstOrDefault(c => c.Name.LocalName == m)?.Value ?? string.Empty), StringComparer.Ordinal);
            var location = new ItemLocation(full, ((System.Xml.IXmlLineInfo)element).LineNumber, ((System.Xml.IXmlLineInfo)element).LinePosition);
            items.Add(DeclaredManifest.Parse(name, key => values.TryGetValue(key, out var v) ? v : string.Empty, directory, location));
        }

        return new ProjectDeclarations(full, items, properties);
    }

    /// <summary>The settings a build of this project would use, with the CLI's overrides.</summary>
    public ResolveSettings Settings(string home, Func<string, string?> environment, bool locked, long? budgetMsat, string? relays = null) => new()
    {
        Relays = ResolveSettings.ParseRelays(relays ?? Property("DsrsRelays")),
        BudgetMsat = budgetMsat ?? ResolveSettings.ParseNonNegative("DsrsBudgetMsat", Property("DsrsBudgetMsat"), 0),
        MaxFeeMsat = ResolveSettings.ParseNonNegative("DsrsMaxFeeMsat", Property("DsrsMaxFeeMsat"), 1000),
        LockFilePath = System.IO.Path.GetFullPath(System.IO.Path.Combine(Directory, Property("DsrsLockFile") ?? "dsrs.lock.json")),
        PruneLockFile = Property("DsrsLockFile") is null,
        LockedMode = locked,
        NoPay = Lightning.Payments.NoPaySwitch.IsOn(environment),
        Timeout = TimeSpan.FromSeconds(ResolveSettings.ParseNonNegative("DsrsResolveTimeout", Property("DsrsResolveTimeout"), 60)),
        IntermediateDirectory = System.IO.Path.Combine(Directory, "obj", "dsrs"),
        Home = home,
        Environment = environment,
    };
}
