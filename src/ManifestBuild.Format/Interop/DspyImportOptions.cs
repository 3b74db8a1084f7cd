namespace ManifestBuild.Format.Interop;

/// <summary>What a DSPy program file does not say, supplied by the caller.</summary>
public sealed class DspyImportOptions
{
    /// <summary>The predictor to import (its key in the file, e.g. <c>generate_answer.predict</c>); required when there are several.</summary>
    public string? Predictor { get; set; }

    /// <summary>The manifest's signature_name; default: the predictor's name in PascalCase + "Signature".</summary>
    public string? SignatureName { get; set; }

    /// <summary>
    /// The output field names (the last fields of the signature). DSPy's saved state does not mark which
    /// fields are outputs; without this, outputs start at a <c>reasoning</c> field (ChainOfThought) or are the last field alone.
    /// </summary>
    public IReadOnlyList<string>? OutputFields { get; set; }

    public string? Family { get; set; }

    public string? Optimizer { get; set; }

    public IReadOnlyList<string>? DomainTags { get; set; }

    public long? ExampleCount { get; set; }

    /// <summary>Unix seconds; omitted when null so that importing the same file twice gives the same compiled_id.</summary>
    public long? CreatedAt { get; set; }
}
