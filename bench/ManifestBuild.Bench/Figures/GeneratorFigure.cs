extern alias gen;

using System.Collections.Immutable;
using System.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using Generator = gen::ManifestBuild.Generator.ManifestGenerator;

namespace ManifestBuild.Bench.Figures;

/// <summary>
/// Figure 3: source generation for 1, 100 and 1,000 manifests; then, over 1,000, an edit of an
/// unrelated file (target: nothing re-emitted) and an edit of one manifest (target: one file re-emitted),
/// counted from the generator's own step reasons. Those edits run with step tracking on and right after
/// the cold run, so their times are Roslyn's tracking and JIT, not the keystroke: that is figure 10.
/// </summary>
public sealed class GeneratorFigure : IFigure
{
    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.CSharp12);

    public string Name => "generator";

    public string Title => "source generator: cold runs and incremental edits";

    public Task<IReadOnlyList<Row>> RunAsync(BenchOptions options, CancellationToken cancellationToken)
    {
        var rows = new List<Row>();
        double? perManifestAtOne = null;
        foreach (var count in options.Quick ? new[] { 1, 100, 300 } : new[] { 1, 100, 1_000 })
        {
            var seconds = Median(options.Size(5, 2), () => Cold(count).Seconds);
            perManifestAtOne ??= seconds;
            rows.Add(new Row(Name, $"cold generation, {count} manifests", seconds * 1000, "ms", "1 manifest x count", perManifestAtOne.Value * 1000 * count));
        }

        var size = options.Size(1_000, 300);
        var (driver, compilation, texts, coldSeconds) = Cold(size);

        // An unrelated edit: a new source file in the compilation, the manifests unchanged.
        var edited = compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText("namespace Agent { internal static class Edited { } }", ParseOptions));
        var clock = Stopwatch.StartNew();
        var afterUnrelated = driver.RunGenerators(edited, cancellationToken);
        var unrelatedSeconds = clock.Elapsed.TotalSeconds;
        var reemittedUnrelated = Reemitted(afterUnrelated);
        rows.Add(new Row(Name, $"unrelated edit over {size} manifests (first run after cold, step tracking on; warm and untracked: figure 10)", unrelatedSeconds * 1000, "ms", "cold generation", coldSeconds * 1000, "nothing re-emitted"));
        rows.Add(new Row(Name, "  manifests re-emitted after the unrelated edit", reemittedUnrelated, "files", Target: "0"));

        // One manifest edited out of all of them.
        var old = texts[size / 2];
        var changed = new InMemoryText(old.Path, SampleManifests.Create(1_000_000 + size));
        clock.Restart();
        var afterManifestEdit = afterUnrelated.ReplaceAdditionalText(old, changed).RunGenerators(edited, cancellationToken);
        var editSeconds = clock.Elapsed.TotalSeconds;
        rows.Add(new Row(Name, $"one manifest edited of {size} (tracking on; see figure 10)", editSeconds * 1000, "ms", "cold generation", coldSeconds * 1000, "one file re-emitted"));
        rows.Add(new Row(Name, "  manifests re-emitted after the manifest edit", Reemitted(afterManifestEdit), "files", Target: "1"));
        return Task.FromResult<IReadOnlyList<Row>>(rows);
    }

    private static (GeneratorDriver Driver, Compilation Compilation, AdditionalText[] Texts, double Seconds) Cold(int count)
    {
        var texts = Enumerable.Range(0, count).Select(i => (AdditionalText)new InMemoryText($"/project/manifests/M{i}.json", SampleManifests.Create(i))).ToArray();
        var options = new OptionsProvider(texts.Select((t, i) => (t.Path, $"Manifest{i}")).ToDictionary(p => p.Path, p => p.Item2));
        var compilation = CSharpCompilation.Create(
            "Agent",
            [CSharpSyntaxTree.ParseText("namespace Agent { internal static class Program { } }", ParseOptions)],
            [MetadataReference.CreateFromFile(typeof(object).Assembly.Location)],
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        GeneratorDriver driver = CSharpGeneratorDriver.Create(
            [new Generator().AsSourceGenerator()],
            texts,
            ParseOptions,
            options,
            new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));
        var clock = Stopwatch.StartNew();
        driver = driver.RunGenerators(compilation);
        var seconds = clock.Elapsed.TotalSeconds;
        var generated = driver.GetRunResult().GeneratedTrees.Length;
        if (generated < count)
        {
            throw new InvalidOperationException($"the generator emitted {generated} files for {count} manifests: {string.Join("; ", driver.GetRunResult().Diagnostics)}");
        }

        return (driver, compilation, texts, seconds);
    }

    /// <summary>Outputs of the final per-manifest step that were not served from the cache.</summary>
    private static int Reemitted(GeneratorDriver driver) =>
        driver.GetRunResult().Results.Single().TrackedSteps[gen::ManifestBuild.Generator.TrackingNames.Output]
            .SelectMany(step => step.Outputs)
            .Count(output => output.Reason is not (IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged));

    private static double Median(int runs, Func<double> measure)
    {
        measure(); // warm up: JIT
        var values = Enumerable.Range(0, runs).Select(_ => measure()).Order().ToArray();
        return values[values.Length / 2];
    }

    private sealed class InMemoryText(string path, string text) : AdditionalText
    {
        private readonly SourceText source = SourceText.From(text);

        public override string Path => path;

        public override SourceText GetText(CancellationToken cancellationToken = default) => source;
    }

    /// <summary>The item metadata the build hands the generator (.editorconfig in a real build).</summary>
    private sealed class OptionsProvider(Dictionary<string, string> names) : AnalyzerConfigOptionsProvider
    {
        public override AnalyzerConfigOptions GlobalOptions { get; } = new Options(new() { [Generator.RootNamespaceProperty] = "Agent" });

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => new Options([]);

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) =>
            new Options(new() { [Generator.NameMetadata] = names[textFile.Path], [Generator.CompiledIdMetadata] = string.Empty });

        private sealed class Options(Dictionary<string, string> values) : AnalyzerConfigOptions
        {
            public override bool TryGetValue(string key, out string value) => values.TryGetValue(key, out value!);
        }
    }
}
