using System.Diagnostics;
using System.Text;

namespace ManifestBuild.TestSupport;

/// <summary>
/// A real, independently written Nostr relay for interop tests: tests/interop/relay-real.mjs
/// (@nostr-relay/core 0.0.40 + SQLite + validator on ws 8) started with node on a free 127.0.0.1
/// port. Dispose kills it. Its stdin stays open while it runs; the script exits when stdin closes,
/// so a test process that dies never leaves it behind.
/// </summary>
public sealed class RealNostrRelay : IAsyncDisposable
{
    private readonly Process process;
    private readonly StringBuilder stderr;

    private RealNostrRelay(Process process, int port, StringBuilder stderr)
    {
        this.process = process;
        this.stderr = stderr;
        Port = port;
        Url = new Uri($"ws://127.0.0.1:{port}");
    }

    public Uri Url { get; }

    public int Port { get; }

    /// <summary>What the relay wrote to stderr so far (for failure messages).</summary>
    public string ErrorOutput
    {
        get
        {
            lock (stderr)
            {
                return stderr.ToString();
            }
        }
    }

    /// <summary>Starts the relay (in-memory SQLite unless a database file is given) and waits for "ready &lt;port&gt;".</summary>
    public static async Task<RealNostrRelay> StartAsync(string? databaseFile = null, TimeSpan? timeout = null)
    {
        await NodeScript.EnsureInstalledAsync();
        var psi = new ProcessStartInfo("node")
        {
            WorkingDirectory = RepoPaths.Interop,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        psi.ArgumentList.Add(Path.Combine(RepoPaths.Interop, "relay-real.mjs"));
        psi.ArgumentList.Add("0");
        if (databaseFile is not null)
        {
            psi.ArgumentList.Add(databaseFile);
        }

        var stderr = new StringBuilder();
        var ready = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = new Process { StartInfo = psi, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { } line && line.StartsWith("ready ", StringComparison.Ordinal) && int.TryParse(line.AsSpan(6), out var port))
            {
                ready.TrySetResult(port);
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (stderr)
                {
                    stderr.AppendLine(e.Data);
                }
            }
        };
        process.Exited += (_, _) => ready.TrySetException(new InvalidOperationException("relay-real.mjs exited before it was ready:\n" + stderr));
        if (!process.Start())
        {
            throw new InvalidOperationException("could not start node for relay-real.mjs");
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            var port = await ready.Task.WaitAsync(timeout ?? TimeSpan.FromSeconds(30));
            return new RealNostrRelay(process, port, stderr);
        }
        catch
        {
            Kill(process);
            process.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Kill(process);
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10)))
        {
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                // Killed but not reaped within the bound; the OS finishes it.
            }
        }

        process.Dispose();
    }

    private static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }
}
