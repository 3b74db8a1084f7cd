using BenchmarkDotNet.Attributes;
using ManifestBuild.Bench.HotPath.Manifests;
using ManifestBuild.Format;
using ManifestBuild.Format.Json;
using ManifestBuild.Runtime;

namespace ManifestBuild.Bench.HotPath;

/// <summary>
/// One prediction's own work, per call: the prompt built from the manifest and the input, the reply
/// parsed and converted to typed values. The chat client answers at once with a valid reply, so what
/// is measured is ManifestBuild's part of a call, for the generated class and for DynamicSignature
/// (the same manifest, the same prompt and the same parse, DynamicSignatureParityTests).
/// </summary>
[MemoryDiagnoser]
public class PredictionBenchmarks
{
    /// <summary>The sample agent's manifest: its one output section, as a model writes it.</summary>
    public const string SampleReply = "[[ ## complexity ## ]]\nmoderate\n\n[[ ## completed ## ]]";

    /// <summary>The every-type manifest: enum, bool and float sections.</summary>
    public const string TypedReply = "[[ ## complexity ## ]]\nhigh\n\n[[ ## needs_plan ## ]]\nTrue\n\n[[ ## confidence ## ]]\n0.8\n\n[[ ## completed ## ]]";

    private readonly CannedChatClient sampleClient = new(SampleReply);
    private readonly CannedChatClient typedClient = new(TypedReply);
    private readonly ComplexityClassification.Input sampleInput = new("add retry with backoff to the HTTP client");
    private readonly TypedComplexity.Input typedInput = new("Optimize DICOM parsing for large studies", ["io/dicom.py", "io/cache.py"], 300);
    private readonly Dictionary<string, object?> sampleInputs = new() { ["task"] = "add retry with backoff to the HTTP client" };
    private readonly Dictionary<string, object?> typedInputs = new()
    {
        ["task"] = "Optimize DICOM parsing for large studies",
        ["files"] = new[] { "io/dicom.py", "io/cache.py" },
        ["line_budget"] = 300,
    };

    private DynamicSignature sample = null!;
    private DynamicSignature typed = null!;

    /// <summary>Loads the manifests the classes were generated from, and checks every benchmark parses what it should.</summary>
    [GlobalSetup]
    public void Setup()
    {
        sample = DynamicSignature.FromManifest(Sealed(ComplexityClassification.Json), ComplexityClassification.CompiledId);
        typed = DynamicSignature.FromManifest(TypedComplexity.Json, TypedComplexity.CompiledId);
        Check(SampleGenerated().Result.Complexity == ComplexityClassification.Complexity.Moderate, "the generated sample class");
        Check(Equals(SampleDynamic().Result["complexity"], "moderate"), "DynamicSignature of the sample");
        Check(TypedGenerated().Result == new TypedComplexity.Output(TypedComplexity.Complexity.High, true, 0.8), "the generated every-type class");
        var outputs = TypedDynamic().Result;
        Check(Equals(outputs["complexity"], "high") && Equals(outputs["needs_plan"], true) && Equals(outputs["confidence"], 0.8), "DynamicSignature of the every-type manifest");

        // Three demos and the input after the system message: user and assistant turns.
        Check(sampleClient.LastMessageCount == 8 && typedClient.LastMessageCount == 6, "the prompts' message counts");
    }

    [Benchmark(Description = "sample manifest, generated class")]
    public Task<ComplexityClassification.Output> SampleGenerated() => ComplexityClassification.PredictAsync(sampleClient, sampleInput);

    [Benchmark(Description = "sample manifest, DynamicSignature")]
    public Task<IReadOnlyDictionary<string, object>> SampleDynamic() => sample.PredictAsync(sampleClient, sampleInputs);

    [Benchmark(Description = "every-type manifest, generated class")]
    public Task<TypedComplexity.Output> TypedGenerated() => TypedComplexity.PredictAsync(typedClient, typedInput);

    [Benchmark(Description = "every-type manifest, DynamicSignature")]
    public Task<IReadOnlyDictionary<string, object>> TypedDynamic() => typed.PredictAsync(typedClient, typedInputs);

    /// <summary>The manifest text with its compiled_id, as the seller hands it over once paid.</summary>
    // Where the time goes, for the every-type manifest's generated class: the prompt alone, the parse alone.

    [Benchmark(Description = "every-type manifest, prompt only")]
    public IReadOnlyList<Microsoft.Extensions.AI.ChatMessage> TypedPromptOnly() => TypedComplexity.Signature.FormatMessages(typedInput);

    [Benchmark(Description = "every-type manifest, parse only")]
    public TypedComplexity.Output TypedParseOnly() => TypedComplexity.Signature.ParseReply(TypedReply);

    /// <summary>Each benchmark as a call that completes it, for the CPU-time count (<see cref="CpuTime"/>).</summary>
    public IReadOnlyDictionary<string, Action> Calls() => new Dictionary<string, Action>
    {
        [nameof(SampleGenerated)] = () => SampleGenerated().GetAwaiter().GetResult(),
        [nameof(SampleDynamic)] = () => SampleDynamic().GetAwaiter().GetResult(),
        [nameof(TypedGenerated)] = () => TypedGenerated().GetAwaiter().GetResult(),
        [nameof(TypedDynamic)] = () => TypedDynamic().GetAwaiter().GetResult(),
        [nameof(TypedPromptOnly)] = () => TypedPromptOnly(),
        [nameof(TypedParseOnly)] = () => TypedParseOnly(),
    };

    private static string Sealed(string json)
    {
        var manifest = new Manifest(JsonParser.ParseObject(json));
        manifest.SealCompiledId();
        return manifest.ToFileText();
    }

    private static void Check(bool condition, string what)
    {
        if (!condition)
        {
            throw new InvalidOperationException($"{what} did not predict the canned reply's values");
        }
    }
}
