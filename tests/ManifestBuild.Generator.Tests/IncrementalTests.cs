extern alias gen;

using System.Collections;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;
using TrackingNames = gen::ManifestBuild.Generator.TrackingNames;

namespace ManifestBuild.Generator.Tests;

/// <summary>
/// The pipeline caches: an unrelated code edit regenerates nothing, and editing one manifest leaves
/// every other manifest's steps cached; and no step's value holds a symbol, syntax or compilation.
/// </summary>
public class IncrementalTests
{
    private static readonly string[] ModelSteps = [TrackingNames.ManifestFiles, TrackingNames.Namespace, TrackingNames.Parsed, TrackingNames.DuplicateClasses, TrackingNames.Output, TrackingNames.Diagnostics, TrackingNames.Models, TrackingNames.Registry];

    private static readonly string[] DatasetSteps = [TrackingNames.DatasetFiles, TrackingNames.DatasetParsed, TrackingNames.DatasetDiagnostics, TrackingNames.DatasetModels];

    private static readonly DatasetItem[] DatasetItems =
    [
        new("ComplexityExamples", Datasets.Sample),
        new("Labels", Datasets.Minimal("[{\"name\":\"task\",\"type\":\"string\"}]", "[{\"name\":\"level\",\"type\":\"bool\"}]", "[{\"inputs\":{\"task\":\"t\"},\"outputs\":{\"level\":true}}]")),
    ];

    private static readonly ManifestItem[] Items =
    [
        new("ComplexityClassification", GeneratorHarness.TestData("complexity-typed.json")),
        new("SeedClassifier", GeneratorHarness.TestData("seed-untyped.json")),
        new("Hostile", GeneratorHarness.TestData("hostile-names.json")),
    ];

    [Fact]
    public void UnrelatedSyntaxEditLeavesEveryStepCached()
    {
        var compilation = GeneratorHarness.Compilation();
        var driver = GeneratorHarness.CreateDriver(Items).RunGenerators(compilation);

        var edited = compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText("namespace Agent { internal static class Extra { public static int X => 1; } }", GeneratorHarness.ParseOptions));
        var result = driver.RunGenerators(edited).GetRunResult().Results.Single();

        foreach (var step in ModelSteps)
        {
            var outputs = result.TrackedSteps[step].SelectMany(s => s.Outputs).ToList();
            Assert.NotEmpty(outputs);
            Assert.All(outputs, o => Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"{step}: {o.Reason}"));
        }

        Assert.All(result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs), o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
    }

    [Fact]
    public void EditingOneManifestLeavesTheOthersCached()
    {
        var compilation = GeneratorHarness.Compilation();
        var driver = GeneratorHarness.CreateDriver(Items, out var texts).RunGenerators(compilation);
        var old = driver.GetRunResult().Results.Single();
        Assert.Equal(3, old.GeneratedSources.Length - 1);

        var seed = Items[1];
        var editedJson = Manifests.WithId("{\"signature_name\":\"Edited\",\"instruction\":\"changed\"}");
        driver = driver.ReplaceAdditionalText(texts.Single(t => t.Path == seed.FilePath), new SameText(seed.FilePath, editedJson));
        var result = driver.RunGenerators(compilation).GetRunResult().Results.Single();

        var parsed = result.TrackedSteps[TrackingNames.Parsed].SelectMany(s => s.Outputs).ToList();
        Assert.Equal(3, parsed.Count);
        Assert.Equal(1, parsed.Count(o => o.Reason == IncrementalStepRunReason.Modified));
        Assert.Equal(2, parsed.Count(o => o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged));

        var outputs = result.TrackedSteps[TrackingNames.Output].SelectMany(s => s.Outputs).ToList();
        Assert.Equal(2, outputs.Count(o => o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged));
        Assert.Contains("\"Edited\"", result.GeneratedSources.Single(s => s.HintName == "SeedClassifier.g.cs").SourceText.ToString());
    }

    [Fact]
    public void DiagnosticsAndSourcesLeaveThroughTheirOwnOutputs()
    {
        var broken = new ManifestItem("Broken", "{ nope", Path: "/project/manifests/broken.json");
        var compilation = GeneratorHarness.Compilation();
        var driver = GeneratorHarness.CreateDriver(Items.Append(broken), out var texts).RunGenerators(compilation);

        // Another syntax error in the broken file: a new diagnostic, and no model changes anywhere.
        driver = driver.ReplaceAdditionalText(texts.Single(t => t.Path == broken.FilePath), new SameText(broken.FilePath, "{ still nope"));
        var result = driver.RunGenerators(compilation).GetRunResult().Results.Single();

        var diagnostics = result.TrackedSteps[TrackingNames.Diagnostics].SelectMany(s => s.Outputs).ToList();
        Assert.Equal(1, diagnostics.Count(o => o.Reason == IncrementalStepRunReason.Modified));
        Assert.All(result.TrackedSteps[TrackingNames.Models].SelectMany(s => s.Outputs), o => Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"{o.Reason}"));
        Assert.All(result.TrackedSteps[TrackingNames.Registry].SelectMany(s => s.Outputs), o => Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"{o.Reason}"));
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("DSRS1000", diagnostic.Id);
        Assert.Equal(3, result.GeneratedSources.Length - 1);
    }

    [Fact]
    public void DatasetStepsStayCachedOnAnUnrelatedEditAndOnAManifestEdit()
    {
        var compilation = GeneratorHarness.Compilation();
        var driver = GeneratorHarness.CreateDriver(Items, out var texts, datasets: DatasetItems).RunGenerators(compilation);

        var edited = compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText("namespace Agent { internal static class Extra { } }", GeneratorHarness.ParseOptions));
        driver = driver.RunGenerators(edited);
        AssertCached(driver.GetRunResult().Results.Single(), DatasetSteps, expected: 2);
        AssertCached(driver.GetRunResult().Results.Single(), ModelSteps, expected: 1);

        var seed = Items[1];
        driver = driver.ReplaceAdditionalText(texts.Single(t => t.Path == seed.FilePath), new SameText(seed.FilePath, Manifests.WithId("{\"signature_name\":\"Edited\"}")));
        var result = driver.RunGenerators(edited).GetRunResult().Results.Single();
        AssertCached(result, DatasetSteps, expected: 2);
        Assert.Contains(result.GeneratedSources, s => s.HintName == "Datasets.ComplexityExamples.g.cs");
    }

    [Fact]
    public void EditingOneDatasetLeavesTheOtherAndTheManifestsCached()
    {
        var compilation = GeneratorHarness.Compilation();
        var driver = GeneratorHarness.CreateDriver(Items, out var texts, datasets: DatasetItems).RunGenerators(compilation);

        var labels = DatasetItems[1];
        var changed = Datasets.Minimal("[{\"name\":\"task\",\"type\":\"string\"}]", "[{\"name\":\"level\",\"type\":\"bool\"}]", "[{\"inputs\":{\"task\":\"u\"},\"outputs\":{\"level\":false}}]");
        driver = driver.ReplaceAdditionalText(texts.Single(t => t.Path == labels.FilePath), new SameText(labels.FilePath, changed));
        var result = driver.RunGenerators(compilation).GetRunResult().Results.Single();

        var parsed = result.TrackedSteps[TrackingNames.DatasetParsed].SelectMany(s => s.Outputs).ToList();
        Assert.Equal(1, parsed.Count(o => o.Reason == IncrementalStepRunReason.Modified));
        Assert.Equal(1, parsed.Count(o => o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged));
        AssertCached(result, ModelSteps, expected: 1);

        var id = changed[(changed.IndexOf("\"dataset_id\":\"", StringComparison.Ordinal) + 14)..][..64];
        Assert.Empty(result.Diagnostics);
        Assert.Contains($"DatasetId = \"{id}\"", result.GeneratedSources.Single(s => s.HintName == "Datasets.Labels.g.cs").SourceText.ToString(), StringComparison.Ordinal);
    }

    private static void AssertCached(GeneratorRunResult result, IEnumerable<string> steps, int expected)
    {
        foreach (var step in steps)
        {
            var outputs = result.TrackedSteps[step].SelectMany(s => s.Outputs).ToList();
            Assert.True(outputs.Count >= expected, $"{step}: {outputs.Count} outputs");
            Assert.All(outputs, o => Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"{step}: {o.Reason}"));
        }
    }

    [Fact]
    public void NoStepValueHoldsASymbolSyntaxOrCompilation()
    {
        var driver = GeneratorHarness.CreateDriver(Items.Append(new ManifestItem("Broken", "{ nope")), out _, datasets: DatasetItems.Append(new DatasetItem("BrokenSet", "{ nope"))).RunGenerators(GeneratorHarness.Compilation());
        var result = driver.GetRunResult().Results.Single();

        var checkedValues = 0;
        foreach (var step in ModelSteps.Concat(DatasetSteps))
        {
            foreach (var output in result.TrackedSteps[step].SelectMany(s => s.Outputs))
            {
                AssertHoldsNoCompilerObjects(output.Value, step, new HashSet<object>(ReferenceEqualityComparer.Instance));
                checkedValues++;
            }
        }

        Assert.True(checkedValues >= 20, $"only {checkedValues} values checked");
    }

    private static void AssertHoldsNoCompilerObjects(object? value, string step, HashSet<object> seen)
    {
        if (value is null || value is string || value.GetType().IsPrimitive || value.GetType().IsEnum || value is decimal)
        {
            return;
        }

        Assert.False(value is ISymbol or SyntaxNode or SyntaxTree or Compilation or SemanticModel or Location or SyntaxToken or AdditionalText or SourceText,
            $"step {step} holds a {value.GetType().FullName}");
        if (!value.GetType().IsValueType && !seen.Add(value))
        {
            return;
        }

        if (value is IEnumerable sequence)
        {
            foreach (var item in sequence)
            {
                AssertHoldsNoCompilerObjects(item, step, seen);
            }
        }

        for (var type = value.GetType(); type is not null && type != typeof(object); type = type.BaseType)
        {
            foreach (var f in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                if (f.FieldType.IsPointer)
                {
                    continue;
                }

                AssertHoldsNoCompilerObjects(f.GetValue(value), step, seen);
            }
        }
    }

    private sealed class SameText(string path, string text) : AdditionalText
    {
        public override string Path => path;

        public override SourceText GetText(CancellationToken cancellationToken = default) => SourceText.From(text);
    }
}
