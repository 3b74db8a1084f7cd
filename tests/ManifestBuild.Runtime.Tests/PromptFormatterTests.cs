using Microsoft.Extensions.AI;

namespace ManifestBuild.Runtime.Tests;

/// <summary>The prompt follows DSPy's ChatAdapter / JSONAdapter layout to the character.</summary>
public class PromptFormatterTests
{
    private const string ExpectedChatSystem =
        "Your input fields are:\n" +
        "1. `task` (str): The task.\n" +
        "2. `files` (list[str]): Files touched.\n" +
        "Your output fields are:\n" +
        "1. `complexity` (Literal['low', 'medium', 'high', 'very high']): How complex.\n" +
        "2. `needs_plan` (bool): \n" +
        "3. `steps` (int): \n" +
        "4. `confidence` (float): 0 to 1.\n" +
        "All interactions will be structured in the following way, with the appropriate values filled in.\n\n" +
        "[[ ## task ## ]]\n{task}\n\n" +
        "[[ ## files ## ]]\n{files}\n\n" +
        "[[ ## complexity ## ]]\n{complexity}        # note: the value you produce must exactly match (no extra characters) one of: low; medium; high; very high\n\n" +
        "[[ ## needs_plan ## ]]\n{needs_plan}        # note: the value you produce must be True or False\n\n" +
        "[[ ## steps ## ]]\n{steps}        # note: the value you produce must be a single int value\n\n" +
        "[[ ## confidence ## ]]\n{confidence}        # note: the value you produce must be a single float value\n\n" +
        "[[ ## completed ## ]]\n" +
        "In adhering to this structure, your objective is: \n" +
        "        Classify the task.\n" +
        "        Be careful.";

    [Fact]
    public void ChatLayoutMatchesDspy()
    {
        var messages = Complexity.Signature().FormatMessages(new Complexity.Input("Port it", ["a.rs", "b \"q\".rs"]));

        Assert.Equal([ChatRole.System, ChatRole.User, ChatRole.Assistant, ChatRole.User], messages.Select(m => m.Role));
        Assert.Equal(ExpectedChatSystem, messages[0].Text);
        Assert.Equal("[[ ## task ## ]]\nRename x\n\n[[ ## files ## ]]\n[\"a.rs\"]", messages[1].Text);
        Assert.Equal("[[ ## complexity ## ]]\nlow\n\n[[ ## needs_plan ## ]]\nFalse\n\n[[ ## steps ## ]]\n1\n\n[[ ## confidence ## ]]\n0.95\n\n[[ ## completed ## ]]\n", messages[2].Text);
        Assert.Equal(
            "[[ ## task ## ]]\nPort it\n\n[[ ## files ## ]]\n[\"a.rs\", \"b \\\"q\\\".rs\"]\n\n" +
            "Respond with the corresponding output fields, starting with the field `[[ ## complexity ## ]]` (must be formatted as a valid Python Literal['low', 'medium', 'high', 'very high']), " +
            "then `[[ ## needs_plan ## ]]` (must be formatted as a valid Python bool), then `[[ ## steps ## ]]` (must be formatted as a valid Python int), " +
            "then `[[ ## confidence ## ]]` (must be formatted as a valid Python float), and then ending with the marker for `[[ ## completed ## ]]`.",
            messages[3].Text);
    }

    [Fact]
    public void JsonLayoutMatchesDspy()
    {
        var messages = Complexity.Signature(PromptAdapter.Json).FormatMessages(new Complexity.Input("Port it", []));

        Assert.Contains("All interactions will be structured in the following way, with the appropriate values filled in.\n\nInputs will have the following structure:\n\n[[ ## task ## ]]\n{task}\n\n[[ ## files ## ]]\n{files}\n\nOutputs will be a JSON object with the following fields.\n\n{\n  \"complexity\": \"{complexity}        # note: the value you produce must exactly match (no extra characters) one of: low; medium; high; very high\",", messages[0].Text);
        Assert.Equal("{\n  \"complexity\": \"low\",\n  \"needs_plan\": false,\n  \"steps\": 1,\n  \"confidence\": 0.95\n}", messages[2].Text);
        Assert.EndsWith("Respond with a JSON object in the following order of fields: `complexity` (must be formatted as a valid Python Literal['low', 'medium', 'high', 'very high']), then `needs_plan` (must be formatted as a valid Python bool), then `steps` (must be formatted as a valid Python int), then `confidence` (must be formatted as a valid Python float).", messages[3].Text);
        Assert.Contains("[[ ## files ## ]]\n[]", messages[3].Text);
    }

    [Theory]
    [InlineData(0.5, "0.5")]
    [InlineData(1.0, "1.0")]
    [InlineData(1e-5, "1e-05")]
    [InlineData(0.0001, "0.0001")]
    [InlineData(1e16, "1e+16")]
    [InlineData(1e15, "1000000000000000.0")]
    [InlineData(-2.5e-7, "-2.5e-07")]
    [InlineData(123.456, "123.456")]
    public void FloatsArePrintedAsPythonReprDoes(double value, string expected) => Assert.Equal(expected, PythonText.Float(value));

    [Fact]
    public void MissingInputIsRefused()
    {
        var error = Assert.Throws<ManifestBuild.Format.DsrsException>(() => PromptFormatter.Format(Complexity.Spec(), [], new FieldValues { { "task", "x" } }));
        Assert.Equal(RuntimeErrorCodes.InvalidInputValue, error.Code);
        Assert.Contains("'files'", error.Message);
    }

    [Fact]
    public void SignatureWithoutOutputsOrWithDuplicateFieldsIsRefused()
    {
        Assert.Equal(RuntimeErrorCodes.InvalidSignature, Assert.Throws<ManifestBuild.Format.DsrsException>(() => new SignatureSpec("S", "i", [], [])).Code);
        Assert.Equal(RuntimeErrorCodes.InvalidSignature, Assert.Throws<ManifestBuild.Format.DsrsException>(() => new SignatureSpec("S", "i", [new SignatureField("a", FieldKind.String)], [new SignatureField("a", FieldKind.String)])).Code);
    }
}
