using System.Net.WebSockets;
using System.Text;
using ManifestBuild.Nostr;
using static ManifestBuild.Relay.Tests.TestEvents;

namespace ManifestBuild.Relay.Tests;

/// <summary>A client that stops reading costs the relay bounded memory: it is disconnected, others carry on.</summary>
public sealed class EmbeddedRelaySlowClientTests
{
    [Fact]
    public async Task ClientThatStopsReading_IsDisconnected_OthersKeepWorking()
    {
        const int events = 400;
        await using var relay = await EmbeddedRelay.StartAsync(new EmbeddedRelayOptions
        {
            MaxMessageBytes = 256 * 1024,
            MaxQueuedBytesPerConnection = 256 * 1024,
        });
        var key = NostrKeyPair.Generate();
        using var stalled = new ClientWebSocket();
        using (var connect = new CancellationTokenSource(TimeSpan.FromSeconds(15)))
        {
            await stalled.ConnectAsync(relay.Url, connect.Token);
            await stalled.SendAsync(Encoding.UTF8.GetBytes($"[\"REQ\",\"flood\",{{\"authors\":[\"{key.PublicKeyHex}\"]}}]"), WebSocketMessageType.Text, true, connect.Token);
        }

        // 40 MB of live events: far more than loopback socket buffers plus the 256 KB queue.
        var content = new string('f', 100_000);
        var flood = Enumerable.Range(0, events).AsParallel().Select(i => Note(key, content + i, Now - i)).ToList();
        foreach (var e in flood)
        {
            Assert.True(relay.Publish(e).Accepted);
        }

        // Now read: what was buffered arrives, then the connection ends instead of all 400 events.
        var received = 0;
        var buffer = new byte[256 * 1024];
        using (var drain = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
        {
            try
            {
                while (true)
                {
                    var result = await stalled.ReceiveAsync(buffer, drain.Token);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        break;
                    }

                    if (result.EndOfMessage)
                    {
                        received++;
                    }
                }
            }
            catch (WebSocketException)
            {
                // Aborted by the relay: the expected end.
            }
        }

        await using var healthy = await RawRelaySocket.ConnectAsync(relay.Url);
        var ok = await healthy.PublishAsync(Note(NostrKeyPair.Generate(), "still serving"));

        Assert.InRange(received, 1, events - 1);
        Assert.True(ok.Accepted, ok.Message);
    }
}
