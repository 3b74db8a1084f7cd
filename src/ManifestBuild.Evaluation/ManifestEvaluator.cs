using System.ClientModel;
using System.Globalization;
using ManifestBuild.Evaluation.Examples;
using ManifestBuild.Evaluation.Reporting;
using ManifestBuild.Evaluation.Running;
using ManifestBuild.Format;
using ManifestBuild.Runtime;
using Microsoft.Extensions.AI;

namespace ManifestBuild.Evaluation;

/// <summary>
/// Measures a manifest on labelled examples through a chat model: each example's inputs are laid out as
/// the generated code would (the Runtime's <see cref="PromptFormatter"/>), the reply parsed as it would
/// (<see cref="ReplyParser"/>), and scored against the label. Usable from an agent's own tests:
/// <code>
/// var report = await ManifestEvaluator.EvaluateAsync(manifest, ExampleSet.Load("dev.jsonl"), new EvaluationOptions { Client = client, ModelId = "my-model" });
/// report.EnsureAtLeast(0.85); // DSRS1206 below it
/// </code>
/// </summary>
public static class ManifestEvaluator
{
    public static async Task<EvaluationReport> EvaluateAsync(Manifest manifest, ExampleSet examples, EvaluationOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(examples);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var compiledId = manifest.VerifyCompiledId();
        var first = examples.Examples[0];
        var signature = ManifestSignature.FromManifest(manifest, first.Inputs.Names.ToArray(), first.Outputs.Names.ToArray());
        options.Metric.Validate(signature.Spec);

        // Every example must fit the signature before the first request is sent: a typo in row 900
        // should not cost 899 calls.
        var prepared = examples.Examples.Select(e => Prepare(signature.Spec, e)).ToArray();
        var client = new RetryingChatClient(options.Client, options.Retry);
        var measured = await RunArmAsync("manifest", signature, prepared, client, options, cancellationToken).ConfigureAwait(false);
        var baseline = options.Baseline
            ? await RunArmAsync("baseline", signature.WithoutManifest(), prepared, client, options, cancellationToken).ConfigureAwait(false)
            : null;
        return new EvaluationReport(manifest, compiledId, signature, examples.Sha256, options.ModelId, options.Metric, measured, baseline, client.Retries);
    }

    private static PreparedExample Prepare(SignatureSpec spec, Examples.EvaluationExample example)
    {
        try
        {
            return new PreparedExample(example.Index, ManifestSignature.ValuesFromJson(spec.Inputs, example.Inputs), ManifestSignature.ValuesFromJson(spec.Outputs, example.Outputs));
        }
        catch (DsrsException e)
        {
            throw new DsrsException(EvaluationErrorCodes.ExampleDoesNotFit, $"example {(example.Index + 1).ToString(CultureInfo.InvariantCulture)} does not fit {spec.SignatureName}: {e.Message}", e);
        }
    }

    private static async Task<ArmResult> RunArmAsync(string arm, ManifestSignature signature, PreparedExample[] examples, IChatClient client, EvaluationOptions options, CancellationToken cancellationToken)
    {
        var results = new ExampleResult[examples.Length];
        var done = 0;
        var fromCache = 0;
        options.Progress?.Report(new EvaluationProgress(arm, 0, examples.Length, 0));
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.MaxParallelism, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(Enumerable.Range(0, examples.Length), parallel, async (i, ct) =>
        {
            var result = await RunOneAsync(signature, examples[i], client, options, ct).ConfigureAwait(false);
            results[i] = result;
            var cached = result.FromCache ? Interlocked.Increment(ref fromCache) : Volatile.Read(ref fromCache);
            options.Progress?.Report(new EvaluationProgress(arm, Interlocked.Increment(ref done), examples.Length, cached));
        }).ConfigureAwait(false);
        return new ArmResult(arm, signature.Spec.Instruction, signature.Demos.Count, results, signature.Spec.Outputs.Select(f => f.Name).ToArray());
    }

    private static async Task<ExampleResult> RunOneAsync(ManifestSignature signature, PreparedExample example, IChatClient client, EvaluationOptions options, CancellationToken cancellationToken)
    {
        var messages = signature.FormatMessages(example.Inputs);
        var key = ResponseCache.Key(options.ModelId, messages, options.ChatOptions);
        var cached = false;
        string reply;
        if (options.Cache is not null && options.Cache.TryGet(key, out var stored))
        {
            reply = stored;
            cached = true;
        }
        else
        {
            ChatResponse response;
            try
            {
                response = await client.GetResponseAsync(messages, options.ChatOptions, cancellationToken).ConfigureAwait(false);
            }
            catch (ClientResultException e)
            {
                // Not transient (the retrying client let it through): a refused key or request fails every example alike.
                throw new DsrsException(EvaluationErrorCodes.EndpointFailed, $"the model endpoint refused the request (HTTP {e.Status.ToString(CultureInfo.InvariantCulture)}); check the model name and the key", e);
            }
            catch (Exception e) when (e is not DsrsException and not OperationCanceledException)
            {
                // A reply the adapter could not read (a malformed choice): the model gave no usable answer.
                return Failed(example, "the endpoint's answer could not be read (" + e.GetType().Name + ")", null, cached: false);
            }

            reply = response.Text;
            options.Cache?.Put(key, options.ModelId, reply);
        }

        FieldValues predicted;
        try
        {
            predicted = signature.ParseReply(reply);
        }
        catch (DsrsException e)
        {
            return Failed(example, e.ToString(), reply, cached);
        }

        var matches = signature.Spec.Outputs.ToDictionary(
            f => f.Name,
            f => Metrics.FieldComparer.Equal(f, example.Expected[f.Name], predicted[f.Name]),
            StringComparer.Ordinal);
        var score = options.Metric.Score(signature.Spec, example.Expected, predicted);
        return new ExampleResult(example.Index, score, matches, predicted, reply, null, cached);
    }

    private static ExampleResult Failed(PreparedExample example, string error, string? reply, bool cached) =>
        new(example.Index, 0, new Dictionary<string, bool>(StringComparer.Ordinal), null, reply, error, cached);

    private sealed record PreparedExample(int Index, FieldValues Inputs, FieldValues Expected);
}
