using System.IO.Compression;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using ManifestBuild.Tasks.Tests.Support;
using ManifestBuild.TestSupport;

namespace ManifestBuild.Tasks.Tests.EndToEnd;

/// <summary>
/// The packed ManifestBuild package, opened as a zip: the task folder's deps.json names exactly the
/// assemblies the folder ships, and the consumer's one dependency is ManifestBuild.Runtime (declared
/// without a project reference); and the package's MSBuild files define no property nothing reads.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class PackageLayoutTests(PackedPackages packages)
{
    private const string TaskFolder = "tasks/net8.0/";

    [Fact]
    public void TheTaskDepsJsonNamesExactlyTheAssembliesShippedBesideIt()
    {
        using var package = OpenPackage();
        var shipped = package.Entries
            .Where(e => e.FullName.StartsWith(TaskFolder, StringComparison.Ordinal) && e.FullName.EndsWith(".dll", StringComparison.Ordinal))
            .Select(e => e.FullName[TaskFolder.Length..])
            .ToHashSet(StringComparer.Ordinal);
        var depsEntry = package.GetEntry(TaskFolder + "ManifestBuild.Tasks.deps.json");
        Assert.NotNull(depsEntry);
        using var deps = JsonDocument.Parse(depsEntry.Open());

        // Every runtime assembly of every library in the deps.json, by file name (the task folder is flat).
        var named = deps.RootElement.GetProperty("targets").EnumerateObject()
            .SelectMany(target => target.Value.EnumerateObject())
            .Where(library => library.Value.TryGetProperty("runtime", out _))
            .SelectMany(library => library.Value.GetProperty("runtime").EnumerateObject().Select(asset => Path.GetFileName(asset.Name)))
            .ToHashSet(StringComparer.Ordinal);

        Assert.Contains("ManifestBuild.Tasks.dll", shipped);
        Assert.Contains("ManifestBuild.Market.dll", shipped);
        Assert.DoesNotContain("ManifestBuild.Runtime.dll", shipped);
        Assert.Empty(named.Except(shipped)); // named but not shipped: the task would fail to load them
        Assert.Empty(shipped.Except(named)); // shipped but not named: dead weight the host never resolves
    }

    [Fact]
    public void TheNuspecDependsOnTheRuntimePackageOfTheSameVersionAndNothingElse()
    {
        using var package = OpenPackage();
        var nuspecEntry = package.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal) && !e.FullName.Contains('/', StringComparison.Ordinal));
        using var stream = nuspecEntry.Open();
        var nuspec = XDocument.Load(stream);
        var dependencies = nuspec.Descendants().Where(e => e.Name.LocalName == "dependency").ToList();

        var runtime = Assert.Single(dependencies);
        Assert.Equal("ManifestBuild.Runtime", runtime.Attribute("id")?.Value);
        Assert.Equal(packages.Version, runtime.Attribute("version")?.Value);
        // The consumer gets its compile and runtime assets (NuGet's default exclude is Build,Analyzers).
        var excluded = (runtime.Attribute("exclude")?.Value ?? string.Empty).Split(',', StringSplitOptions.TrimEntries);
        Assert.DoesNotContain("Compile", excluded);
        Assert.DoesNotContain("Runtime", excluded);
        Assert.DoesNotContain("All", excluded);
        Assert.Single(package.Entries, e => e.FullName.StartsWith("analyzers/dotnet/cs/", StringComparison.Ordinal) && e.FullName.EndsWith("ManifestBuild.Generator.dll", StringComparison.Ordinal));
    }

    [Fact]
    public void TheTasksProjectDeclaresRuntimeWithoutReferencingItAndItsMsbuildFilesHaveNoUnusedProperty()
    {
        var folder = Path.Combine(RepoPaths.Root, "src", "ManifestBuild.Tasks");
        var project = XDocument.Load(Path.Combine(folder, "ManifestBuild.Tasks.csproj"));
        Assert.DoesNotContain(project.Descendants("ProjectReference"), r => r.Attribute("Include")!.Value.Contains("ManifestBuild.Runtime", StringComparison.Ordinal));
        Assert.Equal("ManifestBuild.Runtime", Assert.Single(project.Descendants("DsrsPackageDependency")).Attribute("Include")?.Value);

        // Our own properties (Dsrs*, ManifestBuild*): each one defined is read somewhere in these files,
        // as $(Name) or by name (CompilerVisibleProperty, a task parameter). The SDK's own ones it reads.
        var files = new[] { "build", "buildTransitive", "buildMultiTargeting" }
            .SelectMany(d => Directory.GetFiles(Path.Combine(folder, d)))
            .Append(Path.Combine(folder, "ManifestBuild.Tasks.csproj"))
            .ToList();
        var text = string.Concat(files.Select(File.ReadAllText));
        var defined = files.SelectMany(f => XDocument.Load(f).Descendants().Where(e => e.Name.LocalName == "PropertyGroup").SelectMany(g => g.Elements()))
            .Select(e => e.Name.LocalName)
            .Where(name => name.StartsWith("Dsrs", StringComparison.Ordinal) || name.StartsWith("ManifestBuild", StringComparison.Ordinal))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        Assert.NotEmpty(defined);
        var unread = defined.Where(name =>
        {
            // A default that reads only itself ('$(X)' == '' inside <X>) is no reader.
            var elsewhere = Regex.Replace(text, "<" + name + @"\b[^>]*?(/>|>.*?</" + name + ">)", string.Empty, RegexOptions.Singleline);
            return !Regex.IsMatch(elsewhere, @"\$\(" + name + @"[).]|[""';]" + name + @"[""';]");
        }).ToList();
        Assert.Empty(unread);
    }

    private ZipArchive OpenPackage() =>
        ZipFile.OpenRead(Path.Combine(packages.Feed, $"ManifestBuild.{packages.Version}.nupkg"));
}
