using ManifestBuild.Format;
using ManifestBuild.Format.Json;
using Microsoft.Extensions.AI;

namespace ManifestBuild.Runtime.Tests;

/// <summary>DynamicSignature: a verified manifest at run time, values by field name, typed per the manifest.</summary>
public class DynamicSignatureTests
{
    private const string Reply = "[[ ## complexity ## ]]\nVery High\n\n[[ ## needs_plan ## ]]\nTrue\n\n[[ ## steps ## ]]\n5\n\n[[ ## confidence ## ]]\n0.75\n\n[[ ## completed ## ]]";

    // Every input type, for the conversions.
    private const string Triage = """
        {"signature_name":"TriageSignature","instruction":"Triage the ticket.",
         "inputs":[{"name":"title","type":"string"},{"name":"priority","type":"int"},{"name":"score","type":"float"},
                   {"name":"urgent","type":"bool"},{"name":"area","type":"enum","values":["ui","db"]},{"name":"tags","type":"string[]"}],
         "outputs":[{"name":"owner","type":"string"},{"name":"labels","type":"string[]"}]}
        """;

    private static Dictionary<string, object?> Inputs(string task = "Add caching") => new() { ["task"] = task, ["files"] = new[] { "cache.rs" } };

    private static Dictionary<string, object?> TriageInputs() => new()
    {
        ["title"] = "Login fails",
        ["priority"] = 2L,
        ["score"] = 0.5f,
        ["urgent"] = true,
        ["area"] = "db",
        ["tags"] = new List<string> { "auth", "prod" },
    };

    [Fact]
    public void PromptIsTheTypedSignaturesForTheSameFields()
    {
        var runtime = ComplexityManifest.Load(ComplexityManifest.Json);
        var typed = Complexity.Signature();

        var expected = typed.FormatMessages(new Complexity.Input("Add caching", ["cache.rs"]));
        var actual = runtime.FormatMessages(Inputs());

        Assert.Equal(expected.Select(m => (m.Role, m.Text)), actual.Select(m => (m.Role, m.Text)));
    }

    [Fact]
    public async Task PredictReturnsOutputsByNameTypedPerTheManifest()
    {
        var client = new ScriptedChatClient(Reply);

        var outputs = await ComplexityManifest.Load(ComplexityManifest.Json).PredictAsync(client, Inputs());

        Assert.Equal(["complexity", "needs_plan", "steps", "confidence"], outputs.Keys);
        Assert.Equal("very high", outputs["complexity"]);
        Assert.Equal(true, outputs["needs_plan"]);
        Assert.Equal(5, outputs["steps"]);
        Assert.Equal(0.75, outputs["confidence"]);
        Assert.Contains("[[ ## task ## ]]\nAdd caching", client.Prompts.Single()[^1].Text);
    }

    [Fact]
    public async Task EveryInputTypeIsConvertedAndListsComeBackAsLists()
    {
        var client = new ScriptedChatClient("[[ ## owner ## ]]\nana\n\n[[ ## labels ## ]]\n['auth', 'db']\n\n[[ ## completed ## ]]");

        var outputs = await ComplexityManifest.Load(Triage).PredictAsync(client, TriageInputs());

        Assert.Equal("ana", outputs["owner"]);
        Assert.Equal(["auth", "db"], Assert.IsAssignableFrom<IReadOnlyList<string>>(outputs["labels"]));
        Assert.StartsWith(
            "[[ ## title ## ]]\nLogin fails\n\n[[ ## priority ## ]]\n2\n\n[[ ## score ## ]]\n0.5\n\n[[ ## urgent ## ]]\nTrue\n\n[[ ## area ## ]]\ndb\n\n[[ ## tags ## ]]\n[\"auth\", \"prod\"]",
            client.Prompts.Single()[^1].Text);
    }

    [Theory]
    [InlineData("priority", null, RuntimeErrorCodes.MissingInput)]
    [InlineData("priority", "2", RuntimeErrorCodes.MistypedInput)]
    [InlineData("priority", 2.0, RuntimeErrorCodes.MistypedInput)]
    [InlineData("priority", 3_000_000_000L, RuntimeErrorCodes.MistypedInput)]
    [InlineData("score", "0.5", RuntimeErrorCodes.MistypedInput)]
    [InlineData("urgent", 1, RuntimeErrorCodes.MistypedInput)]
    [InlineData("title", 7, RuntimeErrorCodes.MistypedInput)]
    [InlineData("area", "DB", RuntimeErrorCodes.MistypedInput)]
    [InlineData("area", 1, RuntimeErrorCodes.MistypedInput)]
    [InlineData("tags", "auth", RuntimeErrorCodes.MistypedInput)]
    public async Task ABadInputIsRefusedWithItsCodeBeforeAnyModelCall(string field, object? value, string code)
    {
        var inputs = TriageInputs();
        inputs[field] = value;
        var client = new ScriptedChatClient("unused");

        var error = await Assert.ThrowsAsync<DsrsException>(() => ComplexityManifest.Load(Triage).PredictAsync(client, inputs));

        Assert.Equal(code, error.Code);
        Assert.Contains($"'{field}'", error.Message);
        Assert.Empty(client.Prompts);
    }

    [Fact]
    public void AMissingInputAListWithANullAndAnUnknownNameHaveTheirCodes()
    {
        var signature = ComplexityManifest.Load(Triage);
        var missing = TriageInputs();
        missing.Remove("tags");
        var nullItem = TriageInputs();
        nullItem["tags"] = new[] { "a", null };
        var unknown = TriageInputs();
        unknown["owner"] = "ana";

        Assert.Equal(RuntimeErrorCodes.MissingInput, Assert.Throws<DsrsException>(() => signature.FormatMessages(missing)).Code);
        Assert.Equal(RuntimeErrorCodes.MistypedInput, Assert.Throws<DsrsException>(() => signature.FormatMessages(nullItem)).Code);
        var error = Assert.Throws<DsrsException>(() => signature.FormatMessages(unknown));
        Assert.Equal(RuntimeErrorCodes.UnknownInput, error.Code);
        Assert.Contains("'owner'", error.Message);
    }

    [Theory]
    [InlineData("", RuntimeErrorCodes.EmptyReply)]
    [InlineData("It looks complex to me.", RuntimeErrorCodes.MissingOutputField)]
    [InlineData("[[ ## complexity ## ]]\nhigh\n[[ ## needs_plan ## ]]\nTrue\n[[ ## steps ## ]]\nmany\n[[ ## confidence ## ]]\n0.5", RuntimeErrorCodes.InvalidOutputValue)]
    [InlineData("[[ ## complexity ## ]]\nextreme\n[[ ## needs_plan ## ]]\nTrue\n[[ ## steps ## ]]\n3\n[[ ## confidence ## ]]\n0.5", RuntimeErrorCodes.UnknownEnumValue)]
    public async Task AnUnparseableReplyHasTheParsersCode(string reply, string code)
    {
        var error = await Assert.ThrowsAsync<DsrsException>(() => ComplexityManifest.Load(ComplexityManifest.Json).PredictAsync(new ScriptedChatClient(reply), Inputs()));

        Assert.Equal(code, error.Code);
    }

    [Fact]
    public void AJsonReplyWithoutAnObjectIsRefused()
    {
        var json = ComplexityManifest.Load(ComplexityManifest.Edit(ComplexityManifest.Json, m => m.Set("adapter", new JsonString("json"))));

        Assert.Equal(RuntimeErrorCodes.ReplyNotJsonObject, Assert.Throws<DsrsException>(() => json.ParseReply("complexity: high")).Code);
        Assert.Equal("high", json.ParseReply("```json\n{\"complexity\": \"high\", \"needs_plan\": false, \"steps\": 2, \"confidence\": 0.5}\n```")["complexity"]);
    }

    [Fact]
    public void OnlyTheExpectedVerifiedManifestEntersOnce()
    {
        var (text, id) = ComplexityManifest.Seal(ComplexityManifest.Json);
        var (_, otherId) = ComplexityManifest.Seal(ComplexityManifest.Newer);
        var tampered = text.Replace("Be careful.", "Be reckless.", StringComparison.Ordinal);

        Assert.Equal(id, DynamicSignature.FromManifest(text, id).CompiledId);
        Assert.Equal(RuntimeErrorCodes.ManifestNotExpected, Assert.Throws<DsrsException>(() => DynamicSignature.FromManifest(text, otherId)).Code);
        Assert.Equal(RuntimeErrorCodes.ManifestNotExpected, Assert.Throws<DsrsException>(() => DynamicSignature.FromManifest(text, id.ToUpperInvariant())).Code);
        Assert.Equal(FormatErrorCodes.CompiledIdMismatch, Assert.Throws<DsrsException>(() => DynamicSignature.FromManifest(tampered, id)).Code);
        Assert.Equal(FormatErrorCodes.CompiledIdMismatch, Assert.Throws<DsrsException>(() => DynamicSignature.FromManifest(ComplexityManifest.Json, id)).Code);
        Assert.Equal(FormatErrorCodes.InvalidJson, Assert.ThrowsAny<DsrsException>(() => DynamicSignature.FromManifest("{\"signature_name\":", id)).Code);
        Assert.Equal(FormatErrorCodes.InvalidManifest, Assert.Throws<DsrsException>(() => ComplexityManifest.Load("{\"signature_name\":\"\",\"outputs\":[]}")).Code);
    }

    [Fact]
    public async Task AnUntypedManifestNeedsItsFieldNamesAndThenPromptsWithStrings()
    {
        const string seed = """{"signature_name":"Seed","instruction":"Classify.","demos":[{"inputs":{"task":"rename"},"outputs":{"complexity":"low"}}]}""";

        Assert.Equal(RuntimeErrorCodes.UntypedFieldsUnnamed, Assert.Throws<DsrsException>(() => ComplexityManifest.Load(seed)).Code);
        var signature = ComplexityManifest.Load(seed, ["task"], ["complexity"]);
        var client = new ScriptedChatClient("[[ ## complexity ## ]]\nhigh\n\n[[ ## completed ## ]]");
        var generatedStyle = new UntypedSignature("Seed", "Classify.", PromptAdapter.Chat,
            [new UntypedDemo(new Dictionary<string, string> { ["task"] = "rename" }, new Dictionary<string, string> { ["complexity"] = "low" })]);

        var outputs = await signature.PredictAsync(client, new Dictionary<string, object?> { ["task"] = "port" });

        Assert.False(signature.IsTyped);
        Assert.Equal("high", outputs["complexity"]);
        Assert.Equal(
            generatedStyle.FormatMessages(new Dictionary<string, string> { ["task"] = "port" }, ["complexity"]).Select(m => m.Text),
            client.Prompts.Single().Select(m => m.Text));
    }

    [Fact]
    public void AManifestWithoutInstructionPromptsWithDspysDefaultAsAGeneratedClassDoes()
    {
        var withoutInstruction = ComplexityManifest.Edit(ComplexityManifest.Json, m => m.Remove("instruction"));
        var atRunTime = ComplexityManifest.Load(withoutInstruction).FormatMessages(Inputs())[0].Text;

        // A generated class of such a manifest has Instruction "" in its spec.
        var spec = Complexity.Spec();
        var generated = new SignatureSpec(spec.SignatureName, string.Empty, spec.Inputs, spec.Outputs);
        var generatedPrompt = PromptFormatter.Format(generated, [], new FieldValues { { "task", "Add caching" }, { "files", new[] { "cache.rs" } } })[0].Text;

        Assert.EndsWith("your objective is: \n        Given the fields `task`, `files`, produce the fields `complexity`, `needs_plan`, `steps`, `confidence`.", atRunTime);
        Assert.EndsWith("your objective is: \n        Given the fields `task`, `files`, produce the fields `complexity`, `needs_plan`, `steps`, `confidence`.", generatedPrompt);
    }

    [Fact]
    public void ADescriptionUnderDspysShortNameReachesThePromptAsTheGeneratorReadsIt()
    {
        var json = ComplexityManifest.Edit(ComplexityManifest.Json, m => ComplexityManifest.Output(m, "needs_plan").Set("desc", new JsonString("Whether to plan first.")));

        Assert.Contains("2. `needs_plan` (bool): Whether to plan first.", ComplexityManifest.Load(json).FormatMessages(Inputs())[0].Text);
    }
}
