extern alias gen;

using System.Diagnostics;
using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using Generator = gen::ManifestBuild.Generator.ManifestGenerator;

namespace ManifestBuild.Bench.Figures;

/// <summary>
/// Figure 10, the keystroke: what the generator costs the IDE on every edit. A driver that has already
/// run (and been through several edits, so the incremental paths are JIT-compiled) sees an edit of an
/// unrelated source file and an edit of one manifest; warm medians at 20 and 1,000 manifests, each
/// against a cold run in the same process. Timed with step tracking off, as the IDE runs generators;
/// a second, tracking driver fed the same edits gives each step's run reasons and time.
/// </summary>
public sealed class KeystrokeFigure : IFigure
{
    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.CSharp12);

    public string Name => "keystroke";

    public string Title => "the keystroke: warm incremental generator runs after an edit";

    public Task<IReadOnlyList<Row>> RunAsync(BenchOptions options, CancellationToken cancellationToken)
    {
        var rows = new List<Row>();
        var runs = options.Size(41, 9);
        foreach (var count in options.Size(new[] { 20, 1_000 }, new[] { 20, 300 }))
        {
            // Cold: a fresh driver's first run, in a process where the generator's code is already compiled.
            Session.Start(count, track: false);
            var cold = Median(options.Size(5, 3), () => Session.Start(count, track: false).ColdMilliseconds);

            var timed = Session.Start(count, track: false);
            var tracked = Session.Start(count, track: true);

            // What the old figure measured: the first run after cold, with step tracking on.
            var firstTracked = tracked.EditUnrelated();
            var firstUntracked = timed.EditUnrelated();
            for (var i = 0; i < 5; i++)
            {
                // JIT warm-up of the incremental paths, both kinds of edit (the tracking driver only reports reasons).
                timed.EditUnrelated();
                timed.EditManifest();
            }

            tracked.EditManifest();

            var unrelated = Median(runs, () => timed.EditUnrelated());
            var unrelatedTarget = count <= 20 ? "< 2 ms" : "< 5% of cold";
            rows.Add(new Row(Name, $"unrelated edit, {count} manifests (warm median)", unrelated, "ms", "cold run", cold, unrelatedTarget + ": " + Verdict(unrelated, cold, count)));
            tracked.EditUnrelated();
            rows.Add(new Row(Name, "  steps after it: " + tracked.Reasons(), tracked.LastRunMilliseconds, "ms", Target: "tracked run"));
            rows.Add(new Row(Name, $"  the first unrelated edit after cold, step tracking on (the old figure's method)", firstTracked, "ms", "the same, tracking off", firstUntracked));

            var manifest = Median(runs, () => timed.EditManifest());
            rows.Add(new Row(Name, $"one manifest edited, {count} manifests (warm median)", manifest, "ms", "cold run", cold, count <= 20 ? null : "< 5% of cold: " + Verdict(manifest, cold, count)));
            tracked.EditManifest();
            rows.Add(new Row(Name, "  steps after it: " + tracked.Reasons(), tracked.LastRunMilliseconds, "ms", Target: "tracked run"));
            Console.WriteLine($"{count} manifests, per-step time of the tracked manifest edit: {tracked.StepTimes()}");
        }

        return Task.FromResult<IReadOnlyList<Row>>(rows);
    }

    private static string Verdict(double value, double cold, int count) =>
        (count <= 20 ? value < 2 : value < cold * 0.05) ? "met" : "not met";

    private static double Median(int runs, Func<double> measure)
    {
        var values = Enumerable.Range(0, runs).Select(_ => measure()).Order().ToArray();
        return values[values.Length / 2];
    }

    /// <summary>One project as the IDE holds it: a driver, its compilation and its manifests, edited in turn.</summary>
    private sealed class Session
    {
        private readonly AdditionalText[] texts;
        private GeneratorDriver driver;
        private Compilation compilation;
        private int edits;

        private Session(GeneratorDriver driver, Compilation compilation, AdditionalText[] texts)
        {
            this.driver = driver;
            this.compilation = compilation;
            this.texts = texts;
        }

        public double ColdMilliseconds { get; private init; }

        public double LastRunMilliseconds { get; private set; }

        public static Session Start(int count, bool track)
        {
            var texts = Enumerable.Range(0, count).Select(i => (AdditionalText)new InMemoryText($"/project/manifests/M{i}.json", SampleManifests.Create(i))).ToArray();
            var options = new OptionsProvider(texts.Select((t, i) => (t.Path, $"Manifest{i}")).ToDictionary(p => p.Path, p => p.Item2));
            Compilation compilation = CSharpCompilation.Create(
                "Agent",
                [CSharpSyntaxTree.ParseText("namespace Agent { internal static class Program { } }", ParseOptions, path: "/project/Program.cs")],
                [MetadataReference.CreateFromFile(typeof(object).Assembly.Location)],
                new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
            GeneratorDriver driver = CSharpGeneratorDriver.Create(
                [new Generator().AsSourceGenerator()],
                texts,
                ParseOptions,
                options,
                new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: track));
            var clock = Stopwatch.StartNew();
            driver = driver.RunGenerators(compilation);
            var cold = clock.Elapsed.TotalMilliseconds;
            var generated = driver.GetRunResult().GeneratedTrees.Length;
            if (generated != count + 1)
            {
                throw new InvalidOperationException($"the generator emitted {generated} files for {count} manifests: {string.Join("; ", driver.GetRunResult().Diagnostics)}");
            }

            return new Session(driver, compilation, texts) { ColdMilliseconds = cold };
        }

        /// <summary>A keystroke in a source file: the one tree replaced with a new text, the manifests untouched.</summary>
        public double EditUnrelated()
        {
            var old = compilation.SyntaxTrees.Single(t => t.FilePath == "/project/Program.cs");
            var text = $"namespace Agent {{ internal static class Program {{ public static int Keystroke => {++edits}; }} }}";
            compilation = compilation.ReplaceSyntaxTree(old, CSharpSyntaxTree.ParseText(text, ParseOptions, path: "/project/Program.cs"));
            return Run();
        }

        /// <summary>One manifest saved with new content (its instruction's variant number changes).</summary>
        public double EditManifest()
        {
            var index = texts.Length / 2;
            var old = texts[index];
            var changed = new InMemoryText(old.Path, SampleManifests.Create(1_000_000 + ++edits));
            texts[index] = changed;
            driver = driver.ReplaceAdditionalText(old, changed);
            return Run();
        }

        /// <summary>Each tracked step of the last run: its outputs counted by reason.</summary>
        public string Reasons()
        {
            var result = driver.GetRunResult().Results.Single();
            return string.Join("; ", result.TrackedSteps.OrderBy(s => s.Key, StringComparer.Ordinal).Select(step =>
                step.Key + " " + string.Join("/", step.Value.SelectMany(s => s.Outputs).GroupBy(o => o.Reason).OrderBy(g => g.Key).Select(g => $"{g.Count()} {g.Key.ToString().ToLowerInvariant()}"))));
        }

        /// <summary>Each tracked step's summed time in the last run, largest first.</summary>
        public string StepTimes()
        {
            var result = driver.GetRunResult().Results.Single();
            var steps = result.TrackedSteps.Select(s => (s.Key, Ms: s.Value.Sum(r => r.ElapsedTime.TotalMilliseconds))).OrderByDescending(s => s.Ms);
            return string.Join(", ", steps.Select(s => s.Key + " " + s.Ms.ToString("F3", CultureInfo.InvariantCulture) + " ms"))
                + $"; the whole run {LastRunMilliseconds.ToString("F3", CultureInfo.InvariantCulture)} ms";
        }

        private double Run()
        {
            var clock = Stopwatch.StartNew();
            driver = driver.RunGenerators(compilation);
            LastRunMilliseconds = clock.Elapsed.TotalMilliseconds;
            return LastRunMilliseconds;
        }
    }

    private sealed class InMemoryText(string path, string text) : AdditionalText
    {
        private readonly SourceText source = SourceText.From(text);

        public override string Path => path;

        public override SourceText GetText(CancellationToken cancellationToken = default) => source;
    }

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
