using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using ManifestBuild.Nostr;
using ManifestBuild.Nostr.Relays;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ManifestBuild.Bench.Figures;

/// <summary>
/// Figure 7 (flood): a relay answers a REQ with 1,000,000 junk events as fast as it can. The pool's
/// memory must stay bounded by its own limits, not by what the relay sends.
/// </summary>
public sealed class FloodFigure : IFigure
{
    public string Name => "flood";

    public string Title => "memory while a relay floods the pool with junk events";

    public async Task<IReadOnlyList<Row>> RunAsync(BenchOptions options, CancellationToken cancellationToken)
    {
        var junk = options.Size(1_000_000, 100_000);
        var sent = 0L;
        await using var app = await StartFloodingRelayAsync(junk, () => Interlocked.Increment(ref sent), cancellationToken);
        var url = new Uri(app.Urls.First().Replace("http://", "ws://", StringComparison.Ordinal));

        GC.Collect();
        var before = Process.GetCurrentProcess().WorkingSet64;
        var poolOptions = new RelayPoolOptions();
        await using var pool = new RelayPool([url], poolOptions);
        var clock = Stopwatch.StartNew();
        var result = await pool.QueryAsync([new NostrFilter { Kinds = [31990] }], TimeSpan.FromSeconds(options.Size(60, 20)), cancellationToken);
        var elapsed = clock.Elapsed;
        var peak = Process.GetCurrentProcess().PeakWorkingSet64;
        var report = result.Relays.Single();
        if (result.Events.Count != 0)
        {
            throw new InvalidOperationException($"the pool returned {result.Events.Count} junk events");
        }

        Console.WriteLine($"relay sent {Interlocked.Read(ref sent):N0} of {junk:N0} junk events; pool: {report}");
        return
        [
            new Row(Name, $"peak working set while flooded ({junk:N0} junk events offered)", peak / 1048576.0, "MiB", "working set before the query", before / 1048576.0),
            new Row(Name, "junk events the pool read before cutting the relay off", report.EventsReceived, "events", "pool limit MaxEventsPerRelay", poolOptions.MaxEventsPerRelay),
            new Row(Name, "time until the pool returned", elapsed.TotalMilliseconds, "ms"),
        ];
    }

    private static async Task<WebApplication> StartFloodingRelayAsync(int junk, Action onSent, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.UseWebSockets();
        app.Run(async context =>
        {
            if (!context.WebSockets.IsWebSocketRequest)
            {
                context.Response.StatusCode = 400;
                return;
            }

            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            var buffer = new byte[64 * 1024];
            var received = await socket.ReceiveAsync(buffer, context.RequestAborted);
            var request = Encoding.UTF8.GetString(buffer, 0, received.Count);
            var subscription = request.Split('"')[3]; // ["REQ","<sub>",...]
            var random = new Random(7);
            try
            {
                for (var i = 0; i < junk; i++)
                {
                    // Well-formed events whose ids do not match their fields: cheap to send, must be rejected.
                    var hex = RandomHex(random, 64);
                    var message = $"[\"EVENT\",\"{subscription}\",{{\"id\":\"{hex}\",\"pubkey\":\"{hex}\",\"created_at\":{1764000000 + i},\"kind\":31990,\"tags\":[[\"d\",\"junk{i}\"]],\"content\":\"{new string('x', 200)}\",\"sig\":\"{hex}{hex}\"}}]";
                    await socket.SendAsync(Encoding.UTF8.GetBytes(message), WebSocketMessageType.Text, true, context.RequestAborted);
                    onSent();
                }

                await socket.SendAsync(Encoding.UTF8.GetBytes($"[\"EOSE\",\"{subscription}\"]"), WebSocketMessageType.Text, true, context.RequestAborted);
                await socket.ReceiveAsync(buffer, context.RequestAborted);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException)
            {
                // The pool hung up on the flood: that is the point.
            }
        });
        await app.StartAsync(cancellationToken);
        return app;
    }

    private static string RandomHex(Random random, int length)
    {
        var bytes = new byte[length / 2];
        random.NextBytes(bytes);
        return Convert.ToHexStringLower(bytes);
    }
}
