using System.Diagnostics;
using System.Text;

namespace ManifestBuild.Tasks.Tests.Support;

public sealed record DotnetResult(int ExitCode, string Output)
{
    public DotnetResult EnsureSuccess(string what)
    {
        if (ExitCode != 0)
        {
            throw new InvalidOperationException($"{what} failed with exit code {ExitCode}:\n{Output}");
        }

        return this;
    }
}

/// <summary>
/// Runs the dotnet CLI as a user would, in a clean environment: no node reuse (so no MSBuild node
/// outlives the test with our task assembly loaded), no telemetry, and none of the MSBuild variables
/// that `dotnet test` sets for its own build leaking into the child build.
/// </summary>
public static class DotnetProcess
{
    public static Task<DotnetResult> RunAsync(string workingDirectory, IEnumerable<string> args, IReadOnlyDictionary<string, string?> environment, TimeSpan timeout) =>
        RunAsync("dotnet", workingDirectory, args, environment, timeout);

    /// <summary>
    /// Runs dotnet inside a pseudo-terminal (util-linux `script`), so that the terminal logger really
    /// renders (-tl:on in a terminal): what a user sees, ANSI sequences included.
    /// </summary>
    public static Task<DotnetResult> RunInTerminalAsync(string workingDirectory, IEnumerable<string> args, IReadOnlyDictionary<string, string?> environment, TimeSpan timeout)
    {
        var command = "dotnet " + string.Join(' ', args.Select(a => "'" + a.Replace("'", "'\\''") + "'"));
        return RunAsync("script", workingDirectory, ["-qec", command, "/dev/null"], environment, timeout);
    }

    private static async Task<DotnetResult> RunAsync(string program, string workingDirectory, IEnumerable<string> args, IReadOnlyDictionary<string, string?> environment, TimeSpan timeout)
    {
        var psi = new ProcessStartInfo(program)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var arg in args)
        {
            psi.ArgumentList.Add(arg);
        }

        foreach (var key in psi.Environment.Keys.ToArray())
        {
            if (key.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase) || key.StartsWith("DSRS_", StringComparison.Ordinal)
                || key is "DOTNET_HOST_PATH" or "VSTEST_HOST_DEBUG" || key.StartsWith("VSTEST", StringComparison.Ordinal))
            {
                psi.Environment.Remove(key);
            }
        }

        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        psi.Environment["DOTNET_NOLOGO"] = "1";
        psi.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        psi.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        psi.Environment["DOTNET_CLI_UI_LANGUAGE"] = "en";
        foreach (var (key, value) in environment)
        {
            if (value is null)
            {
                psi.Environment.Remove(key);
            }
            else
            {
                psi.Environment[key] = value;
            }
        }

        using var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start dotnet");
        process.StandardInput.Close();
        var output = new StringBuilder();
        var stdout = PumpAsync(process.StandardOutput, output);
        var stderr = PumpAsync(process.StandardError, output);
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', args)} did not finish within {timeout}:\n{output}");
        }

        await Task.WhenAll(stdout, stderr);
        return new DotnetResult(process.ExitCode, output.ToString());
    }

    private static async Task PumpAsync(StreamReader reader, StringBuilder sink)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            lock (sink)
            {
                sink.AppendLine(line);
            }
        }
    }
}
