using ManifestBuild.Format;
using Microsoft.Extensions.AI;

namespace ManifestBuild.Runtime.Tests;

/// <summary>PredictAsync end to end against a scripted IChatClient.</summary>
public class PredictTests
{
    [Fact]
    public async Task TypedPredictSendsThePromptAndReturnsTheParsedOutput()
    {
        var client = new ScriptedChatClient("[[ ## complexity ## ]]\nmedium\n\n[[ ## needs_plan ## ]]\nTrue\n\n[[ ## steps ## ]]\n5\n\n[[ ## confidence ## ]]\n0.75\n\n[[ ## completed ## ]]");

        var output = await Complexity.Signature().PredictAsync(client, new Complexity.Input("Add caching", ["cache.rs"]));

        Assert.Equal(new Complexity.Output(Complexity.Level.Medium, true, 5, 0.75), output);
        var prompt = Assert.Single(client.Prompts);
        Assert.Equal(4, prompt.Count);
        Assert.Contains("your objective is: \n        Classify the task.", prompt[0].Text);
        Assert.StartsWith("[[ ## task ## ]]\nAdd caching\n\n[[ ## files ## ]]\n[\"cache.rs\"]", prompt[3].Text);
    }

    [Fact]
    public async Task MalformedReplySurfacesAsDsrsError()
    {
        var client = new ScriptedChatClient("I'd say it's pretty complex, maybe 7 steps.");

        var error = await Assert.ThrowsAsync<DsrsException>(() => Complexity.Signature().PredictAsync(client, new Complexity.Input("x", [])));

        Assert.Equal(RuntimeErrorCodes.MissingOutputField, error.Code);
    }

    [Fact]
    public async Task CancellationReachesTheClient()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Complexity.Signature().PredictAsync(new ScriptedChatClient("unused"), new Complexity.Input("x", []), null, cts.Token));
    }

    [Fact]
    public async Task UntypedPredictUsesMapsAndTheNamedOutputs()
    {
        var signature = new UntypedSignature("Seed", "Classify.", PromptAdapter.Chat,
            [new UntypedDemo(new Dictionary<string, string> { ["task"] = "rename" }, new Dictionary<string, string> { ["complexity"] = "low" })]);
        var client = new ScriptedChatClient("[[ ## complexity ## ]]\nhigh\n[[ ## reason ## ]]\nmany files\n[[ ## completed ## ]]");

        var output = await signature.PredictAsync(client, new Dictionary<string, string> { ["task"] = "port to async" }, ["complexity", "reason"]);

        Assert.Equal(new Dictionary<string, string> { ["complexity"] = "high", ["reason"] = "many files" }, output);
        var prompt = client.Prompts.Single();
        Assert.Contains("1. `task` (str):\nYour output fields are:\n1. `complexity` (str): \n2. `reason` (str):", prompt[0].Text);

        // The demo lacks 'reason', so it is shown as an incomplete example, as DSPy does.
        Assert.StartsWith("This is an example of the task, though some input or output fields are not supplied.", prompt[1].Text);
        Assert.Contains("[[ ## reason ## ]]\nNot supplied for this particular example.", prompt[2].Text);
        Assert.Equal(ChatRole.User, prompt[3].Role);
    }
}
