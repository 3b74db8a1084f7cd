using ManifestBuild.Format;
using ManifestBuild.Format.Caching;
using ManifestBuild.Format.Json;

namespace ManifestBuild.Cli.Presenters;

/// <summary>How `dsrs cache list | verify | add` show the cache: each entry, each problem (on the error stream), the counts.</summary>
internal static class FormatPresenter
{
    /// <summary>One line (or JSON row) per verified entry; a corrupt entry's problem goes to the error stream.</summary>
    public static async Task WriteCacheListAsync(CliContext context, IReadOnlyList<(string Id, CacheLookup Lookup, string Path)> entries, bool json)
    {
        var rows = new JsonArray();
        foreach (var (id, lookup, path) in entries)
        {
            if (lookup.Manifest is { } manifest)
            {
                if (json)
                {
                    rows.Add(new JsonObject().Add("compiled_id", id).Add("signature_name", manifest.SignatureName).Add("family", manifest.Family ?? string.Empty).Add("path", path));
                }
                else
                {
                    await context.Out.WriteLineAsync($"{id} {manifest.SignatureName}");
                }
            }
            else if (lookup.Problem is { } problem)
            {
                await context.Error.WriteLineAsync(problem.ToString());
            }
        }

        if (json)
        {
            await context.Out.WriteAsync(JsonWriter.WriteFile(rows));
        }
    }

    public static async Task WriteCacheVerifiedAsync(CliContext context, int count, IReadOnlyList<DsrsException> problems)
    {
        foreach (var problem in problems)
        {
            await context.Error.WriteLineAsync(problem.ToString());
        }

        await context.Out.WriteLineAsync($"{count - problems.Count} of {count} entries verified");
    }

    public static Task WriteCachedAsync(TextWriter output, string path) => output.WriteLineAsync(path);
}
