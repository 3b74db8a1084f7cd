using System.Diagnostics;

namespace ManifestBuild.Agent.Tests.Support;

/// <summary>An AcquireHost child on a given home and node: started, waited for READY, told to go, read to its result line.</summary>
public sealed class AcquireHostProcess : IAsyncDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private readonly Process process;

    private AcquireHostProcess(Process process) => this.process = process;

    public static async Task<AcquireHostProcess> StartAsync(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "ManifestBuild.Agent.AcquireHost.dll"));
        foreach (var arg in args)
        {
            psi.ArgumentList.Add(arg);
        }

        psi.Environment.Remove("DSRS_NO_PAY");
        foreach (var (key, value) in environment)
        {
            psi.Environment[key] = value;
        }

        var process = Process.Start(psi)!;
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        var child = new AcquireHostProcess(process);
        Assert.Equal("READY", await child.ReadLineAsync());
        return child;
    }

    public async Task GoAsync()
    {
        await process.StandardInput.WriteLineAsync("go");
        await process.StandardInput.FlushAsync();
    }

    /// <summary>The DONE or ERROR line.</summary>
    public Task<string> ResultAsync() => ReadLineAsync();

    /// <summary>The child's next line on standard output (bounded).</summary>
    public async Task<string> ReadLineAsync()
    {
        using var timeout = new CancellationTokenSource(Timeout);
        return await process.StandardOutput.ReadLineAsync(timeout.Token) ?? throw new InvalidOperationException("the child ended without a line; exit " + (process.HasExited ? process.ExitCode : -1));
    }

    public ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit((int)Timeout.TotalMilliseconds);
        }

        process.Dispose();
        return ValueTask.CompletedTask;
    }
}
