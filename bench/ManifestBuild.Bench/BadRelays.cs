using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;

namespace ManifestBuild.Bench;

/// <summary>
/// A relay that is dead in the worst way: the kernel accepts the TCP connection (listen backlog) but
/// nothing ever answers the WebSocket upgrade, so only a timeout ends the wait.
/// </summary>
public sealed class BlackholeRelay : IDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);

    public BlackholeRelay()
    {
        listener.Start(backlog: 64); // never accepted
        Url = new Uri($"ws://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}");
    }

    public Uri Url { get; }

    public void Dispose() => listener.Stop();
}

/// <summary>
/// A TCP proxy in front of a healthy relay that answers everything <see cref="Delay"/> late: the
/// WebSocket upgrade passes at once (the relay is up), every later byte from the relay is held back.
/// </summary>
public sealed class SlowRelayProxy : IAsyncDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly Uri target;
    private readonly CancellationTokenSource stop = new();
    private readonly Task acceptLoop;

    public SlowRelayProxy(Uri target, TimeSpan delay)
    {
        this.target = target;
        Delay = delay;
        listener.Start();
        Url = new Uri($"ws://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}");
        acceptLoop = AcceptAsync();
    }

    public Uri Url { get; }

    public TimeSpan Delay { get; }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        listener.Stop();
        try
        {
            await acceptLoop;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    private async Task AcceptAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            var client = await listener.AcceptTcpClientAsync(stop.Token);
            _ = Task.Run(() => RelayAsync(client));
        }
    }

    private async Task RelayAsync(TcpClient client)
    {
        using var _ = client;
        using var server = new TcpClient();
        try
        {
            await server.ConnectAsync(target.Host, target.Port, stop.Token);
            var up = CopyAsync(client.GetStream(), server.GetStream(), delayAfterHeaders: false);
            var down = CopyAsync(server.GetStream(), client.GetStream(), delayAfterHeaders: true);
            await Task.WhenAny(up, down);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }

    /// <summary>Copies bytes; after the HTTP headers (when asked), each chunk is released Delay after it arrived.</summary>
    private async Task CopyAsync(NetworkStream from, NetworkStream to, bool delayAfterHeaders)
    {
        var chunks = Channel.CreateUnbounded<(DateTime Due, byte[] Data)>();
        var writer = Task.Run(async () =>
        {
            await foreach (var (due, data) in chunks.Reader.ReadAllAsync(stop.Token))
            {
                var wait = due - DateTime.UtcNow;
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, stop.Token); // the latency being simulated, not synchronisation
                }

                await to.WriteAsync(data, stop.Token);
            }
        });
        var headersDone = !delayAfterHeaders;
        var buffer = new byte[64 * 1024];
        int read;
        while ((read = await from.ReadAsync(buffer, stop.Token)) > 0)
        {
            var data = buffer[..read];
            var due = headersDone ? DateTime.UtcNow + Delay : DateTime.UtcNow;
            if (!headersDone && System.Text.Encoding.ASCII.GetString(data).Contains("\r\n\r\n", StringComparison.Ordinal))
            {
                headersDone = true; // the upgrade response passes undelayed; frames in the same chunk are rare
            }

            chunks.Writer.TryWrite((due, data));
        }

        chunks.Writer.TryComplete();
        await writer;
    }
}
