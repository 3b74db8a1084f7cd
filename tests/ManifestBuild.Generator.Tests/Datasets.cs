extern alias gen;

using System.Reflection;
using System.Runtime.Loader;
using System.Text;
using Microsoft.CodeAnalysis;
using GenJson = gen::ManifestBuild.Format.Json;

namespace ManifestBuild.Generator.Tests;

/// <summary>Dataset text for tests, and the generated dataset class compiled with its embedded resource.</summary>
public static class Datasets
{
    /// <summary>Sealed by ManifestBuild.Format itself (validated; example_count and dataset_id recomputed), as a seller's file is.</summary>
    public static string Sealed(string json) =>
        ManifestBuild.Format.Datasets.Dataset.Seal(ManifestBuild.Format.Json.JsonParser.ParseObject(json)).ToFileText();

    /// <summary>The dataset_id appended without validating anything: for datasets the format library would refuse to seal.</summary>
    public static string WithId(string json)
    {
        var id = gen::ManifestBuild.Format.CompiledId.Sha256Hex(GenJson.JsonCanonicalizer.CanonicalizeToUtf8(GenJson.JsonParser.ParseObject(json)));
        return json.TrimEnd()[..^1] + ",\"dataset_id\":\"" + id + "\"}";
    }

    public static string Sample => Sealed(GeneratorHarness.TestData("complexity-dataset.json"));

    /// <summary>A minimal dataset with the given schema members and examples (dataset_id appended, nothing validated).</summary>
    public static string Minimal(string inputs, string outputs, string examples) =>
        WithId($"{{\"format\":\"dsrs.dataset/1\",\"family\":\"f\",\"inputs\":{inputs},\"outputs\":{outputs},\"examples\":{examples}}}");

    /// <summary>Compiles the generated code with <paramref name="resourceText"/> embedded as the build embeds the dataset, and loads it.</summary>
    public static Type Compile(DatasetItem item, string? resourceText = null, bool embed = true)
    {
        var result = GeneratorHarness.Run([], datasets: [item]);
        Assert.Empty(result.GeneratorDiagnostics);
        Assert.Empty(result.CompileDiagnostics);
        var bytes = Encoding.UTF8.GetBytes(resourceText ?? item.Text);
        using var stream = new MemoryStream();
        var emitted = result.Output.Emit(stream, manifestResources: embed ? [new ResourceDescription(item.ResourceName, () => new MemoryStream(bytes), isPublic: true)] : []);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics));
        stream.Position = 0;
        var context = new AssemblyLoadContext("dataset-" + item.Name, isCollectible: true);
        return context.LoadFromStream(stream).GetType("Agent.Manifests.Datasets+" + item.Name, throwOnError: true)!;
    }

    /// <summary>The generated <c>Examples</c>, each example's properties by name.</summary>
    public static IReadOnlyList<IReadOnlyDictionary<string, object?>> Examples(Type dataset)
    {
        var list = (System.Collections.IEnumerable)dataset.GetProperty("Examples")!.GetValue(null)!;
        return list.Cast<object>()
            .Select(e => (IReadOnlyDictionary<string, object?>)e.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance).ToDictionary(p => p.Name, p => p.GetValue(e)))
            .ToList();
    }
}
