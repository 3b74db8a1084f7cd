using System.Globalization;

namespace ManifestBuild.Cli.Presenters;

/// <summary>How the content-id verbs (ContentIdVerbs: `id`, `verify`, and every export's file) answer, for any kind.</summary>
internal static class ContentIdPresenter
{
    public static Task WriteIdAsync(TextWriter output, string id) => output.WriteLineAsync(id);

    public static Task WriteIdStoredAsync(TextWriter error, string idName, string path, string? stated, string id) =>
        error.WriteLineAsync($"wrote {path}: {idName} {stated ?? "(none)"} -> {id}");

    public static Task WriteIdNoteAsync(TextWriter error, string idName, string idVerb, string path, string? stated) =>
        error.WriteLineAsync($"note: the file states {idName} {stated ?? "(none)"}; `{idVerb} --write {path}` stores this one");

    public static Task WriteVerifiedAsync(TextWriter output, string id, string summary) => output.WriteLineAsync($"ok {id} {summary}");

    /// <summary>What an export or import wrote: to standard output when <paramref name="output"/> is null, else the line naming the file.</summary>
    public static async Task WriteOutputAsync(TextWriter console, string text, string? output, string note)
    {
        if (output is null)
        {
            await console.WriteAsync(text);
            return;
        }

        await console.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"wrote {Path.GetFullPath(output)} {note}"));
    }
}
