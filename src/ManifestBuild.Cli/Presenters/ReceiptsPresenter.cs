namespace ManifestBuild.Cli.Presenters;

/// <summary>How `dsrs receipts export | import` answer; exported receipts go to standard output only when no file is given.</summary>
internal static class ReceiptsPresenter
{
    public static Task WriteExportedAsync(CliContext context, string text, int count, string? path) =>
        path is null ? context.Out.WriteAsync(text) : context.Error.WriteLineAsync($"exported {count} receipt(s) to {path}");

    public static Task WriteImportedAsync(TextWriter output, int count, string directory) =>
        output.WriteLineAsync($"imported {count} receipt(s) into {directory}");
}
