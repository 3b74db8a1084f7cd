extern alias gen;

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

/// <summary>The generator refuses what the format refuses: a number a double cannot hold exactly.</summary>
public class ExactNumberGeneratorTests
{
    [Theory]
    [InlineData("{\"signature_name\":\"S\",\"example_count\":9007199254740993}", "example_count")]
    [InlineData("{\"signature_name\":\"S\",\"outputs\":[{\"name\":\"n\",\"type\":\"float\"}],\"demos\":[{\"inputs\":{},\"outputs\":{\"n\":0.10000000000000001}}]}", "demos[0].outputs.n")]
    public void InexactNumberIsADiagnostic(string json, string path)
    {
        var result = GeneratorHarness.Run([new ManifestItem("M", json)]);

        var diagnostic = Assert.Single(result.GeneratorDiagnostics);
        Assert.Equal("DSRS1013", diagnostic.Id);
        Assert.Contains(path, diagnostic.GetMessage());
        Assert.Empty(result.Sources);
    }

    [Fact]
    public void TwoToTheFiftyThirdItselfIsExactAndGenerates()
    {
        var result = GeneratorHarness.Run([new ManifestItem("M", "{\"signature_name\":\"S\",\"example_count\":9007199254740992}")]);

        Assert.Empty(result.GeneratorDiagnostics);
        Assert.Contains("ExampleCount => 9007199254740992L", result.Sources["M.g.cs"]);
    }
}

/// <summary>The generator's contracts with the format library and the runtime, as types.</summary>
public class ContractTests
{
    [Fact]
    public void EveryFieldTypeMapsToARuntimeFieldKindByTable()
    {
        var rows = gen::ManifestBuild.Generator.Model.FieldTypeTable.Rows;

        Assert.Equal(["string", "int", "float", "bool", "string[]", "enum"], rows.Select(r => r.ManifestName)); // protocol §1
        Assert.Equal(Enum.GetNames<ManifestBuild.Runtime.FieldKind>().Order(), rows.Select(r => r.RuntimeKind).Order());
        Assert.Equal(Enum.GetValues<gen::ManifestBuild.Generator.Model.FieldType>().Order(), rows.Select(r => r.Type).Order());
    }

    [Fact]
    public void InvalidJsonLocationComesFromTheParsersOffset()
    {
        const string text = "{\n  \"signature_name\": \"S\",\n  \"instruction\": tru\n}";
        var result = GeneratorHarness.Run([new ManifestItem("Broken", text)]);

        var diagnostic = Assert.Single(result.GeneratorDiagnostics);
        var e = Assert.Throws<gen::ManifestBuild.Format.Json.JsonParseException>(() => gen::ManifestBuild.Format.Json.JsonParser.Parse(text));
        Assert.Equal(e.Offset, diagnostic.Location.SourceSpan.Start);
        Assert.Equal((e.Line - 1, e.Column - 1), (diagnostic.Location.GetLineSpan().StartLinePosition.Line, diagnostic.Location.GetLineSpan().StartLinePosition.Character));
        Assert.Equal(text.LastIndexOf('\n', e.Offset - 1) + e.Column, e.Offset);
    }

    [Fact]
    public void DiagnosticsAreADescriptorsFormatFilledWithArguments()
    {
        var result = GeneratorHarness.Run([new ManifestItem("Odd", "{\"signature_name\":\"S\",\"inputs\":[{\"name\":\"when\",\"type\":\"datetime\"}],\"outputs\":[{\"name\":\"x\",\"type\":\"string\"}]}")]);

        var diagnostic = Assert.Single(result.GeneratorDiagnostics);
        Assert.Equal("manifest '{0}': the field '{1}' has the type '{2}'; known types are {3}", diagnostic.Descriptor.MessageFormat.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("manifest 'Odd': the field 'when' has the type 'datetime'; known types are string, int, float, bool, string[], enum", diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
    }
}
