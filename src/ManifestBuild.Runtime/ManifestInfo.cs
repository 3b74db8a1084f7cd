namespace ManifestBuild.Runtime;

/// <summary>The held-out and training figures a seller published with a manifest.</summary>
public sealed record ManifestScorecard(
    double? MedianScore,
    long? Rollouts,
    double? PFail,
    double? Accuracy,
    long? HoldoutSize,
    string? Metric);

/// <summary>One entry of an assembly's generated registry of baked-in manifests.</summary>
public sealed record ManifestInfo(string Name, string SignatureName, string CompiledId, string? Family, Type ManifestType);

/// <summary>A few-shot example as typed values.</summary>
public sealed record Demo<TInput, TOutput>(TInput Input, TOutput Output);

/// <summary>A few-shot example as field values, the form the prompt formatter takes.</summary>
public sealed record PromptDemo(FieldValues Inputs, FieldValues Outputs);
