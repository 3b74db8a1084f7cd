using System.Runtime.Loader;
using ManifestBuild.Runtime;
using ManifestBuild.Runtime.Tests;
using Microsoft.Extensions.AI;

namespace ManifestBuild.Generator.Tests;

/// <summary>
/// Field names in any script (issue 19) become C# names (PascalCase where the script has case, written
/// as \u escapes so the file stays ASCII) while prompts and replies keep the name as the manifest spells it.
/// </summary>
public class UnicodeNameTests
{
    private const string Json = """
        {"signature_name":"ЗадачаSignature","instruction":"Классифицируй.","inputs":[{"name":"naïve","type":"string"},{"name":"задача","type":"string"}],"outputs":[{"name":"任务","type":"enum","values":["низкий","高"]},{"name":"größe","type":"int"}],"demos":[{"inputs":{"naïve":"ja","задача":"переименовать"},"outputs":{"任务":"низкий","größe":1}}]}
        """;

    [Fact]
    public void UnicodeNamesGenerateEscapedIdentifiersThatCompile()
    {
        var result = GeneratorHarness.Run([new ManifestItem("Unicode", Json)]);

        Assert.Empty(result.GeneratorDiagnostics);
        Assert.Empty(result.CompileDiagnostics);
        var source = result.Sources["Unicode.g.cs"];
        Assert.All(source, c => Assert.True(c < 0x80, $"U+{(int)c:X4} in the generated file"));
        Assert.Contains("string Na\\u00EFve, string \\u0417\\u0430\\u0434\\u0430\\u0447\\u0430", source);
        Assert.Contains("public enum \\u4EFB\\u52A1", source);
        Assert.Contains("\\u041D\\u0438\\u0437\\u043A\\u0438\\u0439 = 0,", source);
        Assert.Contains("int Gr\\u00F6\\u00DFe", source);
    }

    [Fact]
    public async Task GeneratedPredictAsyncPromptsAndParsesWithTheOriginalNames()
    {
        var result = GeneratorHarness.Run([new ManifestItem("Unicode", Json)]);
        using var stream = new MemoryStream();
        Assert.True(result.Output.Emit(stream).Success);
        var context = new AssemblyLoadContext("unicode", isCollectible: true);
        try
        {
            stream.Position = 0;
            var type = context.LoadFromStream(stream).GetType("Agent.Manifests.Unicode")!;
            var inputType = type.GetNestedType("Input")!;
            Assert.Equal(["Naïve", "Задача"], inputType.GetConstructors().Single().GetParameters().Select(p => p.Name));
            var input = Activator.CreateInstance(inputType, "nein", "портировать планировщик")!;
            var client = new ScriptedChatClient("[[ ## 任务 ## ]]\n高\n\n[[ ## größe ## ]]\n3\n\n[[ ## completed ## ]]");

            var predict = type.GetMethods().Single(m => m.Name == "PredictAsync" && m.GetParameters().Length == 3);
            var task = (Task)predict.Invoke(null, [client, input, CancellationToken.None])!;
            await task;
            var output = task.GetType().GetProperty("Result")!.GetValue(task)!;

            Assert.Equal(1, Convert.ToInt32(output.GetType().GetProperty("任务")!.GetValue(output), System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(3, output.GetType().GetProperty("Größe")!.GetValue(output));
            var prompt = string.Join("\n", client.Prompts.Single().Select(m => m.Text));
            Assert.Contains("[[ ## naïve ## ]]\nnein", prompt);
            Assert.Contains("[[ ## задача ## ]]\nпортировать планировщик", prompt);
            Assert.Contains("`任务`", prompt);
            Assert.Contains("[[ ## задача ## ]]\nпереименовать", prompt);
        }
        finally
        {
            context.Unload();
        }
    }

    [Theory]
    [InlineData("\u202e\u200f")]
    [InlineData("--")]
    public void NameWithoutLetterOrDigitIsRefused(string name)
    {
        var json = "{\"signature_name\":\"S\",\"inputs\":[{\"name\":\"" + name + "\",\"type\":\"string\"}],\"outputs\":[{\"name\":\"x\",\"type\":\"string\"}]}";

        Assert.Equal(["DSRS1005"], GeneratorHarness.Run([new ManifestItem("M", json)]).GeneratorIds);
    }

    [Fact]
    public void InvisibleFormattingNeverReachesAnIdentifier()
    {
        var json = "{\"signature_name\":\"S\",\"inputs\":[{\"name\":\"a\u202eb\u200dc\",\"type\":\"string\"}],\"outputs\":[{\"name\":\"x\",\"type\":\"string\"}]}";
        var result = GeneratorHarness.Run([new ManifestItem("M", json)]);

        Assert.Empty(result.GeneratorDiagnostics);
        Assert.Contains("record Input(string ABC)", result.Sources["M.g.cs"]);
    }
}
