using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace ManifestBuild.Nostr.Tests.Fakes;

/// <summary>
/// A WebSocket server written on a bare TcpListener so a test can misbehave at any byte: skip or
/// stall the handshake, send frames one byte at a time, lie about frame lengths, cut the stream.
/// Loopback only; every connection and task is stopped on dispose.
/// </summary>
public sealed class RawWebSocketServer : IAsyncDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource stop = new();
    private readonly Func<RawConnection, CancellationToken, Task> behavior;
    private readonly List<Task> connections = [];
    private readonly Task acceptLoop;

    public RawWebSocketServer(Func<RawConnection, CancellationToken, Task> behavior)
    {
        this.behavior = behavior;
        listener.Start();
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        acceptLoop = Task.Run(AcceptLoopAsync);
    }

    public int Port { get; }

    public string Url => $"ws://127.0.0.1:{Port}";

    public int ConnectionCount { get; private set; }

    private async Task AcceptLoopAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            TcpClient tcp;
            try
            {
                tcp = await listener.AcceptTcpClientAsync(stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            lock (connections)
            {
                ConnectionCount++;
                connections.Add(Task.Run(() => RunConnectionAsync(tcp)));
            }
        }
    }

    private async Task RunConnectionAsync(TcpClient tcp)
    {
        using (tcp)
        {
            tcp.NoDelay = true;
            var connection = new RawConnection(tcp.GetStream());
            try
            {
                await behavior(connection, stop.Token);
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException or EndOfStreamException)
            {
                // The client went away or the server is stopping.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        stop.Cancel();
        listener.Stop();
        await acceptLoop;
        Task[] running;
        lock (connections)
        {
            running = connections.ToArray();
        }

        await Task.WhenAll(running).WaitAsync(TimeSpan.FromSeconds(10));
    }
}

/// <summary>One accepted TCP connection with WebSocket helpers (server side: unmasked frames out, masked in).</summary>
public sealed class RawConnection(NetworkStream stream)
{
    public NetworkStream Stream { get; } = stream;

    /// <summary>Reads the HTTP upgrade request (headers only).</summary>
    public async Task<string> ReadRequestAsync(CancellationToken token)
    {
        var bytes = new List<byte>();
        var one = new byte[1];
        while (bytes.Count < 16384)
        {
            if (await Stream.ReadAsync(one, token) == 0)
            {
                throw new EndOfStreamException();
            }

            bytes.Add(one[0]);
            if (bytes.Count >= 4 && bytes[^1] == '\n' && bytes[^2] == '\r' && bytes[^3] == '\n' && bytes[^4] == '\r')
            {
                break;
            }
        }

        return Encoding.ASCII.GetString(bytes.ToArray());
    }

    /// <summary>Reads the upgrade request and answers 101 Switching Protocols.</summary>
    public async Task AcceptAsync(CancellationToken token)
    {
        var request = await ReadRequestAsync(token);
        var key = request.Split("\r\n").Select(l => l.Split(':', 2)).First(p => p.Length == 2 && p[0].Trim().Equals("Sec-WebSocket-Key", StringComparison.OrdinalIgnoreCase))[1].Trim();
        var accept = Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")));
        var response = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: " + accept + "\r\n\r\n";
        await Stream.WriteAsync(Encoding.ASCII.GetBytes(response), token);
    }

    /// <summary>Reads one client frame's text (the .NET client sends each message as one masked frame). Null on close.</summary>
    public async Task<string?> ReadTextAsync(CancellationToken token)
    {
        while (true)
        {
            var header = await ReadExactAsync(2, token);
            var opcode = header[0] & 0x0F;
            long length = header[1] & 0x7F;
            if (length == 126)
            {
                var ext = await ReadExactAsync(2, token);
                length = (ext[0] << 8) | ext[1];
            }
            else if (length == 127)
            {
                var ext = await ReadExactAsync(8, token);
                length = 0;
                foreach (var b in ext)
                {
                    length = (length << 8) | b;
                }
            }

            var mask = (header[1] & 0x80) != 0 ? await ReadExactAsync(4, token) : null;
            var payload = await ReadExactAsync((int)length, token);
            if (mask is not null)
            {
                for (var i = 0; i < payload.Length; i++)
                {
                    payload[i] ^= mask[i % 4];
                }
            }

            switch (opcode)
            {
                case 0x8:
                    return null;
                case 0x9:
                    await SendFrameAsync(0xA, payload, token);
                    continue;
                case 0x1:
                    return Encoding.UTF8.GetString(payload);
                default:
                    continue;
            }
        }
    }

    public Task SendTextAsync(string text, CancellationToken token) => SendFrameAsync(0x1, Encoding.UTF8.GetBytes(text), token);

    public static byte[] Frame(int opcode, byte[] payload) => [.. FrameHeader(opcode, payload.Length), .. payload];

    public static byte[] FrameHeader(int opcode, long length)
    {
        var header = new List<byte> { (byte)(0x80 | opcode) };
        if (length < 126)
        {
            header.Add((byte)length);
        }
        else if (length <= ushort.MaxValue)
        {
            header.Add(126);
            header.Add((byte)(length >> 8));
            header.Add((byte)length);
        }
        else
        {
            header.Add(127);
            for (var shift = 56; shift >= 0; shift -= 8)
            {
                header.Add((byte)(length >> shift));
            }
        }

        return header.ToArray();
    }

    public async Task SendFrameAsync(int opcode, byte[] payload, CancellationToken token)
    {
        await Stream.WriteAsync(Frame(opcode, payload), token);
        await Stream.FlushAsync(token);
    }

    private async Task<byte[]> ReadExactAsync(int count, CancellationToken token)
    {
        var buffer = new byte[count];
        await Stream.ReadExactlyAsync(buffer, token);
        return buffer;
    }
}
