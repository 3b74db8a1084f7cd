using ManifestBuild.Format.Json;
using ManifestBuild.Market.Redaction;

namespace ManifestBuild.Cli.Presenters;

/// <summary>
/// How `dsrs redact` reports: the summary, the id change, with --report the count per kind (the values
/// themselves only with --show), a warning for what the scanner still finds, and the file written.
/// </summary>
internal static class RedactionPresenter
{
    public static async Task WriteAsync(CliContext context, RedactionMode mode, RedactionResult result, bool report, bool show, IReadOnlyList<SecretFinding> left, string path)
    {
        await context.Out.WriteLineAsync($"redacted ({mode.ToString().ToLowerInvariant()} mode): {result.Summary()}");
        if (result.NewCompiledId is not null)
        {
            await context.Out.WriteLineAsync($"{result.IdMember} {result.OldCompiledId ?? "(none)"} -> {result.NewCompiledId}");
        }

        if (report)
        {
            foreach (var kind in result.Occurrences.OrderBy(o => o.Key))
            {
                await context.Out.WriteLineAsync($"  {kind.Key.ToString().ToLowerInvariant(),-7} {kind.Value,5} occurrence(s), {result.DistinctValues.GetValueOrDefault(kind.Key)} distinct");
            }

            foreach (var (kind, value, placeholder) in show ? result.Replacements : [])
            {
                await context.Out.WriteLineAsync($"    {placeholder} <- {JsonWriter.Write(new JsonString(value), false)}");
            }
        }

        if (left.Count > 0)
        {
            await context.Error.WriteLineAsync("warning: the secret scanner still finds: " + SecretScanner.Describe(left));
        }

        await context.Out.WriteLineAsync("wrote " + path);
    }
}
