using System.CommandLine;
using ManifestBuild.Cli.Presenters;
using ManifestBuild.Evaluation;
using ManifestBuild.Evaluation.Examples;
using ManifestBuild.Evaluation.Metrics;
using ManifestBuild.Evaluation.Reporting;
using ManifestBuild.Evaluation.Running;
using ManifestBuild.Format;
using ManifestBuild.Format.Json;
using Microsoft.Extensions.AI;

namespace ManifestBuild.Cli;

/// <summary>
/// `dsrs evaluate &lt;manifest&gt; --examples FILE`: measures a manifest on the buyer's own examples through
/// an OpenAI-compatible endpoint (DSRS_EVAL_BASE_URL, DSRS_EVAL_MODEL or --model, DSRS_EVAL_API_KEY),
/// and reports the accuracy beside the seller's claim. The key is handed to the client only: it is
/// never printed, logged or written.
/// </summary>
internal static class EvaluateCommands
{
    public static void AddTo(RootCommand root, CliContext context)
    {
        var manifest = new Argument<string>("manifest") { Description = "A manifest file, a compiled_id in $DSRS_HOME/cache, or a DsrsManifest item name of the project (obj/dsrs/<Name>.json or dsrs.lock.json)." };
        var examples = new Option<FileInfo>("--examples", "-e") { Description = "JSON lines of {\"inputs\":{...},\"outputs\":{...}}, or a DSPy devset (a JSON list of examples).", Required = true };
        var project = new Option<DirectoryInfo>("--project") { Description = "The project folder item names are looked up in (default: the current folder)." };
        var model = new Option<string>("--model") { Description = "The model to ask (default: DSRS_EVAL_MODEL)." };
        var metric = new Option<string>("--metric") { Description = "exact (every output field right, the default), field:NAME (one field), or f1:NAME (item F1 of a string[] field).", DefaultValueFactory = _ => "exact" };
        var tolerance = CliOptions.Number("--tolerance", "Numbers within this absolute difference count as equal (default 0).", 0, double.MaxValue, EvaluationErrorCodes.InvalidOption);
        var parallel = CliOptions.Count("--parallel", "Requests in flight at once (default 4).", 1, 256, 4, EvaluationErrorCodes.InvalidOption);
        var baseline = new Option<bool>("--baseline") { Description = "Also run the signature with DSPy's default instruction and no demos, and report the manifest's lift." };
        var results = new Option<string>("--results") { Description = "Write one JSON line per example (score, fields right, the parsed answer or the error) to this file." };
        var noCache = new Option<bool>("--no-cache") { Description = "Send every request, ignoring the answers cached in $DSRS_HOME/eval-cache." };
        var minAccuracy = CliOptions.Fraction("--min-accuracy", "Exit 1 (DSRS1206) when the accuracy is below this: a CI gate.");
        var temperature = CliOptions.Number("--temperature", "Sampling temperature to send (default: the server's).", 0, 2, EvaluationErrorCodes.InvalidOption);
        var timeout = CliOptions.Count("--timeout", "Seconds to wait for one answer before retrying (default 120).", 1, 3600, 120, EvaluationErrorCodes.InvalidOption);
        var json = CliOptions.Json("Write the report as JSON (the file `dsrs review --measured` reads).");
        var command = new Command("evaluate", "Measure a manifest on your own examples through a chat model, beside the accuracy its seller claims.");
        command.Arguments.Add(manifest);
        foreach (var option in new Option[] { examples, project, model, metric, tolerance, parallel, baseline, results, noCache, minAccuracy, temperature, timeout, json })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (ParseResult r, CancellationToken ct) =>
        {
            EvaluationMetric chosenMetric;
            try
            {
                chosenMetric = EvaluationMetric.Parse(r.GetValue(metric)!, r.GetValue(tolerance) ?? 0);
            }
            catch (DsrsException e)
            {
                // A usage error: nothing was read or sent.
                await context.Error.WriteLineAsync(e.ToString());
                return 2;
            }

            var projectDirectory = r.GetValue(project)?.FullName ?? Environment.CurrentDirectory;
            var loaded = ManifestSource.Resolve(r.GetValue(manifest)!, context.Home, projectDirectory);
            var names = loaded.Manifest.Inputs is { } inputs && loaded.Manifest.Outputs is { } outputs ? (inputs.Select(f => f.Name).ToArray(), outputs.Select(f => f.Name).ToArray()) : ((string[]?)null, (string[]?)null);
            var set = ExampleSet.Load(r.GetValue(examples)!.FullName, names.Item1, names.Item2);
            var endpoint = ChatEndpoint.FromEnvironment(context.Env, r.GetValue(model));
            using var client = endpoint.CreateClient(TimeSpan.FromSeconds(r.GetValue(timeout)));
            var options = new EvaluationOptions
            {
                Client = client,
                ModelId = endpoint.Model,
                Metric = chosenMetric,
                MaxParallelism = r.GetValue(parallel),
                Baseline = r.GetValue(baseline),
                Cache = r.GetValue(noCache) ? null : ResponseCache.ForHome(context.Home),
                ChatOptions = r.GetValue(temperature) is { } t ? new ChatOptions { Temperature = (float)t } : null,
            };
            await EvaluatePresenter.WriteStartingAsync(context.Error, loaded, set.Count, endpoint.Model);
            var report = await EvaluateWithProgressAsync(context, loaded.Manifest, set, options, ct);
            if (r.GetValue(results) is { } resultsPath)
            {
                AtomicFile.WriteAllText(Path.GetFullPath(resultsPath), report.ResultsJsonLines());
                await EvaluatePresenter.WriteResultsFileAsync(context.Error, Path.GetFullPath(resultsPath));
            }

            await EvaluatePresenter.WriteReportAsync(context.Out, report, r.GetValue(json));
            if (r.GetValue(minAccuracy) is { } minimum)
            {
                report.EnsureAtLeast(minimum);
            }

            return 0;
        });
        root.Subcommands.Add(command);
    }

    /// <summary>Evaluates with the progress the presenter shows (a bar on a terminal, plain lines elsewhere).</summary>
    private static Task<EvaluationReport> EvaluateWithProgressAsync(CliContext context, Manifest manifest, ExampleSet set, EvaluationOptions options, CancellationToken ct) =>
        EvaluatePresenter.WithProgressAsync(context, progress => ManifestEvaluator.EvaluateAsync(manifest, set, WithProgress(options, progress), ct));

    private static EvaluationOptions WithProgress(EvaluationOptions o, IProgress<EvaluationProgress> progress) => new()
    {
        Client = o.Client,
        ModelId = o.ModelId,
        Metric = o.Metric,
        MaxParallelism = o.MaxParallelism,
        Retry = o.Retry,
        Cache = o.Cache,
        Baseline = o.Baseline,
        ChatOptions = o.ChatOptions,
        Progress = progress,
    };
}
