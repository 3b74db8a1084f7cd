using System.Diagnostics;
using ManifestBuild.Nostr;
using ManifestBuild.Relay;

namespace ManifestBuild.Bench;

/// <summary>
/// The embedded relay in a process of its own, as a real relay would be: its work and its garbage
/// are not the measured client's. Started from a data file of events (loaded without re-verifying
/// signatures, as the relay does at every start), stopped by closing its standard input.
/// </summary>
public sealed class RelayProcess : IAsyncDisposable
{
    private const string ReadyPrefix = "@@relay ";
    private readonly Process process;

    private RelayProcess(Process process, Uri url)
    {
        this.process = process;
        Url = url;
    }

    public Uri Url { get; }

    /// <summary>Child side: serve <paramref name="dataDirectory"/> until standard input closes.</summary>
    public static async Task<int> ServeAsync(string dataDirectory, int maxLimit)
    {
        await using var relay = await EmbeddedRelay.StartAsync(new EmbeddedRelayOptions { DataPath = dataDirectory, MaxLimit = maxLimit }, CancellationToken.None);
        Console.WriteLine(ReadyPrefix + relay.Url);
        await Console.In.ReadToEndAsync();
        return 0;
    }

    /// <summary>Writes <paramref name="events"/> as the relay's data file and starts a relay process serving them.</summary>
    public static async Task<RelayProcess> StartAsync(IEnumerable<NostrEvent> events, string dataDirectory, int maxLimit, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(dataDirectory);
        await File.WriteAllLinesAsync(Path.Combine(dataDirectory, "events.jsonl"), events.Select(NostrJson.SerializeEvent), cancellationToken);
        var psi = Peers.Self(["--relay", dataDirectory, maxLimit.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        psi.RedirectStandardInput = true;
        psi.RedirectStandardError = false;
        var process = Process.Start(psi)!;
        try
        {
            using var startup = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            startup.CancelAfter(TimeSpan.FromMinutes(2));
            while (await process.StandardOutput.ReadLineAsync(startup.Token) is { } line)
            {
                if (line.StartsWith(ReadyPrefix, StringComparison.Ordinal))
                {
                    return new RelayProcess(process, new Uri(line[ReadyPrefix.Length..]));
                }
            }

            throw new InvalidOperationException($"the relay process exited with {(process.HasExited ? process.ExitCode : -1)} before serving");
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            process.StandardInput.Close();
            using var exit = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await process.WaitForExitAsync(exit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
        }
        finally
        {
            process.Dispose();
        }
    }
}
