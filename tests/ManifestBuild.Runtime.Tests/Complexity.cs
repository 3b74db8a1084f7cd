namespace ManifestBuild.Runtime.Tests;

/// <summary>What the generator emits for a typed manifest, written by hand so the runtime is tested on its own.</summary>
public static class Complexity
{
    public enum Level
    {
        Low = 0,
        Medium = 1,
        High = 2,
        VeryHigh = 3,
    }

    public sealed record Input(string Task, IReadOnlyList<string> Files);

    public sealed record Output(Level Complexity, bool NeedsPlan, int Steps, double Confidence);

    public static SignatureSpec Spec(PromptAdapter adapter = PromptAdapter.Chat) => new(
        "ComplexitySignature",
        "Classify the task.\nBe careful.",
        [new SignatureField("task", FieldKind.String, "The task."), new SignatureField("files", FieldKind.StringList, "Files touched.")],
        [
            new SignatureField("complexity", FieldKind.Enum, "How complex.", ["low", "medium", "high", "very high"]),
            new SignatureField("needs_plan", FieldKind.Bool),
            new SignatureField("steps", FieldKind.Int),
            new SignatureField("confidence", FieldKind.Float, "0 to 1."),
        ],
        adapter);

    public static TypedSignature<Input, Output> Signature(PromptAdapter adapter = PromptAdapter.Chat) => new(
        Spec(adapter),
        input => new FieldValues { { "task", input.Task }, { "files", input.Files } },
        output => new FieldValues { { "complexity", new EnumValue((int)output.Complexity) }, { "needs_plan", output.NeedsPlan }, { "steps", output.Steps }, { "confidence", output.Confidence } },
        values => new Output((Level)values.GetEnumIndex("complexity"), values.GetBool("needs_plan"), values.GetInt("steps"), values.GetDouble("confidence")),
        [new Demo<Input, Output>(new Input("Rename x", ["a.rs"]), new Output(Level.Low, false, 1, 0.95))]);
}
