namespace ManifestBuild.Cli.Presenters;

/// <summary>How `dsrs init` says what it changed, one line each, and warns when the feed holds no package yet.</summary>
internal static class InitPresenter
{
    public static async Task WriteAsync(CliContext context, IReadOnlyList<string> changes, string? emptyFeed, string packageId)
    {
        foreach (var line in changes)
        {
            await context.Out.WriteLineAsync(line);
        }

        if (emptyFeed is not null)
        {
            await context.Error.WriteLineAsync($"warning: {emptyFeed} holds no {packageId} package yet; pack it there first (docs/getting-started.md §1)");
        }
    }
}
