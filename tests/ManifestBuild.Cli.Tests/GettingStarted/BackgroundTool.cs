using System.Diagnostics;
using System.Text;

namespace ManifestBuild.Cli.Tests.GettingStarted;

/// <summary>
/// A long-running command (`dsrs relay`, `dsrs serve`) started as a user would in the background:
/// its output is collected, a line with a given prefix is awaited with a timeout, and disposing
/// stops it (and only it).
/// </summary>
public sealed class BackgroundTool : IDisposable
{
    private readonly Process process;
    private readonly StringBuilder output = new();
    private readonly List<(string Prefix, TaskCompletionSource<string> Seen)> waits = [];

    private BackgroundTool(Process process)
    {
        this.process = process;
    }

    public static BackgroundTool Start(string executable, string directory, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var psi = new ProcessStartInfo(executable) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            psi.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in environment)
        {
            psi.Environment[key] = value;
        }

        var tool = new BackgroundTool(new Process { StartInfo = psi });
        tool.process.OutputDataReceived += (_, e) => tool.OnLine(e.Data);
        tool.process.ErrorDataReceived += (_, e) => tool.OnLine(e.Data);
        tool.process.Start();
        tool.process.BeginOutputReadLine();
        tool.process.BeginErrorReadLine();
        return tool;
    }

    /// <summary>Runs a short command to its end (bounded by the timeout) and returns its exit code and output.</summary>
    public static async Task<(int Exit, string Output)> RunAsync(string executable, string directory, IReadOnlyDictionary<string, string> environment, TimeSpan timeout, params string[] args)
    {
        using var tool = Start(executable, directory, environment, args);
        tool.process.StandardInput.Close();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await tool.process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{executable} {string.Join(' ', args)} did not finish within {timeout}:\n{tool.Output}");
        }

        // WaitForExit without a timeout also waits for the redirected output to be read to its end.
        tool.process.WaitForExit();
        return (tool.process.ExitCode, tool.Output);
    }

    public string Output
    {
        get
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    /// <summary>The first line starting with the prefix (already printed or still to come).</summary>
    public async Task<string> WaitForLineAsync(string prefix, TimeSpan timeout)
    {
        var seen = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (output)
        {
            var existing = output.ToString().Split('\n').FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal));
            if (existing is not null)
            {
                return existing.TrimEnd('\r');
            }

            waits.Add((prefix, seen));
        }

        try
        {
            return await seen.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"no line starting '{prefix}' within {timeout}; output so far:\n{Output}");
        }
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
            foreach (var (prefix, seen) in waits.Where(w => line.StartsWith(w.Prefix, StringComparison.Ordinal)).ToList())
            {
                seen.TrySetResult(line);
            }
        }
    }

    public void Dispose()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(TimeSpan.FromSeconds(30));
        }

        process.Dispose();
    }
}
