extern alias gen;

using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace ManifestBuild.Generator.Tests;

/// <summary>A manifest as the build hands it over: an AdditionalFile plus its item metadata.</summary>
public sealed record ManifestItem(string Name, string Text, string? ExpectedCompiledId = null, string? Path = null)
{
    public string FilePath => Path ?? $"/project/manifests/{Name}.json";
}

/// <summary>A dataset as the build hands it over: the verified file as an AdditionalFile with DsrsDatasetName.</summary>
public sealed record DatasetItem(string Name, string Text, string? Path = null)
{
    public string FilePath => Path ?? $"/project/obj/dsrs/datasets/{Name}.json";

    /// <summary>The embedded resource's name, as the build sets LogicalName.</summary>
    public string ResourceName => $"Dsrs.Datasets.{Name}.json";
}

/// <summary>Runs the generator the way the compiler does, over in-memory manifests, and compiles the result.</summary>
public static class GeneratorHarness
{
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.CSharp12);

    private static readonly Lazy<ImmutableArray<MetadataReference>> LazyReferences = new(() =>
    [
        .. Basic.Reference.Assemblies.Net80.References.All,
        MetadataReference.CreateFromFile(typeof(ManifestBuild.Runtime.SignatureSpec).Assembly.Location),
        MetadataReference.CreateFromFile(System.IO.Path.Combine(AppContext.BaseDirectory, "net8ref", "Microsoft.Extensions.AI.Abstractions.dll")),
        MetadataReference.CreateFromFile(System.IO.Path.Combine(AppContext.BaseDirectory, "net8ref", "System.Text.Json.dll")),
    ]);

    public static ImmutableArray<MetadataReference> References => LazyReferences.Value;

    public static CSharpCompilation Compilation(string assemblyName = "Agent", params string[] sources) =>
        CSharpCompilation.Create(
            assemblyName,
            (sources.Length == 0 ? ["namespace Agent { internal static class Program { } }"] : sources).Select(s => CSharpSyntaxTree.ParseText(s, ParseOptions)),
            References,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    public static GeneratorDriver CreateDriver(IEnumerable<ManifestItem> manifests, IReadOnlyDictionary<string, string>? globalOptions = null) =>
        CreateDriver(manifests, out _, globalOptions);

    /// <summary>Also hands back the AdditionalText objects, which the driver matches by reference on replace.</summary>
    public static GeneratorDriver CreateDriver(IEnumerable<ManifestItem> manifests, out ImmutableArray<AdditionalText> texts, IReadOnlyDictionary<string, string>? globalOptions = null, IEnumerable<DatasetItem>? datasets = null)
    {
        var items = manifests.ToList();
        var datasetItems = (datasets ?? []).ToList();
        texts = items.Select(m => (AdditionalText)new InMemoryText(m.FilePath, m.Text))
            .Concat(datasetItems.Select(d => (AdditionalText)new InMemoryText(d.FilePath, d.Text)))
            .ToImmutableArray();
        var perFile = items.ToDictionary(m => m.FilePath, m => new Dictionary<string, string>
        {
            ["build_metadata.AdditionalFiles.DsrsManifestName"] = m.Name,
            ["build_metadata.AdditionalFiles.DsrsCompiledId"] = m.ExpectedCompiledId ?? string.Empty,
        });
        foreach (var dataset in datasetItems)
        {
            perFile[dataset.FilePath] = new Dictionary<string, string> { ["build_metadata.AdditionalFiles.DsrsDatasetName"] = dataset.Name };
        }

        var options = new TestOptionsProvider(
            globalOptions ?? new Dictionary<string, string> { ["build_property.RootNamespace"] = "Agent" },
            perFile);
        return CSharpGeneratorDriver.Create(
            [new gen::ManifestBuild.Generator.ManifestGenerator().AsSourceGenerator()],
            texts,
            ParseOptions,
            options,
            new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));
    }

    /// <summary>Runs once: the generated sources, the generator's diagnostics, and the compiled result's errors.</summary>
    public static GenerationResult Run(IEnumerable<ManifestItem> manifests, IReadOnlyDictionary<string, string>? globalOptions = null, bool compile = true, IEnumerable<DatasetItem>? datasets = null)
    {
        var driver = CreateDriver(manifests, out _, globalOptions, datasets);
        driver = driver.RunGeneratorsAndUpdateCompilation(Compilation(), out var output, out var generatorDiagnostics);
        var run = driver.GetRunResult();
        var compileDiagnostics = compile ? output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList() : [];
        return new GenerationResult(
            run.GeneratedTrees.ToDictionary(t => System.IO.Path.GetFileName(t.FilePath), t => t.GetText().ToString()),
            generatorDiagnostics,
            compileDiagnostics,
            output);
    }

    public static string TestData(string file) => File.ReadAllText(System.IO.Path.Combine(AppContext.BaseDirectory, "TestData", file));

    private sealed class InMemoryText(string path, string text) : AdditionalText
    {
        private readonly SourceText source = SourceText.From(text);

        public override string Path => path;

        public override SourceText GetText(CancellationToken cancellationToken = default) => source;
    }
}

public sealed record GenerationResult(
    IReadOnlyDictionary<string, string> Sources,
    ImmutableArray<Diagnostic> GeneratorDiagnostics,
    IReadOnlyList<Diagnostic> CompileDiagnostics,
    Compilation Output)
{
    public IEnumerable<string> GeneratorIds => GeneratorDiagnostics.Select(d => d.Id);
}

/// <summary>Global options (build properties) and per-file options (item metadata), as .editorconfig would give them.</summary>
public sealed class TestOptionsProvider(IReadOnlyDictionary<string, string> global, IReadOnlyDictionary<string, Dictionary<string, string>> perFile)
    : AnalyzerConfigOptionsProvider
{
    private static readonly DictionaryOptions Empty = new(new Dictionary<string, string>());

    public override AnalyzerConfigOptions GlobalOptions { get; } = new DictionaryOptions(global);

    public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => Empty;

    public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) =>
        perFile.TryGetValue(textFile.Path, out var options) ? new DictionaryOptions(options) : Empty;

    private sealed class DictionaryOptions(IReadOnlyDictionary<string, string> values) : AnalyzerConfigOptions
    {
        public override bool TryGetValue(string key, out string value) => values.TryGetValue(key, out value!);
    }
}
