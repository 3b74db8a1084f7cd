using System.Collections.Concurrent;
using ManifestBuild.Format;
using ManifestBuild.Format.Json;
using Microsoft.Extensions.AI;

namespace ManifestBuild.Runtime.Tests;

/// <summary>A generated-style TypedSignature takes a newer verified manifest only when its field schema is the same.</summary>
public class SignatureUpgradeTests
{
    private static readonly Complexity.Input Input = new("Add caching", ["cache.rs"]);

    private static string[] Texts(IEnumerable<ChatMessage> messages) => messages.Select(m => m.Role + ": " + m.Text).ToArray();

    private static string Mutate(Action<JsonObject> edit) => ComplexityManifest.Edit(ComplexityManifest.Newer, edit);

    [Fact]
    public void ACompatibleNewerManifestIsUsedForThePromptUntilReset()
    {
        var signature = Complexity.Signature();
        var bakedIn = Texts(signature.FormatMessages(Input));
        var newer = ComplexityManifest.Load(ComplexityManifest.Newer);

        signature.UseManifest(newer);

        var upgraded = Texts(signature.FormatMessages(Input));
        Assert.Equal(Texts(newer.FormatMessages(new Dictionary<string, object?> { ["task"] = "Add caching", ["files"] = new[] { "cache.rs" } })), upgraded);
        Assert.NotEqual(bakedIn, upgraded);
        Assert.Contains("Rate the task's complexity; count the steps.", upgraded[0]);
        Assert.Equal(6, upgraded.Length);
        Assert.Equal(newer.CompiledId, signature.CompiledId);
        Assert.False(signature.UsesBakedInManifest);

        signature.ResetManifest();

        Assert.Equal(bakedIn, Texts(signature.FormatMessages(Input)));
        Assert.True(signature.UsesBakedInManifest);
    }

    [Fact]
    public void TheTypedOutputParsesTheNewerManifestsReply()
    {
        var signature = Complexity.Signature();
        signature.UseManifest(ComplexityManifest.Load(ComplexityManifest.Newer));

        var output = signature.ParseReply("[[ ## steps ## ]]\n9\n[[ ## complexity ## ]]\nvery high\n[[ ## needs_plan ## ]]\nyes\n[[ ## confidence ## ]]\n0.6");

        Assert.Equal(new Complexity.Output(Complexity.Level.VeryHigh, true, 9, 0.6), output);
    }

    public static TheoryData<string, string, string> Incompatible() => new()
    {
        { "renamed output", Mutate(m => { m.Remove("demos"); ComplexityManifest.Output(m, "steps").Set("name", new JsonString("step_count")); }), "no output 'steps'" },
        { "retyped output", Mutate(m => ComplexityManifest.Output(m, "steps").Set("type", new JsonString("float"))), "the output 'steps' is Float, not Int" },
        { "enum values", Mutate(m => ComplexityManifest.Output(m, "complexity").Set("values", JsonArray.OfStrings(["low", "high", "medium", "very high"]))), "the output 'complexity' lists [low, high, medium, very high]" },
        { "added output", Mutate(m => ((JsonArray)m["outputs"]!).Add(new JsonObject().Add("name", "reason").Add("type", "string"))), "an output 'reason' this class does not have" },
        { "input as output", Mutate(m => { m.Remove("demos"); m.Set("inputs", new JsonArray([new JsonObject().Add("name", "task").Add("type", "string")])); ((JsonArray)m["outputs"]!).Add(new JsonObject().Add("name", "files").Add("type", "string[]")); }), "no input 'files'" },
    };

    [Theory]
    [MemberData(nameof(Incompatible))]
    public void AnotherFieldSchemaIsRefusedWithACodeAndTheBakedInManifestKept(string change, string json, string reason)
    {
        var signature = Complexity.Signature();
        var bakedIn = Texts(signature.FormatMessages(Input));
        var offered = ComplexityManifest.Load(json);

        var error = Assert.Throws<DsrsException>(() => signature.UseManifest(offered));

        Assert.True(error.Code == RuntimeErrorCodes.IncompatibleSchema, change);
        Assert.Contains(reason, error.Message);
        Assert.Contains(offered.CompiledId, error.Message);
        Assert.Equal(bakedIn, Texts(signature.FormatMessages(Input)));
        Assert.True(signature.UsesBakedInManifest);
    }

    [Fact]
    public void AnotherSignatureOrAnUntypedManifestIsRefusedAndTheManifestInUseKept()
    {
        var signature = Complexity.Signature();
        var newer = ComplexityManifest.Load(ComplexityManifest.Newer);
        signature.UseManifest(newer);
        var other = ComplexityManifest.Load(Mutate(m => m.Set("signature_name", new JsonString("PlannerSignature"))));
        var untyped = ComplexityManifest.Load("""{"signature_name":"ComplexitySignature","instruction":"x"}""", ["task", "files"], ["complexity"]);

        Assert.False(signature.TryUseManifest(other, out var refusal));
        Assert.Equal(RuntimeErrorCodes.OtherSignature, refusal!.Code);
        Assert.False(signature.TryUseManifest(untyped, out refusal));
        Assert.Equal(RuntimeErrorCodes.IncompatibleSchema, refusal!.Code);
        Assert.Equal(newer.CompiledId, signature.CompiledId);
    }

    [Fact]
    public async Task CallsDuringSwapsUseOneManifestOrTheOtherNeverAMix()
    {
        var signature = Complexity.Signature();
        var newer = ComplexityManifest.Load(ComplexityManifest.Newer);
        var bakedIn = string.Join("\n", Texts(signature.FormatMessages(Input)));
        var upgraded = string.Join("\n", Texts(newer.FormatMessages(new Dictionary<string, object?> { ["task"] = "Add caching", ["files"] = new[] { "cache.rs" } })));
        var client = new ConcurrentRecordingClient("[[ ## complexity ## ]]\nlow\n[[ ## needs_plan ## ]]\nno\n[[ ## steps ## ]]\n1\n[[ ## confidence ## ]]\n0.9");
        using var done = new CancellationTokenSource();

        var swapper = Task.Run(() =>
        {
            for (var i = 0; i < 100_000 && !done.IsCancellationRequested; i++)
            {
                if (i % 2 == 0)
                {
                    signature.UseManifest(newer);
                }
                else
                {
                    signature.ResetManifest();
                }
            }
        });
        var callers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < 250; i++)
            {
                Assert.Equal(new Complexity.Output(Complexity.Level.Low, false, 1, 0.9), await signature.PredictAsync(client, Input));
            }
        })).ToArray();
        await Task.WhenAll(callers).WaitAsync(TimeSpan.FromSeconds(60));
        await done.CancelAsync();
        await swapper.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(1000, client.Prompts.Count);
        Assert.All(client.Prompts, prompt => Assert.True(prompt == bakedIn || prompt == upgraded, "a prompt mixed two manifests"));
    }

    /// <summary>Records prompts from many threads at once; always gives the same reply.</summary>
    private sealed class ConcurrentRecordingClient(string reply) : IChatClient
    {
        public ConcurrentBag<string> Prompts { get; } = [];

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            Prompts.Add(string.Join("\n", Texts(messages)));
            return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, reply)));
        }

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException("the runtime does not stream");

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
