using System.Text;
using Microsoft.CodeAnalysis;

namespace ManifestBuild.Generator.Tests;

/// <summary>
/// Every limit of the compiler that manifest content could reach is met by a DSRS diagnostic (or
/// designed away), never by a compiler error: identifier length (CS7013), the user-string heap
/// (CS8103), an item named after a generated member (CS0542).
/// </summary>
public class LimitTests
{
    private static readonly string LongName = new('n', 1100);

    [Fact]
    public void OverlongFieldNameIsADiagnosticNotACompilerError()
    {
        var json = "{\"signature_name\":\"S\",\"inputs\":[{\"name\":\"" + LongName + "\",\"type\":\"string\"}],\"outputs\":[{\"name\":\"x\",\"type\":\"string\"}]}";
        AssertRefusedWith("DSRS1012", json);
    }

    [Fact]
    public void OverlongEnumFieldNameIsADiagnosticNotACompilerError()
    {
        var json = "{\"signature_name\":\"S\",\"outputs\":[{\"name\":\"" + LongName + "\",\"type\":\"enum\",\"values\":[\"a\"]}]}";
        AssertRefusedWith("DSRS1012", json);
    }

    [Fact]
    public void OverlongEnumValueIsADiagnosticNotACompilerError()
    {
        var json = "{\"signature_name\":\"S\",\"outputs\":[{\"name\":\"level\",\"type\":\"enum\",\"values\":[\"low\",\"" + LongName + "\"]}]}";
        AssertRefusedWith("DSRS1012", json);
    }

    [Fact]
    public void NameJustUnderTheLimitCompiles()
    {
        var name = new string('n', 500);
        var json = "{\"signature_name\":\"S\",\"inputs\":[{\"name\":\"" + name + "\",\"type\":\"string\"}],\"outputs\":[{\"name\":\"" + name + "x\",\"type\":\"enum\",\"values\":[\"" + name + "\"]}]}";
        var result = GeneratorHarness.Run([new ManifestItem("M", json)]);

        Assert.Empty(result.GeneratorDiagnostics);
        Assert.Empty(result.CompileDiagnostics);
        Assert.Empty(EmitErrors(result.Output));
    }

    [Theory]
    [InlineData("Spec")]
    [InlineData("Json")]
    [InlineData("Input")]
    [InlineData("Output")]
    [InlineData("Demos")]
    [InlineData("PredictAsync")]
    [InlineData("CompiledId")]
    public void ItemNamedAfterAGeneratedMemberIsADiagnostic(string name)
    {
        var json = "{\"signature_name\":\"S\",\"inputs\":[{\"name\":\"a\",\"type\":\"string\"}],\"outputs\":[{\"name\":\"b\",\"type\":\"string\"}]}";
        var result = GeneratorHarness.Run([new ManifestItem(name, json)]);

        Assert.Equal(["DSRS1004"], result.GeneratorIds);
        Assert.Contains("generated", result.GeneratorDiagnostics[0].GetMessage());
        Assert.Empty(result.CompileDiagnostics);
        Assert.Empty(result.Sources);
    }

    /// <summary>
    /// Three manifests near the 4 MiB limit, 9.6 million distinct characters of demo text in all: as
    /// UTF-16 user strings that is 19 MB, over the 16 MB (2^24) the metadata format allows one assembly.
    /// </summary>
    [Fact]
    public void ManifestsWithMoreThanSixteenMegabytesOfStringsCompileAndEmit()
    {
        var items = Enumerable.Range(0, 3).Select(i => new ManifestItem("Big" + i, BigManifest(i, 3_200_000))).ToList();
        var total = items.Sum(i => (long)i.Text.Length) * 2;
        Assert.True(total > 16L * 1024 * 1024, $"only {total} bytes of UTF-16");

        var result = GeneratorHarness.Run(items);

        Assert.Empty(result.GeneratorDiagnostics);
        Assert.Empty(result.CompileDiagnostics);
        Assert.Empty(EmitErrors(result.Output));
    }

    internal static IReadOnlyList<Diagnostic> EmitErrors(Compilation compilation)
    {
        using var stream = new MemoryStream();
        var emitted = compilation.Emit(stream);
        return emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
    }

    private static void AssertRefusedWith(string id, string json)
    {
        var result = GeneratorHarness.Run([new ManifestItem("M", json)]);

        Assert.Contains(id, result.GeneratorIds);
        Assert.Empty(result.CompileDiagnostics);
        Assert.Empty(result.Sources);
        Assert.Empty(EmitErrors(result.Output));
    }

    // A typed manifest whose demos hold distinct strings (the compiler shares equal ones), about `chars` long.
    private static string BigManifest(int seed, int chars)
    {
        var builder = new StringBuilder("{\"signature_name\":\"Big").Append(seed).Append("\",\"instruction\":\"");
        builder.Append('i', 100_000).Append(seed).Append("\",\"inputs\":[{\"name\":\"task\",\"type\":\"string\"}],\"outputs\":[{\"name\":\"answer\",\"type\":\"string\"}],\"demos\":[");
        var chunk = new string('d', 9_990);
        for (var i = 0; builder.Length < chars; i++)
        {
            builder.Append(i == 0 ? "" : ",").Append("{\"inputs\":{\"task\":\"").Append(seed).Append('-').Append(i).Append(chunk)
                .Append("\"},\"outputs\":{\"answer\":\"").Append(seed).Append('+').Append(i).Append("\"}}");
        }

        return builder.Append("]}").ToString();
    }
}
