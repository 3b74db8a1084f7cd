using System.Reflection;
using ManifestBuild.Format;
using Microsoft.CodeAnalysis;

namespace ManifestBuild.Generator.Tests;

/// <summary>
/// A DsrsDataset becomes <c>Datasets.&lt;Name&gt;</c>: a typed <c>Example</c> record and <c>Examples</c>
/// read from the embedded resource when the schema allows; otherwise no record and a warning that says
/// why, and for a file that is not the verified dataset an error and no class.
/// </summary>
public class DatasetTests
{
    private const string Inputs = "[{\"name\":\"task\",\"type\":\"string\"}]";
    private const string Outputs = "[{\"name\":\"level\",\"type\":\"enum\",\"values\":[\"low\",\"high\"]}]";
    private const string Examples = "[{\"inputs\":{\"task\":\"t\"},\"outputs\":{\"level\":\"low\"}}]";

    [Fact]
    public void TheExamplesLoadTypedFromTheEmbeddedResource()
    {
        var type = Datasets.Compile(new DatasetItem("ComplexityExamples", Datasets.Sample));

        Assert.Equal("Dsrs.Datasets.ComplexityExamples.json", type.GetField("ResourceName")!.GetValue(null));
        Assert.Equal(ManifestBuild.Format.Datasets.Dataset.Parse(Datasets.Sample).VerifyId(), type.GetField("DatasetId")!.GetValue(null));
        Assert.Equal(3L, type.GetProperty("ExampleCount")!.GetValue(null));
        var examples = Datasets.Examples(type);
        Assert.Equal(3, examples.Count);
        var first = examples[0];
        Assert.Equal("Add retry logic to the HTTP client", first["TaskDescription"]);
        Assert.Equal(3, Assert.IsType<int>(first["FileCount"]));
        Assert.Equal(["add", "retry", "http"], Assert.IsAssignableFrom<IReadOnlyList<string>>(first["Keywords"]));
        Assert.Equal("повтор", first["Задача"]);
        Assert.Equal("Medium", first["ExpectedComplexity"]!.ToString());
        Assert.Equal(0.89, Assert.IsType<double>(first["Confidence"]));
        Assert.False(Assert.IsType<bool>(first["NeedsReview"]));
        Assert.Equal("Rewrite the \"connection pool\"\n*/ #error", examples[1]["TaskDescription"]);
        Assert.Equal("VeryHigh", examples[1]["ExpectedComplexity"]!.ToString());
        Assert.Empty(Assert.IsAssignableFrom<IReadOnlyList<string>>(examples[1]["Keywords"]));
        Assert.Equal("SayHi", examples[2]["ExpectedComplexity"]!.ToString());
        Assert.Equal(1.0, examples[2]["Confidence"]);
        Assert.Same(type.GetProperty("Examples")!.GetValue(null), type.GetProperty("Examples")!.GetValue(null));
    }

    [Fact]
    public void AResourceOfAnotherDatasetIsRefusedWithDsrs1107()
    {
        var other = Datasets.Sealed(GeneratorHarness.TestData("complexity-dataset.json").Replace("Fix a typo", "Fix two typos", StringComparison.Ordinal));
        var type = Datasets.Compile(new DatasetItem("ComplexityExamples", Datasets.Sample), resourceText: other);

        var thrown = Assert.Throws<TargetInvocationException>(() => type.GetProperty("Examples")!.GetValue(null));
        var refusal = Assert.IsType<DsrsException>(thrown.InnerException);
        Assert.Equal("DSRS1107", refusal.Code);
        Assert.Contains("Dsrs.Datasets.ComplexityExamples.json", refusal.Message);
    }

    [Fact]
    public void AnAssemblyWithoutTheResourceIsRefusedWithDsrs1107()
    {
        var type = Datasets.Compile(new DatasetItem("ComplexityExamples", Datasets.Sample), embed: false);

        var thrown = Assert.Throws<TargetInvocationException>(() => type.GetProperty("Examples")!.GetValue(null));
        var refusal = Assert.IsType<DsrsException>(thrown.InnerException);
        Assert.Equal("DSRS1107", refusal.Code);
        Assert.Contains("embeds no such resource", refusal.Message);
    }

    [Theory]
    [InlineData("[{\"name\":\"when\",\"type\":\"datetime\"}]", Outputs, "[]", "DSRS1014", "datetime")]
    [InlineData("[{\"name\":\"!!!\",\"type\":\"string\"}]", Outputs, "[]", "DSRS1015", "'!!!'")]
    [InlineData("[{\"name\":\"file count\",\"type\":\"int\"},{\"name\":\"file_count\",\"type\":\"int\"}]", Outputs, "[]", "DSRS1016", "FileCount")]
    [InlineData("[{\"name\":\"level\",\"type\":\"string\"}]", Outputs, "[]", "DSRS1016", "'level'")]
    [InlineData("[{\"name\":\"example\",\"type\":\"string\"}]", Outputs, "[]", "DSRS1016", "Example")]
    [InlineData(Inputs, "[{\"name\":\"examples\",\"type\":\"enum\",\"values\":[\"a\"]}]", "[]", "DSRS1016", "Examples")]
    [InlineData(Inputs, "[{\"name\":\"level\",\"type\":\"enum\",\"values\":[\"very high\",\"very-high\"]}]", "[]", "DSRS1016", "VeryHigh")]
    [InlineData(Inputs, Outputs, "[{\"inputs\":{\"task\":3},\"outputs\":{\"level\":\"low\"}}]", "DSRS1018", "examples[0].inputs.task")]
    [InlineData(Inputs, Outputs, "[{\"inputs\":{},\"outputs\":{\"level\":\"low\"}}]", "DSRS1018", "lacks the field 'task'")]
    [InlineData(Inputs, "{}", "[]", "DSRS1019", "'outputs'")]
    [InlineData(Inputs, "[]", "[]", "DSRS1019", "'outputs' lists no field")]
    public void ASchemaThatDoesNotTypeGetsNoRecordAndAWarningSayingWhy(string inputs, string outputs, string examples, string code, string named)
    {
        var item = new DatasetItem("Labels", Datasets.Minimal(inputs, outputs, examples));
        var result = GeneratorHarness.Run([], datasets: [item]);

        var diagnostic = Assert.Single(result.GeneratorDiagnostics);
        Assert.Equal(code, diagnostic.Id);
        Assert.Equal(DiagnosticSeverity.Warning, diagnostic.Severity);
        Assert.Contains("dataset 'Labels' gets no typed Example record", diagnostic.GetMessage(), StringComparison.Ordinal);
        Assert.Contains(named, diagnostic.GetMessage(), StringComparison.Ordinal);
        Assert.Equal(item.FilePath, diagnostic.Location.GetLineSpan().Path);
        var source = result.Sources["Datasets.Labels.g.cs"];
        Assert.Contains("public const string DatasetId = ", source, StringComparison.Ordinal);
        Assert.DoesNotContain("record Example", source, StringComparison.Ordinal);
        Assert.DoesNotContain("Examples", source, StringComparison.Ordinal);
        Assert.Empty(result.CompileDiagnostics);
    }

    [Fact]
    public void ANameTooLongForMetadataGetsNoRecord()
    {
        var result = GeneratorHarness.Run([], datasets: [new DatasetItem("Labels", Datasets.Minimal($"[{{\"name\":\"{new string('a', 600)}\",\"type\":\"string\"}}]", Outputs, "[]"))]);

        Assert.Equal(["DSRS1017"], result.GeneratorIds);
        Assert.DoesNotContain("record Example", result.Sources["Datasets.Labels.g.cs"], StringComparison.Ordinal);
    }

    [Fact]
    public void AFileAlteredAfterVerificationIsAnErrorAndGetsNoClass()
    {
        var altered = Datasets.Minimal(Inputs, Outputs, Examples).Replace("\"t\"", "\"u\"", StringComparison.Ordinal);
        var result = GeneratorHarness.Run([], datasets: [new DatasetItem("Labels", altered)]);

        var diagnostic = Assert.Single(result.GeneratorDiagnostics);
        Assert.Equal("DSRS1020", diagnostic.Id);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Contains("altered after the build verified it", diagnostic.GetMessage(), StringComparison.Ordinal);
        Assert.Empty(result.Sources);
    }

    [Theory]
    [InlineData("{ nope", "not valid JSON")]
    [InlineData("[1]", "not an object")]
    [InlineData("{\"format\":\"dsrs.manifest/1\",\"signature_name\":\"S\"}", "'dsrs.dataset/1'")]
    [InlineData("{\"format\":\"dsrs.dataset/1\",\"family\":\"f\"}", "states no dataset_id")]
    public void AFileThatIsNotAVerifiedDatasetIsAnError(string text, string named)
    {
        var result = GeneratorHarness.Run([], datasets: [new DatasetItem("Labels", text)]);

        var diagnostic = Assert.Single(result.GeneratorDiagnostics);
        Assert.Equal("DSRS1020", diagnostic.Id);
        Assert.Contains(named, diagnostic.GetMessage(), StringComparison.Ordinal);
        Assert.Empty(result.Sources);
    }

    [Theory]
    [InlineData("Datasets")]
    [InlineData("3x")]
    [InlineData("a.b")]
    public void AnItemNameThatIsNoClassNameGetsNoClass(string name)
    {
        var result = GeneratorHarness.Run([], datasets: [new DatasetItem(name, Datasets.Minimal(Inputs, Outputs, Examples), Path: "/project/obj/dsrs/datasets/x.json")]);

        Assert.Equal(["DSRS1021"], result.GeneratorIds);
        Assert.Empty(result.Sources);
    }

    [Fact]
    public void AManifestMayNotTakeTheDatasetsContainersName()
    {
        var result = GeneratorHarness.Run([new ManifestItem("Datasets", Manifests.WithId("{\"signature_name\":\"S\"," + "\"inputs\":" + Inputs + ",\"outputs\":" + Outputs + "}"))]);

        Assert.Equal(["DSRS1004"], result.GeneratorIds);
    }

    [Fact]
    public void DatasetsAndManifestsLiveSideBySideAndTheSourceIsAscii()
    {
        var result = GeneratorHarness.Run(
            [new ManifestItem("ComplexityClassification", GeneratorHarness.TestData("complexity-typed.json"))],
            datasets: [new DatasetItem("ComplexityExamples", Datasets.Sample), new DatasetItem("Labels", Datasets.Minimal(Inputs, Outputs, Examples))]);

        Assert.Empty(result.GeneratorDiagnostics);
        Assert.Empty(result.CompileDiagnostics);
        Assert.Equal(["ComplexityClassification.g.cs", "Datasets.ComplexityExamples.g.cs", "Datasets.Labels.g.cs", "DsrsManifests.g.cs"], result.Sources.Keys.Order(StringComparer.Ordinal));
        Assert.All(result.Sources.Values, s => Assert.True(s.All(c => c < 0x80), "non-ASCII in generated source"));
    }
}
