using ManifestBuild.Evaluation;
using ManifestBuild.Evaluation.Reporting;
using ManifestBuild.Evaluation.Running;
using ManifestBuild.Format.Json;
using Spectre.Console;

namespace ManifestBuild.Cli.Presenters;

/// <summary>
/// How `dsrs evaluate` shows its run: what it evaluates and the progress on the error stream (a Spectre
/// bar on a terminal, plain lines when captured), the report on standard output as text or JSON.
/// </summary>
internal static class EvaluatePresenter
{
    public static Task WriteStartingAsync(TextWriter error, LoadedManifest loaded, int examples, string model) =>
        error.WriteLineAsync($"evaluating {loaded.Manifest.SignatureName} {loaded.CompiledId[..12]} ({loaded.Origin}) on {examples} example(s) with {model}");

    public static Task WriteResultsFileAsync(TextWriter error, string path) => error.WriteLineAsync("per-example results in " + path);

    public static Task WriteReportAsync(TextWriter output, EvaluationReport report, bool json) =>
        output.WriteAsync(json ? JsonWriter.WriteFile(report.ToJson()) : report.ToText());

    /// <summary>Runs <paramref name="evaluate"/> while showing the progress it reports.</summary>
    public static async Task<EvaluationReport> WithProgressAsync(CliContext context, Func<IProgress<EvaluationProgress>, Task<EvaluationReport>> evaluate)
    {
        var terminal = ReferenceEquals(context.Error, Console.Error) && !Console.IsErrorRedirected;
        if (!terminal)
        {
            return await evaluate(new PlainProgress(context.Error));
        }

        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        EvaluationReport? report = null;
        await console.Progress().AutoClear(false).StartAsync(async progress =>
        {
            report = await evaluate(new BarProgress(progress));
        });
        return report!;
    }

    /// <summary>One Spectre bar per arm, updated synchronously (so no update lands after the display has ended).</summary>
    private sealed class BarProgress(ProgressContext progress) : IProgress<EvaluationProgress>
    {
        private readonly Dictionary<string, ProgressTask> bars = new(StringComparer.Ordinal);

        public void Report(EvaluationProgress value)
        {
            lock (bars)
            {
                if (!bars.TryGetValue(value.Arm, out var bar))
                {
                    bars[value.Arm] = bar = progress.AddTask(value.Arm, maxValue: Math.Max(1, value.Total));
                }

                bar.Value = value.Done;
                bar.Description = $"{value.Arm} ({value.FromCache} cached)";
            }
        }
    }

    /// <summary>Progress as lines: the start, each tenth of the way, the end. Reported synchronously, in order.</summary>
    private sealed class PlainProgress(TextWriter writer) : IProgress<EvaluationProgress>
    {
        private readonly Dictionary<string, int> lastTenth = new(StringComparer.Ordinal);

        public void Report(EvaluationProgress value)
        {
            lock (lastTenth)
            {
                var tenth = value.Total == 0 ? 10 : value.Done * 10 / value.Total;
                if (value.Done != 0 && lastTenth.TryGetValue(value.Arm, out var last) && tenth <= last)
                {
                    return;
                }

                lastTenth[value.Arm] = tenth;
                writer.WriteLine($"{value.Arm}: {value.Done}/{value.Total} ({value.FromCache} from the cache)");
            }
        }
    }
}
