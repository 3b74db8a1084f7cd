using ManifestBuild.Evaluation.Metrics;
using ManifestBuild.Format;
using Microsoft.Extensions.AI;

namespace ManifestBuild.Evaluation.Running;

/// <summary>How far an arm of the run has got (an arm: the manifest, or the baseline without it).</summary>
public readonly record struct EvaluationProgress(string Arm, int Done, int Total, int FromCache);

/// <summary>What to evaluate with: the model, the metric, and how the run behaves.</summary>
public sealed class EvaluationOptions
{
    /// <summary>Any Microsoft.Extensions.AI chat client; wrapped in a <see cref="RetryingChatClient"/> by the evaluator.</summary>
    public required IChatClient Client { get; init; }

    /// <summary>The model's id: it keys the response cache and is what a measured review names.</summary>
    public required string ModelId { get; init; }

    public EvaluationMetric Metric { get; init; } = EvaluationMetric.AllFieldsExact();

    /// <summary>Requests in flight at once.</summary>
    public int MaxParallelism { get; init; } = 4;

    public RetryPolicy Retry { get; init; } = RetryPolicy.Default;

    /// <summary>Answers by (model, prompt); null sends every request.</summary>
    public ResponseCache? Cache { get; init; }

    /// <summary>Also run the signature with DSPy's default instruction and no demos, and report the lift.</summary>
    public bool Baseline { get; init; }

    /// <summary>Sampling options sent with every request (temperature 0 is a good choice for measuring).</summary>
    public ChatOptions? ChatOptions { get; init; }

    public IProgress<EvaluationProgress>? Progress { get; init; }

    internal void Validate()
    {
        if (MaxParallelism is < 1 or > 256)
        {
            throw new DsrsException(EvaluationErrorCodes.InvalidOption, $"parallelism must be 1 to 256, not {MaxParallelism}");
        }

        if (string.IsNullOrWhiteSpace(ModelId))
        {
            throw new DsrsException(EvaluationErrorCodes.InvalidOption, "the model id is empty; it keys the response cache and names the measurement");
        }
    }
}
