using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using ManifestBuild.Format.Json;
using ManifestBuild.Lightning.Dev;
using ManifestBuild.Market.L402;
using ManifestBuild.TestSupport;
using Xunit.Abstractions;

namespace ManifestBuild.Seller.Tests;

/// <summary>
/// One abusive address (1,000 idle connections and a slow header trickle from 127.0.0.1) does not lock
/// out a buyer at another address (127.0.0.2: Linux routes all of 127/8 to loopback).
/// </summary>
public sealed class SellerAbuseTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int IdleConnections = 1000;
    private const int PerAddress = 16;
    private static readonly TimeSpan HeaderTimeout = TimeSpan.FromSeconds(2);
    private static readonly IPAddress Abuser = IPAddress.Loopback;
    private static readonly IPAddress Buyer = IPAddress.Parse("127.0.0.2");
    private readonly TempDirectory root = new("seller-abuse");
    private readonly List<Socket> sockets = [];
    private SellerServer server = null!;
    private DevNode buyerNode = null!;
    private string id = string.Empty;

    public async Task InitializeAsync()
    {
        var folder = root.Combine("sell");
        Directory.CreateDirectory(folder);
        var manifest = SellerEndpointTests.Manifest("abused");
        id = manifest.GetString("compiled_id")!;
        File.WriteAllText(Path.Combine(folder, "m.json"), JsonWriter.WriteFile(manifest));
        File.WriteAllText(Path.Combine(folder, "prices.json"), "{\"default\": 1500}");
        buyerNode = DevNode.Open("buyer", root.Combine("devnet"));
        server = await SellerServer.StartAsync(new SellerServerOptions
        {
            ManifestsDirectory = folder,
            Node = DevNode.Open("seller", root.Combine("devnet")),
            Home = root.Combine("home"),
            MaxConnectionsPerAddress = PerAddress,
            RequestHeadersTimeout = HeaderTimeout,
        });
    }

    public async Task DisposeAsync()
    {
        foreach (var socket in sockets)
        {
            socket.Dispose();
        }

        await server.DisposeAsync();
        root.Dispose();
    }

    private async Task<Socket> ConnectFromAsync(IPAddress from)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        sockets.Add(socket);
        socket.Bind(new IPEndPoint(from, 0));
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, server.Url.Port));
        return socket;
    }

    /// <summary>Completes when the server closes the connection (a read returns 0 or fails).</summary>
    private static async Task ClosedByServerAsync(Socket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[1024];
        try
        {
            while (await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken) > 0)
            {
            }
        }
        catch (SocketException)
        {
            // reset: closed too
        }
    }

    /// <summary>An idle connection from the abuser; the task completes when the server has closed it.</summary>
    private async Task<Task> IdleAsync(CancellationToken cancellationToken)
    {
        try
        {
            return ClosedByServerAsync(await ConnectFromAsync(Abuser), cancellationToken);
        }
        catch (SocketException)
        {
            return Task.CompletedTask; // reset while connecting: the server closed it at once
        }
    }

    [Fact]
    public async Task Idle_connections_and_a_trickle_from_one_address_do_not_lock_out_a_buyer()
    {
        using var abuse = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        // The trickle: a request line sent a byte at a time, never finishing its headers.
        var trickle = await ConnectFromAsync(Abuser);
        var trickleClosed = ClosedByServerAsync(trickle, abuse.Token);
        var trickling = Task.Run(async () =>
        {
            var bytes = Encoding.ASCII.GetBytes("GET /manifests/" + id + " HTTP/1.1\r\nHost: seller\r\nX-Slow: " + new string('a', 200));
            foreach (var b in bytes)
            {
                if (trickleClosed.IsCompleted)
                {
                    return;
                }

                await trickle.SendAsync(new[] { b }, SocketFlags.None);
                await Task.Delay(100, abuse.Token); // the pace of the attack, not a synchronisation
            }
        });

        // 1,000 idle connections from the same address.
        var idle = new List<Task>();
        for (var i = 0; i < IdleConnections; i++)
        {
            idle.Add(await IdleAsync(abuse.Token));
        }

        // The buyer at another address: 402, pay, 200, within a bound.
        var clock = Stopwatch.StartNew();
        using var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, ct) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                socket.Bind(new IPEndPoint(Buyer, 0));
                await socket.ConnectAsync(context.DnsEndPoint, ct);
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(10) };
        using var challenged = await http.GetAsync(server.ManifestUrl(id));
        Assert.Equal(HttpStatusCode.PaymentRequired, challenged.StatusCode);
        var challenge = L402Challenge.Parse(challenged.Headers.GetValues("WWW-Authenticate"));
        var paid = await buyerNode.PayAsync(challenge.Invoice, 0, CancellationToken.None);
        using var request = new HttpRequestMessage(HttpMethod.Get, server.ManifestUrl(id));
        request.Headers.TryAddWithoutValidation("Authorization", $"L402 {challenge.Token}:{paid.PreimageHex}");
        using var delivered = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, delivered.StatusCode);
        var bought = clock.Elapsed;
        output.WriteLine($"buyer bought in {bought.TotalMilliseconds:0} ms while 127.0.0.1 held {IdleConnections} idle connections and a trickle");
        Assert.True(bought < TimeSpan.FromSeconds(10), $"the buyer took {bought}"); // 2.3 s measured at load average 48 on 2 cores

        // The abuser kept at most its budget: all but PerAddress - 1 idle connections (the trickle holds one) were closed.
        var expectClosed = IdleConnections - (PerAddress - 1);
        var closed = 0;
        var enough = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        foreach (var task in idle)
        {
            _ = task.ContinueWith(_ => { if (Interlocked.Increment(ref closed) >= expectClosed) { enough.TrySetResult(); } }, TaskScheduler.Default);
        }

        await enough.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(server.ConnectionsRefused >= expectClosed, $"refused {server.ConnectionsRefused}");

        // The trickle is cut off by the header timeout, long before it would have finished.
        await trickleClosed.WaitAsync(HeaderTimeout + TimeSpan.FromSeconds(10));
        Assert.False(trickling.IsCompletedSuccessfully && !trickleClosed.IsCompleted);
        await abuse.CancelAsync();
        await Task.WhenAll(idle.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default)));
        await trickling.ContinueWith(_ => { }, TaskScheduler.Default);
    }
}
