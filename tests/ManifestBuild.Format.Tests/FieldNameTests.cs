using ManifestBuild.Format.Interop;
using ManifestBuild.Format.Json;

namespace ManifestBuild.Format.Tests;

/// <summary>
/// Field names: what Python (str.isidentifier, NFKC), DSPy (pydantic: no leading '_') and C# all accept
/// (issue 19), so DSPy programs in any language import.
/// </summary>
public class FieldNameTests
{
    [Theory]
    [InlineData("naïve")]
    [InlineData("задача")]
    [InlineData("任务")]
    [InlineData("größe")]
    [InlineData("x2")]
    [InlineData("needs_plan")]
    [InlineData("class")]
    [InlineData("〇号")]
    [InlineData("क्षेत्र")]
    [InlineData("𠀀")]
    public void NamesOfAnyScriptAreAccepted(string name)
    {
        Assert.True(FieldNames.IsValid(name), name);
        Manifest.Parse("{\"signature_name\":\"S\",\"inputs\":[{\"name\":\"" + name + "\",\"type\":\"string\"}]}");
    }

    [Theory]
    [InlineData("_private", "leading '_': pydantic keeps it as a private attribute, DSPy has no such field")]
    [InlineData("__x", "leading '_'")]
    [InlineData("1x", "a digit first")]
    [InlineData("ﬁle", "NFKC folds the ligature to 'file', the name Python would see")]
    [InlineData("ⅷ", "NFKC folds the roman numeral to 'viii'")]
    [InlineData("a\u200db", "a zero-width joiner (Cf): C# would take it, Python does not")]
    [InlineData("a\u202eb", "a bidi control (Cf)")]
    [InlineData("a b", "a space")]
    [InlineData("a-b", "a hyphen")]
    [InlineData("\u0301a", "a combining mark first")]
    [InlineData("", "empty")]
    public void NamesOneOfTheThreeRefusesAreRefused(string name, string why)
    {
        Assert.False(FieldNames.IsValid(name), why);
        var e = Assert.Throws<DsrsException>(() => Manifest.Parse("{\"signature_name\":\"S\",\"inputs\":[{\"name\":" + JsonStringEscaper.Escape(name) + ",\"type\":\"string\"}]}"));
        Assert.Equal(FormatErrorCodes.InvalidManifest, e.Code);
        Assert.Contains("inputs[0].name must be a name Python, DSPy and C# all accept", e.Message);
    }

    [Fact]
    public void DspyProgramWithUnicodeFieldNamesImports()
    {
        // A bare Predict("naïve, задача -> 任务") saved by DSPy: default prefixes from infer_prefix, "${name}" descriptions.
        var program = JsonParser.ParseObject("""
            {"traces":[],"train":[],"demos":[{"augmented":true,"naïve":"ja","задача":"переименовать","任务":"低"}],
             "signature":{"instructions":"Classify.","fields":[{"prefix":"Naïve:","description":"${naïve}"},{"prefix":"Задача:","description":"${задача}"},{"prefix":"任务:","description":"${任务}"}]},
             "lm":null,"metadata":{"dependency_versions":{"python":"3.12","dspy":"3.0.3","cloudpickle":"3.1"}}}
            """);

        var manifest = DspyImporter.Import(program, new DspyImportOptions());

        Assert.Equal(["naïve", "задача"], manifest.Inputs!.Select(f => f.Name));
        Assert.Equal(["任务"], manifest.Outputs!.Select(f => f.Name));
        Assert.Equal("переименовать", manifest.Demos![0].Inputs.GetString("задача"));
        manifest.VerifyCompiledId();
        Assert.Equal("Задача:", DspyNames.DefaultPrefix("задача"));
        Assert.Equal("Naïve:", DspyNames.DefaultPrefix("naïve"));
    }

    [Fact]
    public void DspyFieldWithALeadingUnderscoreIsNotRecoveredAsAName()
    {
        var program = JsonParser.ParseObject("""
            {"signature":{"instructions":"x","fields":[{"prefix":"_Q:","description":"${_q}"},{"prefix":"A:","description":"${a}"}]},"demos":[],"lm":null}
            """);

        var e = Assert.Throws<DsrsException>(() => DspyImporter.Import(program, new DspyImportOptions()));

        Assert.Equal(FormatErrorCodes.DspyFieldsUnresolved, e.Code);
    }
}
