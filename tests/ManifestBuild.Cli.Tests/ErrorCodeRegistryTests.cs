using System.Reflection;
using System.Text.RegularExpressions;
using ManifestBuild.TestSupport;

namespace ManifestBuild.Cli.Tests;

/// <summary>
/// Every DSRS code of every part, read by reflection from each part's registry (every *ErrorCodes
/// class in the src/ assemblies and the generator's diagnostics): unique, inside the range
/// docs/development.md gives its part, and listed in docs/msbuild-reference.md.
/// </summary>
public sealed partial class ErrorCodeRegistryTests
{
    /// <summary>The src/ assemblies; every one is searched for registries.</summary>
    private static readonly string[] Assemblies =
    [
        "ManifestBuild.Format", "ManifestBuild.Nostr", "ManifestBuild.Relay", "ManifestBuild.Lightning", "ManifestBuild.Market",
        "ManifestBuild.Seller", "ManifestBuild.Runtime", "ManifestBuild.Tasks", "ManifestBuild.Generator", "ManifestBuild.Evaluation",
        "ManifestBuild.Agent", "dsrs",
    ];

    /// <summary>Each registry and the first code of the development.md ranges it may use.</summary>
    private static readonly Dictionary<string, string[]> RangesOf = new(StringComparer.Ordinal)
    {
        ["BuildErrorCodes"] = ["DSRS0001"],
        ["FormatErrorCodes"] = ["DSRS0100", "DSRS0200"],
        ["NostrErrorCodes"] = ["DSRS0300"],
        ["RelayErrorCodes"] = ["DSRS0350"],
        ["Bolt11ErrorCodes"] = ["DSRS0400"],
        ["NodeErrorCodes"] = ["DSRS0430"],
        ["PaymentErrorCodes"] = ["DSRS0470"],
        ["MarketErrorCodes"] = ["DSRS0500"],
        ["SellerErrorCodes"] = ["DSRS0580"],
        ["CliErrorCodes"] = ["DSRS0900", "DSRS1090"],
        // The lockfile verbs' logic lives in Tasks (dsrs lock/restore/outdated/update run the build's resolver); its codes are CLI usage codes.
        ["CliLockErrorCodes"] = ["DSRS0900"],
        ["GeneratorDiagnostics"] = ["DSRS1000"],
        ["RuntimeErrorCodes"] = ["DSRS1100"],
        ["EvaluationErrorCodes"] = ["DSRS1200"],
        ["AgentErrorCodes"] = ["DSRS1250"],
    };

    [GeneratedRegex(@"^\| DSRS(\d{4})-(\d{4}) \|", RegexOptions.Multiline)]
    private static partial Regex RangeRow();

    [GeneratedRegex(@"^\| (DSRS\d{4}) \|", RegexOptions.Multiline)]
    private static partial Regex CodeRow();

    private static IReadOnlyList<(string Registry, string Name, string Code)> AllCodes()
    {
        var codes = new List<(string, string, string)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in Assemblies)
        {
            var assembly = Assembly.Load(name);
            Type[] types;
            try
            {
                types = assembly.GetTypes();
            }
            catch (ReflectionTypeLoadException e)
            {
                // The tasks assembly refers to MSBuild, which the host provides: its other types need not load.
                types = e.Types.OfType<Type>().ToArray();
            }

            // The generator compiles Format's JSON sources in: the same registry twice is one registry.
            foreach (var type in types.Where(t => t.Name.EndsWith("ErrorCodes", StringComparison.Ordinal) || t.Name == "GeneratorDiagnostics").Where(t => seen.Add(t.FullName!)))
            {
                foreach (var field in type.GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static).Where(f => f.IsLiteral && f.FieldType == typeof(string)))
                {
                    codes.Add((type.Name, field.Name, (string)field.GetRawConstantValue()!));
                }
            }
        }

        return codes;
    }

    [Fact]
    public void Every_registry_is_known_and_every_code_is_well_formed_and_unique()
    {
        var codes = AllCodes();
        Assert.Equal(RangesOf.Keys.Order(StringComparer.Ordinal), codes.Select(c => c.Registry).Distinct().Order(StringComparer.Ordinal));
        Assert.All(codes, c => Assert.Matches("^DSRS[0-9]{4}$", c.Code));
        var duplicates = codes.GroupBy(c => c.Code).Where(g => g.Count() > 1).Select(g => g.Key + ": " + string.Join(", ", g.Select(c => c.Registry + "." + c.Name))).ToList();
        Assert.True(duplicates.Count == 0, "codes defined twice:\n" + string.Join("\n", duplicates));

        // The generator reports through descriptors: each must be one of its registered codes.
        var diagnostics = Assembly.Load("ManifestBuild.Generator").GetType("ManifestBuild.Generator.GeneratorDiagnostics", throwOnError: true)!;
        var descriptors = (System.Collections.IDictionary)diagnostics.GetField("Descriptors", BindingFlags.NonPublic | BindingFlags.Static)!.GetValue(null)!;
        var ids = descriptors.Values.Cast<object>().Select(d => (string)d.GetType().GetProperty("Id")!.GetValue(d)!).Order(StringComparer.Ordinal);
        Assert.Equal(codes.Where(c => c.Registry == "GeneratorDiagnostics").Select(c => c.Code).Order(StringComparer.Ordinal), ids);
    }

    [Fact]
    public void Every_code_is_inside_its_parts_range_in_development_md()
    {
        var ranges = RangeRow().Matches(File.ReadAllText(Path.Combine(RepoPaths.Root, "docs", "development.md")))
            .ToDictionary(m => "DSRS" + m.Groups[1].Value, m => (Start: int.Parse(m.Groups[1].Value), End: int.Parse(m.Groups[2].Value)));
        var outside = new List<string>();
        foreach (var (registry, name, code) in AllCodes())
        {
            var number = int.Parse(code[4..]);
            var allowed = RangesOf[registry].Select(start => ranges.TryGetValue(start, out var r) ? r : throw new InvalidOperationException($"development.md has no range starting at {start}"));
            if (!allowed.Any(r => number >= r.Start && number <= r.End))
            {
                outside.Add($"{registry}.{name} = {code}");
            }
        }

        Assert.True(outside.Count == 0, "codes outside their part's range:\n" + string.Join("\n", outside));
    }

    [Fact]
    public void Every_code_is_listed_in_msbuild_reference_md_and_every_listed_code_exists()
    {
        var listed = CodeRow().Matches(File.ReadAllText(Path.Combine(RepoPaths.Root, "docs", "msbuild-reference.md"))).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
        var codes = AllCodes();
        var missing = codes.Where(c => !listed.Contains(c.Code)).Select(c => $"{c.Registry}.{c.Name} = {c.Code}").ToList();
        Assert.True(missing.Count == 0, "codes missing from docs/msbuild-reference.md:\n" + string.Join("\n", missing));
        var stale = listed.Except(codes.Select(c => c.Code)).Order(StringComparer.Ordinal).ToList();
        Assert.True(stale.Count == 0, "docs/msbuild-reference.md lists codes no registry defines:\n" + string.Join("\n", stale));
    }
}
