namespace ManifestBuild.Generator.Tests;

/// <summary>
/// The generated code of representative manifests, compared with checked-in baselines
/// (Baselines/*.generated.txt). After an intended change to the output, rewrite them with
/// <c>DSRS_ACCEPT_BASELINES=1 dotnet test tests/ManifestBuild.Generator.Tests</c> and review the diff.
/// </summary>
public class BaselineTests
{
    [Theory]
    [InlineData("complexity-typed.json", "ComplexityClassification", "Typed")]
    [InlineData("seed-untyped.json", "SeedClassifier", "SeedUntyped")]
    [InlineData("hostile-names.json", "Hostile", "HostileNames")]
    public void GeneratedCodeMatchesBaselineAndCompiles(string file, string name, string baseline)
    {
        var result = GeneratorHarness.Run([new ManifestItem(name, GeneratorHarness.TestData(file))]);

        Assert.Empty(result.GeneratorDiagnostics);
        Assert.Empty(result.CompileDiagnostics);
        Compare(baseline, result.Sources[name + ".g.cs"]);
        Compare(baseline + ".Registry", result.Sources["DsrsManifests.g.cs"]);
    }

    [Fact]
    public void GeneratedDatasetCodeMatchesBaselineAndCompiles()
    {
        var result = GeneratorHarness.Run([], datasets: [new DatasetItem("ComplexityExamples", Datasets.Sample)]);

        Assert.Empty(result.GeneratorDiagnostics);
        Assert.Empty(result.CompileDiagnostics);
        Compare("Dataset", result.Sources["Datasets.ComplexityExamples.g.cs"]);
    }

    private static void Compare(string baseline, string actual)
    {
        var path = Path.Combine(RepoPaths(), "Baselines", baseline + ".generated.txt");
        if (Environment.GetEnvironmentVariable("DSRS_ACCEPT_BASELINES") == "1")
        {
            File.WriteAllText(path, actual);
            return;
        }

        Assert.True(File.Exists(path), $"no baseline {path}; run with DSRS_ACCEPT_BASELINES=1 to create it");
        var expected = File.ReadAllText(path).Replace("\r\n", "\n");
        Assert.Equal(expected, actual);
    }

    private static string RepoPaths() => Path.Combine(ManifestBuild.TestSupport.RepoPaths.Root, "tests", "ManifestBuild.Generator.Tests");
}
