using System.Diagnostics;

namespace ManifestBuild.Tasks.Tests.Support;

/// <summary>A ResolveHost child whose stdout is read line by line; killed with SIGKILL (no finally, no flush).</summary>
public sealed class ResolveHostProcess : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    private readonly Process process;

    private ResolveHostProcess(Process process) => this.process = process;

    public static ResolveHostProcess Start(string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "ManifestBuild.Tasks.ResolveHost.dll"));
        foreach (var arg in args)
        {
            psi.ArgumentList.Add(arg);
        }

        var process = Process.Start(psi)!;
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        return new ResolveHostProcess(process);
    }

    public async Task<string> ReadLineAsync()
    {
        using var cts = new CancellationTokenSource(Timeout);
        return await process.StandardOutput.ReadLineAsync(cts.Token)
            ?? throw new InvalidOperationException($"the resolve host exited (code {(process.HasExited ? process.ExitCode : -1)}) before saying what the test waited for");
    }

    public async Task<string> ReadUntilAsync(string prefix)
    {
        var seen = new List<string>();
        while (true)
        {
            var line = await ReadLineAsync();
            if (line.StartsWith(prefix, StringComparison.Ordinal))
            {
                // The failures, if any, go with the line so that an assertion on it shows them.
                return string.Join(" | ", seen.Where(l => l.StartsWith("FAILED", StringComparison.Ordinal)).Prepend(line));
            }

            seen.Add(line);
        }
    }

    public void Kill()
    {
        process.Kill();
        process.WaitForExit((int)Timeout.TotalMilliseconds);
    }

    public void Dispose()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

        process.Dispose();
    }
}
