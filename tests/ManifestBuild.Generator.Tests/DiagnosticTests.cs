extern alias gen;

using Microsoft.CodeAnalysis;

namespace ManifestBuild.Generator.Tests;

/// <summary>Each DSRS10xx diagnostic: raised for the manifest that earns it, with no code generated for it.</summary>
public class DiagnosticTests
{
    private const string Schema = "\"inputs\":[{\"name\":\"task\",\"type\":\"string\"}],\"outputs\":[{\"name\":\"level\",\"type\":\"enum\",\"values\":[\"low\",\"high\"]}]";

    [Fact]
    public void InvalidJsonReportsLineAndColumnInTheAdditionalFile()
    {
        var result = GeneratorHarness.Run([new ManifestItem("Broken", "{\n  \"signature_name\": \"S\",\n  \"instruction\": tru\n}")]);

        var diagnostic = Assert.Single(result.GeneratorDiagnostics);
        Assert.Equal("DSRS1000", diagnostic.Id);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Contains("line 3", diagnostic.GetMessage());
        var span = diagnostic.Location.GetLineSpan();
        Assert.Equal("/project/manifests/Broken.json", span.Path);
        Assert.Equal(2, span.StartLinePosition.Line);
        Assert.True(span.StartLinePosition.Character >= 17, $"column {span.StartLinePosition.Character}");
        Assert.DoesNotContain("Broken.g.cs", result.Sources.Keys);
    }

    [Fact]
    public void CompiledIdDifferentFromTheLockfileIsRefused()
    {
        var text = Manifests.WithId("{\"signature_name\":\"S\"," + Schema + "}");
        var result = GeneratorHarness.Run([new ManifestItem("Pinned", text, ExpectedCompiledId: new string('a', 64))]);

        var diagnostic = Assert.Single(result.GeneratorDiagnostics);
        Assert.Equal("DSRS1001", diagnostic.Id);
        Assert.Contains(new string('a', 64), diagnostic.GetMessage());
        Assert.DoesNotContain(result.Sources.Keys, k => k.StartsWith("Pinned", StringComparison.Ordinal));
    }

    [Fact]
    public void CompiledIdMatchingTheLockfileIsAccepted()
    {
        var text = Manifests.WithId("{\"signature_name\":\"S\"," + Schema + "}");
        var id = Manifests.IdOf(text);
        var result = GeneratorHarness.Run([new ManifestItem("Pinned", text, ExpectedCompiledId: id)]);

        Assert.Empty(result.GeneratorDiagnostics);
        Assert.Empty(result.CompileDiagnostics);
        Assert.Contains($"CompiledId = \"{id}\"", result.Sources["Pinned.g.cs"]);
    }

    [Fact]
    public void ContentWhoseStatedIdDoesNotHashIsRefused()
    {
        var text = Manifests.WithId("{\"signature_name\":\"S\"," + Schema + "}").Replace("\"signature_name\":\"S\"", "\"signature_name\":\"T\"");
        var result = GeneratorHarness.Run([new ManifestItem("Altered", text)]);

        Assert.Equal(["DSRS1002"], result.GeneratorIds);
    }

    [Fact]
    public void UnknownFieldTypeIsNamed()
    {
        var result = GeneratorHarness.Run([new ManifestItem("Odd", "{\"signature_name\":\"S\",\"inputs\":[{\"name\":\"when\",\"type\":\"datetime\"}],\"outputs\":[{\"name\":\"x\",\"type\":\"string\"}]}")]);

        var diagnostic = Assert.Single(result.GeneratorDiagnostics);
        Assert.Equal("DSRS1003", diagnostic.Id);
        Assert.Contains("'datetime'", diagnostic.GetMessage());
        Assert.Contains("'when'", diagnostic.GetMessage());
    }

    [Theory]
    [InlineData("Has Space")]
    [InlineData("1Leading")]
    [InlineData("Caf\u00e9")]
    [InlineData("Evil\u202eName")]
    [InlineData("DsrsManifests")]
    public void InvalidClassNameIsRefused(string name)
    {
        var result = GeneratorHarness.Run([new ManifestItem(name, "{\"signature_name\":\"S\"}")]);

        Assert.Equal(["DSRS1004"], result.GeneratorIds);
        Assert.Empty(result.Sources);
    }

    [Theory]
    [InlineData("class")]
    [InlineData("record")]
    public void KeywordClassNameGetsAnAtSign(string name)
    {
        var result = GeneratorHarness.Run([new ManifestItem(name, "{\"signature_name\":\"S\"}")]);

        Assert.Empty(result.GeneratorDiagnostics);
        Assert.Empty(result.CompileDiagnostics);
        Assert.Contains($"public static partial class @{name}", result.Sources[name + ".g.cs"]);
    }

    [Fact]
    public void FieldNameWithoutAnyLetterIsRefused()
    {
        var result = GeneratorHarness.Run([new ManifestItem("M", "{\"signature_name\":\"S\",\"inputs\":[{\"name\":\"\u202e\u0301\",\"type\":\"string\"}],\"outputs\":[{\"name\":\"x\",\"type\":\"string\"}]}")]);

        Assert.Equal(["DSRS1005"], result.GeneratorIds);
    }

    [Theory]
    [InlineData("[{\"name\":\"needs_plan\",\"type\":\"string\"},{\"name\":\"needs plan\",\"type\":\"bool\"}]")]
    [InlineData("[{\"name\":\"x\",\"type\":\"string\"},{\"name\":\"x\",\"type\":\"string\"}]")]
    [InlineData("[{\"name\":\"to_string\",\"type\":\"string\"}]")]
    [InlineData("[{\"name\":\"equality_contract\",\"type\":\"string\"}]")]
    [InlineData("[{\"name\":\"signature\",\"type\":\"enum\",\"values\":[\"a\"]}]")]
    [InlineData("[{\"name\":\"level\",\"type\":\"enum\",\"values\":[\"very high\",\"very_high\"]}]")]
    public void NamesCollidingAfterPascalCaseAreRefused(string outputs)
    {
        var result = GeneratorHarness.Run([new ManifestItem("M", "{\"signature_name\":\"S\",\"outputs\":" + outputs + "}")]);

        Assert.Contains("DSRS1006", result.GeneratorIds);
        Assert.Empty(result.Sources);
    }

    [Fact]
    public void ManifestLargerThanFourMebibytesIsRefused()
    {
        var huge = "{\"signature_name\":\"S\",\"instruction\":\"" + new string('x', gen::ManifestBuild.Generator.GeneratorDiagnostics.MaxManifestChars) + "\"}";
        var result = GeneratorHarness.Run([new ManifestItem("Huge", huge)]);

        var diagnostic = Assert.Single(result.GeneratorDiagnostics);
        Assert.Equal("DSRS1007", diagnostic.Id);
        Assert.Contains("4 MiB", diagnostic.GetMessage());
    }

    [Fact]
    public void TwoItemsWithTheSameNameAreRefusedAndTheOthersStillGenerate()
    {
        var result = GeneratorHarness.Run(
        [
            new ManifestItem("Twin", "{\"signature_name\":\"A\"}", Path: "/p/a.json"),
            new ManifestItem("Twin", "{\"signature_name\":\"B\"}", Path: "/p/b.json"),
            new ManifestItem("Single", "{\"signature_name\":\"C\"}", Path: "/p/c.json"),
        ]);

        Assert.Equal(["DSRS1008", "DSRS1008"], result.GeneratorIds);
        Assert.Contains("Single.g.cs", result.Sources.Keys);
        Assert.DoesNotContain("Twin.g.cs", result.Sources.Keys);
        Assert.Empty(result.CompileDiagnostics);
    }

    [Theory]
    [InlineData("{\"instruction\":\"no signature name\"}", "signature_name")]
    [InlineData("[1,2]", "not an object")]
    [InlineData("{\"signature_name\":\"S\",\"adapter\":\"xml\"}", "adapter")]
    [InlineData("{\"signature_name\":\"S\",\"example_count\":\"many\"}", "example_count")]
    [InlineData("{\"signature_name\":\"S\",\"inputs\":[{\"name\":\"a\",\"type\":\"string\"}]}", "at least one output")]
    [InlineData("{\"signature_name\":\"S\",\"outputs\":[{\"name\":\"n\",\"type\":\"int\"}],\"demos\":[{\"inputs\":{},\"outputs\":{\"n\":1.5}}]}", "demos[0].outputs.n")]
    [InlineData("{\"signature_name\":\"S\",\"outputs\":[{\"name\":\"l\",\"type\":\"enum\",\"values\":[\"a\"]}],\"demos\":[{\"inputs\":{},\"outputs\":{\"l\":\"b\"}}]}", "enum value")]
    [InlineData("{\"signature_name\":\"S\",\"outputs\":[{\"name\":\"l\",\"type\":\"enum\"}]}", "lists no 'values'")]
    public void MalformedManifestsAreRefusedWithTheReason(string json, string expected)
    {
        var result = GeneratorHarness.Run([new ManifestItem("M", json)]);

        var diagnostic = Assert.Single(result.GeneratorDiagnostics);
        Assert.Equal("DSRS1009", diagnostic.Id);
        Assert.Contains(expected, diagnostic.GetMessage());
    }

    [Fact]
    public void InvalidNamespaceIsRefused()
    {
        var result = GeneratorHarness.Run(
            [new ManifestItem("M", "{\"signature_name\":\"S\"}")],
            new Dictionary<string, string> { ["build_property.DsrsNamespace"] = "My Agent.1x" });

        Assert.Equal(["DSRS1010"], result.GeneratorIds);
    }

    [Fact]
    public void LoneSurrogateInTheFileTextIsRefused()
    {
        var result = GeneratorHarness.Run([new ManifestItem("M", "{\"signature_name\":\"S\ud800\"}")]);

        Assert.Equal(["DSRS1011"], result.GeneratorIds);
    }

    [Fact]
    public void NamespaceComesFromDsrsNamespaceThenRootNamespaceThenDefault()
    {
        var item = new ManifestItem("M", "{\"signature_name\":\"S\"}");
        Assert.Contains("namespace Custom.Place", GeneratorHarness.Run([item], new Dictionary<string, string> { ["build_property.DsrsNamespace"] = "Custom.Place", ["build_property.RootNamespace"] = "Agent" }).Sources["M.g.cs"]);
        Assert.Contains("namespace My.@event.Manifests", GeneratorHarness.Run([item], new Dictionary<string, string> { ["build_property.RootNamespace"] = "My.event" }).Sources["M.g.cs"]);
        Assert.Contains("namespace Manifests", GeneratorHarness.Run([item], new Dictionary<string, string>()).Sources["M.g.cs"]);
    }

    [Fact]
    public void AdditionalFilesWithoutManifestMetadataAreIgnored()
    {
        var driver = GeneratorHarness.CreateDriver([]);
        var other = new gen::ManifestBuild.Format.Json.JsonString("x"); // keeps the alias in use for readers
        Assert.Equal("x", other.Value);
        driver = driver.AddAdditionalTexts([new PlainText("/p/readme.json", "not json at all")]);
        driver = driver.RunGeneratorsAndUpdateCompilation(GeneratorHarness.Compilation(), out _, out var diagnostics);

        Assert.Empty(diagnostics);
        Assert.Empty(driver.GetRunResult().GeneratedTrees);
    }

    private sealed class PlainText(string path, string text) : AdditionalText
    {
        public override string Path => path;

        public override Microsoft.CodeAnalysis.Text.SourceText GetText(CancellationToken cancellationToken = default) => Microsoft.CodeAnalysis.Text.SourceText.From(text);
    }
}
