using ManifestBuild.Evaluation.Statistics;
using ManifestBuild.Runtime;

namespace ManifestBuild.Evaluation.Running;

/// <summary>One example's outcome: its score, which output fields were right, what the model said.</summary>
public sealed record ExampleResult(
    int Index,
    double Score,
    IReadOnlyDictionary<string, bool> FieldMatches,
    FieldValues? Predicted,
    string? Reply,
    string? Error,
    bool FromCache);

/// <summary>The outcome of one arm over the whole example set: the manifest, or the baseline without it.</summary>
public sealed class ArmResult
{
    public ArmResult(string name, string instruction, int demoCount, IReadOnlyList<ExampleResult> results, IReadOnlyList<string> outputFields)
    {
        Name = name;
        Instruction = instruction;
        DemoCount = demoCount;
        Results = results;
        ScoreSum = results.Sum(r => r.Score);
        Accuracy = results.Count == 0 ? 0 : ScoreSum / results.Count;
        Interval = WilsonInterval.Compute(ScoreSum, results.Count);
        FieldAccuracy = outputFields.ToDictionary(
            f => f,
            f => results.Count == 0 ? 0 : (double)results.Count(r => r.FieldMatches.GetValueOrDefault(f)) / results.Count,
            StringComparer.Ordinal);
    }

    public string Name { get; }

    public string Instruction { get; }

    public int DemoCount { get; }

    public IReadOnlyList<ExampleResult> Results { get; }

    public int N => Results.Count;

    public double ScoreSum { get; }

    /// <summary>The mean score.</summary>
    public double Accuracy { get; }

    /// <summary>The 95% Wilson interval of the accuracy.</summary>
    public WilsonInterval Interval { get; }

    /// <summary>Exact match per output field, whatever the metric.</summary>
    public IReadOnlyDictionary<string, double> FieldAccuracy { get; }

    /// <summary>Replies that did not parse into the signature's fields (scored 0), or that could not be read.</summary>
    public int Errors => Results.Count(r => r.Error is not null);

    public int FromCache => Results.Count(r => r.FromCache);
}
