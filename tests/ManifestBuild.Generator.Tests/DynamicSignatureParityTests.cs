using System.Text;
using ManifestBuild.Format;
using ManifestBuild.Format.Json;
using ManifestBuild.Runtime;
using ManifestBuild.Runtime.Tests;
using Microsoft.Extensions.AI;

namespace ManifestBuild.Generator.Tests;

/// <summary>
/// For the same manifest, the generated class and a DynamicSignature send byte-identical prompts through
/// the IChatClient and parse every reply identically (the same values, or the same refusal), on the
/// baseline manifests and on variants that exercise each prompt rule (json adapter, no instruction,
/// DSPy's "desc", names in other scripts).
/// </summary>
public class DynamicSignatureParityTests
{
    private static readonly Dictionary<string, object?> ComplexityInputs = new()
    {
        ["task"] = "Optimize DICOM parsing for large studies",
        ["files"] = new[] { "io/dicom.py", "io/cache.py" },
        ["line_budget"] = 300,
    };

    /// <summary>Name, manifest text, inputs, replies to parse beyond the demos' own and the common broken ones.</summary>
    public static TheoryData<string, string, Dictionary<string, object?>, string[]> Typed()
    {
        var typed = GeneratorHarness.TestData("complexity-typed.json");
        const string tolerant = "**[[ ## Complexity ## ]]**\nVery_High.\n[[ ## needs_plan ## ]]\nyes\n[[ ## confidence ## ]]\n70%\n[[ ## completed ## ]]";
        const string badFloat = "[[ ## complexity ## ]]\nlow\n[[ ## needs_plan ## ]]\nno\n[[ ## confidence ## ]]\nsure";
        const string badEnum = "[[ ## complexity ## ]]\nextreme\n[[ ## needs_plan ## ]]\nno\n[[ ## confidence ## ]]\n0.5";
        const string jsonReply = "Here it is:\n```json\n{\"complexity\": \"High\", \"needs_plan\": \"true\", \"confidence\": 0.8}\n```";
        return new()
        {
            { "ComplexityClassification", typed, ComplexityInputs, [tolerant, badFloat, badEnum, jsonReply] },
            { "JsonAdapter", Edit(typed, m => m.Set("adapter", new JsonString("json"))), ComplexityInputs, [jsonReply, "{\"complexity\": \"low\"}", tolerant] },
            { "NoInstruction", Edit(typed, m => m.Remove("instruction")), ComplexityInputs, [tolerant] },
            { "ShortDescriptions", Edit(typed, m => Field(m, "outputs", "needs_plan").Set("desc", new JsonString("Plan first?"))), ComplexityInputs, [tolerant] },
            {
                "Unicode",
                Manifests.WithId("""{"signature_name":"ЗадачаSignature","instruction":"Классифицируй.","inputs":[{"name":"naïve","type":"string"},{"name":"задача","type":"string"}],"outputs":[{"name":"任务","type":"enum","values":["низкий","高"]},{"name":"größe","type":"int"}],"demos":[{"inputs":{"naïve":"ja","задача":"переименовать"},"outputs":{"任务":"низкий","größe":1}}]}"""),
                new Dictionary<string, object?> { ["naïve"] = "nein", ["задача"] = "портировать планировщик" },
                ["[[ ## 任务 ## ]]\n高\n\n[[ ## größe ## ]]\n3.0\n\n[[ ## completed ## ]]"]
            },
        };
    }

    [Theory]
    [MemberData(nameof(Typed))]
    public async Task TypedManifestsPromptAndParseAlike(string name, string json, Dictionary<string, object?> inputs, string[] replies)
    {
        using var generated = GeneratedClass.Compile(name, json);
        var runtime = DynamicSignature.FromManifest(json, IdOf(json));
        var reply = PromptFormatter.AssistantContent(runtime.Spec, runtime.Demos[^1].Outputs);

        var (generatedPrompt, generatedOutputs) = await Predict(reply, client => generated.PredictAsync(client, inputs));
        var (dynamicPrompt, dynamicOutputs) = await Predict(reply, client => runtime.PredictAsync(client, inputs));

        Assert.Equal(Bytes(generatedPrompt), Bytes(dynamicPrompt));
        Assert.Equal(generatedOutputs, dynamicOutputs);
        foreach (var other in replies.Concat(Broken))
        {
            AssertSameParse(other, () => generated.ParseReply(other), () => runtime.ParseReply(other));
        }
    }

    [Fact]
    public async Task TheUntypedBaselinePromptsAndParsesAlike()
    {
        var json = GeneratorHarness.TestData("seed-untyped.json");
        using var generated = GeneratedClass.Compile("SeedClassifier", json);
        var runtime = DynamicSignature.FromManifest(json, IdOf(json), ["task"], ["complexity"]);
        var inputs = new Dictionary<string, object?> { ["task"] = "Port the scheduler to async" };
        const string reply = "[[ ## complexity ## ]]\nvery high\n\n[[ ## completed ## ]]";

        var (generatedPrompt, generatedOutputs) = await Predict(reply, client => generated.PredictAsync(client, inputs, ["complexity"]));
        var (dynamicPrompt, dynamicOutputs) = await Predict(reply, client => runtime.PredictAsync(client, inputs));

        Assert.Equal(Bytes(generatedPrompt), Bytes(dynamicPrompt));
        Assert.Equal(generatedOutputs, dynamicOutputs);
        foreach (var other in Broken.Append("[[ ## Complexity ## ]]\n  low  \n"))
        {
            AssertSameParse(other, () => generated.ParseReply(other, inputs, ["complexity"]), () => runtime.ParseReply(other));
        }
    }

    [Fact]
    public async Task TheHostileBaselineIsRefusedAtRunTimeButTheEngineUnderneathPromptsAsItsGeneratedClass()
    {
        var json = GeneratorHarness.TestData("hostile-names.json");
        var inputs = new Dictionary<string, object?> { ["class"] = "a\"b", ["namespace"] = -1, ["var"] = false, ["3d model"] = 0.25, ["@record"] = new[] { "x", "‮y" } };
        using var generated = GeneratedClass.Compile("Hostile", json);

        // "3d model" and "@record" are no DSPy field names: a manifest bought at run time is validated first.
        Assert.Equal(FormatErrorCodes.InvalidManifest, Assert.Throws<DsrsException>(() => DynamicSignature.FromManifest(json, IdOf(json))).Code);

        var engine = ManifestSignature.FromManifest(new Manifest(JsonParser.ParseObject(json)));
        const string reply = "[[ ## async ## ]]\n#if\n[[ ## global ## ]]\n*/ #error";
        var (generatedPrompt, generatedOutputs) = await Predict(reply, client => generated.PredictAsync(client, inputs));
        var values = new FieldValues { { "class", "a\"b" }, { "namespace", -1 }, { "var", false }, { "3d model", 0.25 }, { "@record", new[] { "x", "‮y" } } };

        Assert.Equal(Bytes(generatedPrompt), Bytes(engine.FormatMessages(values)));
        Assert.Equal("#if", generatedOutputs["async"]);
        Assert.Equal(generated.Spec.Outputs[0].EnumValues[engine.ParseReply(reply).GetEnumIndex("async")], generatedOutputs["async"]);
    }

    private static readonly string[] Broken = ["", "   ", "I cannot classify this.", "[[ ## completed ## ]]"];

    private static async Task<(IReadOnlyList<ChatMessage> Prompt, IReadOnlyDictionary<string, object> Outputs)> Predict(string reply, Func<IChatClient, Task<IReadOnlyDictionary<string, object>>> predict)
    {
        var client = new ScriptedChatClient(reply);
        var outputs = await predict(client);
        return (client.Prompts.Single(), outputs);
    }

    private static void AssertSameParse(string reply, Func<IReadOnlyDictionary<string, object>> generated, Func<IReadOnlyDictionary<string, object>> atRunTime)
    {
        var (expected, expectedError) = Outcome(generated);
        var (actual, actualError) = Outcome(atRunTime);
        Assert.True(expectedError?.Code == actualError?.Code, $"reply {reply}: generated {expectedError?.Code ?? "parsed"}, dynamic {actualError?.Code ?? "parsed"}");
        Assert.Equal(expectedError?.Message, actualError?.Message);
        Assert.Equal(expected, actual);
    }

    private static (IReadOnlyDictionary<string, object>? Values, DsrsException? Error) Outcome(Func<IReadOnlyDictionary<string, object>> parse)
    {
        try
        {
            return (parse(), null);
        }
        catch (DsrsException e)
        {
            return (null, e);
        }
    }

    /// <summary>Role and text of every message, as UTF-8: "byte-identical" compared byte for byte.</summary>
    private static byte[] Bytes(IEnumerable<ChatMessage> prompt) =>
        Encoding.UTF8.GetBytes(string.Join("\u0001", prompt.Select(m => m.Role.Value + "\u0002" + Assert.IsType<TextContent>(Assert.Single(m.Contents)).Text)));

    private static string IdOf(string json) => new Manifest(JsonParser.ParseObject(json)).ComputeCompiledId();

    private static string Edit(string json, Action<JsonObject> edit)
    {
        var manifest = new Manifest(JsonParser.ParseObject(json));
        edit(manifest.Json);
        manifest.SealCompiledId();
        return manifest.ToFileText();
    }

    private static JsonObject Field(JsonObject manifest, string side, string name) =>
        ((JsonArray)manifest[side]!).OfType<JsonObject>().Single(f => f.GetString("name") == name);
}
