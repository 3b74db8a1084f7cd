namespace ManifestBuild.Evaluation;

/// <summary>The evaluation's refusal codes (DSRS1200-1249): manifests, examples, metrics, the model endpoint, the run.</summary>
public static class EvaluationErrorCodes
{
    /// <summary>The manifest to evaluate is neither a file, a cached compiled_id, nor a project item (obj/dsrs or the lockfile).</summary>
    public const string ManifestNotFound = "DSRS1200";

    /// <summary>The examples file is unreadable, empty, or neither JSON lines nor a JSON list of examples.</summary>
    public const string InvalidExamples = "DSRS1201";

    /// <summary>An example does not fit the signature: a field missing, or a value not of the field's type.</summary>
    public const string ExampleDoesNotFit = "DSRS1202";

    /// <summary>The metric is unknown or names a field the signature does not have (or of the wrong type).</summary>
    public const string InvalidMetric = "DSRS1203";

    /// <summary>No model endpoint: the base URL or model is missing or malformed.</summary>
    public const string EndpointNotConfigured = "DSRS1204";

    /// <summary>The model endpoint kept failing (429/5xx/network) after every retry.</summary>
    public const string EndpointFailed = "DSRS1205";

    /// <summary>The measured accuracy is below the --min-accuracy gate.</summary>
    public const string BelowMinimum = "DSRS1206";

    /// <summary>An evaluation report file (for a measured review) is unreadable or lacks a member.</summary>
    public const string InvalidReport = "DSRS1207";

    /// <summary>An evaluation option is out of range (parallelism, retries, tolerance).</summary>
    public const string InvalidOption = "DSRS1208";
}
