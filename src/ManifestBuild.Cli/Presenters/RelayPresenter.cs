using ManifestBuild.Relay;

namespace ManifestBuild.Cli.Presenters;

/// <summary>How `dsrs relay` says where it listens, where it keeps events, and that it stopped.</summary>
internal static class RelayPresenter
{
    public static async Task WriteListeningAsync(TextWriter output, EmbeddedRelay relay, string? dataPath)
    {
        await output.WriteLineAsync($"relay listening on {relay.Url.ToString().TrimEnd('/')}");
        await output.WriteLineAsync(dataPath is null
            ? "events are kept in memory only (use --data DIR to keep them)"
            : $"events file: {Path.Combine(dataPath, "events.jsonl")} ({relay.EventCount} events loaded"
                + (relay.SkippedOnReplay > 0 ? $", {relay.SkippedOnReplay} damaged lines skipped)" : ")"));
        await output.WriteLineAsync("press Ctrl+C to stop");
        await output.FlushAsync(CancellationToken.None);
    }

    public static Task WriteStoppedAsync(TextWriter output) => output.WriteLineAsync("relay stopped");
}
