using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;

namespace ManifestBuild.Bench;

/// <summary>
/// A loopback TCP proxy that makes a local server look <see cref="OneWay"/> away: a new connection
/// costs one round trip before its first byte passes (the TCP handshake a real network charges), and
/// every chunk, in either direction, arrives <see cref="OneWay"/> after it was sent. Latency only:
/// the bandwidth is loopback's.
/// </summary>
public sealed class LatencyProxy : IAsyncDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly Uri target;
    private readonly CancellationTokenSource stop = new();
    private readonly Task acceptLoop;
    private int connections;

    public LatencyProxy(Uri target, TimeSpan oneWay)
    {
        this.target = target;
        OneWay = oneWay;
        listener.Start(backlog: 512);
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        acceptLoop = AcceptAsync();
    }

    public TimeSpan OneWay { get; }

    public int Port { get; }

    /// <summary>How many connections clients opened through this proxy (each paid a handshake's round trip).</summary>
    public int Connections => Volatile.Read(ref connections);

    /// <summary>The proxied URL: the target's scheme and path, this proxy's port.</summary>
    public Uri Url => new UriBuilder(target) { Host = "127.0.0.1", Port = Port }.Uri;

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

        stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            var client = await listener.AcceptTcpClientAsync(stop.Token);
            Interlocked.Increment(ref connections);
            _ = Task.Run(() => ForwardAsync(client));
        }
    }

    private async Task ForwardAsync(TcpClient client)
    {
        using var _ = client;
        using var server = new TcpClient { NoDelay = true };
        client.NoDelay = true;
        try
        {
            // The handshake's round trip: what the client sends meanwhile waits in the socket buffer.
            await Task.Delay(OneWay * 2, stop.Token);
            await server.ConnectAsync(target.Host, target.Port, stop.Token);
            var up = CopyAsync(client.GetStream(), server.GetStream());
            var down = CopyAsync(server.GetStream(), client.GetStream());
            await Task.WhenAny(up, down);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }

    /// <summary>Copies bytes, each chunk released <see cref="OneWay"/> after it was read (in order).</summary>
    private async Task CopyAsync(NetworkStream from, NetworkStream to)
    {
        var chunks = Channel.CreateUnbounded<(DateTime Due, byte[] Data)>();
        var writer = Task.Run(async () =>
        {
            await foreach (var (due, data) in chunks.Reader.ReadAllAsync(stop.Token))
            {
                var wait = due - DateTime.UtcNow;
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, stop.Token); // the simulated latency, not synchronisation
                }

                await to.WriteAsync(data, stop.Token);
            }
        });
        var buffer = new byte[64 * 1024];
        int read;
        while ((read = await from.ReadAsync(buffer, stop.Token)) > 0)
        {
            chunks.Writer.TryWrite((DateTime.UtcNow + OneWay, buffer[..read]));
        }

        chunks.Writer.TryComplete();
        await writer;
    }
}
