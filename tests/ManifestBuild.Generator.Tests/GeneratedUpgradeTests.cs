using System.ClientModel;
using System.ClientModel.Primitives;
using ManifestBuild.Evaluation.Tests;
using ManifestBuild.Format;
using ManifestBuild.Format.Json;
using ManifestBuild.Runtime;
using ManifestBuild.Runtime.Tests;
using Microsoft.Extensions.AI;
using OpenAI;

namespace ManifestBuild.Generator.Tests;

/// <summary>
/// The typed baseline's generated class takes a newer verified manifest of its signature at run time only
/// when the field schema is its own, and refuses (with a code, keeping its own) a renamed or retyped field.
/// The last test runs the generated class and DynamicSignature through the real OpenAI chat client against
/// a loopback chat-completions server.
/// </summary>
public class GeneratedUpgradeTests
{
    private const string NewerInstruction = "Classify the task's complexity from its wording and the files it touches.";

    private static readonly Dictionary<string, object?> Inputs = new()
    {
        ["task"] = "Optimize DICOM parsing for large studies",
        ["files"] = new[] { "io/dicom.py" },
        ["line_budget"] = 300,
    };

    private static string Baseline => GeneratorHarness.TestData("complexity-typed.json");

    /// <summary>The baseline with an edit, re-sealed, loaded as a verified DynamicSignature.</summary>
    private static DynamicSignature Newer(Action<JsonObject>? edit = null)
    {
        var manifest = new Manifest(JsonParser.ParseObject(Baseline));
        manifest.Instruction = NewerInstruction;
        manifest.CreatedAt = 1_765_000_000;
        manifest.Json.Set("demos", JsonParser.Parse("""[{"inputs":{"task":"Read a DICOM header","files":["io/dicom.py"],"line_budget":40},"outputs":{"complexity":"medium","needs_plan":false,"confidence":0.8}}]"""));
        edit?.Invoke(manifest.Json);
        var id = manifest.SealCompiledId();
        return DynamicSignature.FromManifest(manifest.ToFileText(), id);
    }

    private static JsonObject Output(JsonObject manifest, string name) =>
        ((JsonArray)manifest["outputs"]!).OfType<JsonObject>().Single(f => f.GetString("name") == name);

    private static async Task<string[]> PromptOf(GeneratedClass generated)
    {
        var client = new ScriptedChatClient("[[ ## complexity ## ]]\nhigh\n[[ ## needs_plan ## ]]\nTrue\n[[ ## confidence ## ]]\n0.9");
        await generated.PredictAsync(client, Inputs);
        return client.Prompts.Single().Select(m => m.Role + ": " + m.Text).ToArray();
    }

    [Fact]
    public async Task ACompatibleNewerManifestReplacesTheBakedInOneInTheGeneratedClass()
    {
        using var generated = GeneratedClass.Compile("ComplexityClassification", Baseline);
        var bakedIn = await PromptOf(generated);
        var newer = Newer();

        generated.UseManifest(newer);

        var upgraded = await PromptOf(generated);
        Assert.Equal(newer.FormatMessages(Inputs).Select(m => m.Role + ": " + m.Text), upgraded);
        Assert.Contains(NewerInstruction, upgraded[0]);
        Assert.Equal(4, upgraded.Length);
        Assert.Equal(6, bakedIn.Length);
        Assert.Equal(newer.CompiledId, generated.CompiledIdInUse);
    }

    public static TheoryData<string, string> Incompatible() => new()
    {
        { "renamed", "confidence" },
        { "retyped", "needs_plan" },
    };

    [Theory]
    [MemberData(nameof(Incompatible))]
    public async Task ARenamedOrRetypedFieldIsRefusedWithACodeAndTheClassKeepsItsOwn(string change, string field)
    {
        using var generated = GeneratedClass.Compile("ComplexityClassification", Baseline);
        var bakedIn = await PromptOf(generated);
        var offered = Newer(m =>
        {
            m.Remove("demos");
            Output(m, field).Set(change == "renamed" ? "name" : "type", new JsonString(change == "renamed" ? "certainty" : "string"));
        });

        var error = Assert.Throws<DsrsException>(() => generated.UseManifest(offered));

        Assert.Equal(RuntimeErrorCodes.IncompatibleSchema, error.Code);
        Assert.Contains(change == "renamed" ? "no output 'confidence'" : "the output 'needs_plan' is String, not Bool", error.Message);
        Assert.Equal(bakedIn, await PromptOf(generated));
        Assert.Equal(GeneratorHarnessIds.Typed, generated.CompiledIdInUse);
    }

    [Fact]
    public async Task ThroughTheOpenAiClientBothSendTheSameRequestAndTheUpgradeReachesTheModel()
    {
        const string key = "loopback-" + "key";

        // The model answers "very high" for the newer instruction and "medium" for any other.
        await using var server = await OpenAiLoopbackServer.StartAsync(key, (request, _) => new ServerReply.Answer(
            $"[[ ## complexity ## ]]\n{(request.System.Contains(NewerInstruction, StringComparison.Ordinal) ? "Very High" : "medium")}\n\n[[ ## needs_plan ## ]]\nTrue\n\n[[ ## confidence ## ]]\n0.93\n\n[[ ## completed ## ]]"));
        var options = new OpenAIClientOptions { Endpoint = server.BaseUrl, RetryPolicy = new ClientRetryPolicy(maxRetries: 0), NetworkTimeout = TimeSpan.FromSeconds(30) };
        using var client = new OpenAI.Chat.ChatClient("loopback-model", new ApiKeyCredential(key), options).AsIChatClient();
        using var generated = GeneratedClass.Compile("ComplexityClassification", Baseline);
        var runtime = DynamicSignature.FromManifest(Baseline, GeneratorHarnessIds.Typed);

        var fromGenerated = await generated.PredictAsync(client, Inputs);
        var fromRuntime = await runtime.PredictAsync(client, Inputs);
        generated.UseManifest(Newer());
        var upgraded = await generated.PredictAsync(client, Inputs);

        var requests = server.Requests;
        Assert.Equal(3, requests.Count);
        Assert.Equal(requests[0].System, requests[1].System);
        Assert.Equal(requests[0].LastUser, requests[1].LastUser);
        var prompt = runtime.FormatMessages(Inputs);
        Assert.Equal(prompt[0].Text, requests[1].System);
        Assert.Equal(prompt[^1].Text, requests[1].LastUser);
        Assert.Equal(fromGenerated, fromRuntime);
        Assert.Equal("medium", fromRuntime["complexity"]);
        Assert.Equal(0.93, fromRuntime["confidence"]);
        Assert.Equal("very high", upgraded["complexity"]);
        Assert.Contains(NewerInstruction, requests[2].System);
    }
}

/// <summary>The stated compiled_id of the typed baseline manifest (tests/ManifestBuild.Generator.Tests/TestData).</summary>
internal static class GeneratorHarnessIds
{
    public const string Typed = "06a162de1fab963b43fcb1bd8f1799ed2d02f5f2fef263b92b745c77179fe541";
}
