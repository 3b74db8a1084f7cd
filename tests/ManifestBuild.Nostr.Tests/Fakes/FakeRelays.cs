using System.Collections.Concurrent;
using System.Text.Json;

namespace ManifestBuild.Nostr.Tests.Fakes;

/// <summary>Relay behaviours for <see cref="RawWebSocketServer"/>: one honest, the rest hostile in one way each.</summary>
public static class FakeRelays
{
    /// <summary>A minimal honest relay: stores EVENTs (OK true, or "duplicate:"), answers REQ with matches newest first, then EOSE.</summary>
    public static RawWebSocketServer Honest(IEnumerable<NostrEvent> stored, Func<NostrEvent, RelayOkMessage?>? judge = null)
    {
        var events = new ConcurrentDictionary<string, NostrEvent>(stored.ToDictionary(e => e.Id));
        return new RawWebSocketServer(async (c, token) =>
        {
            await c.AcceptAsync(token);
            while (await c.ReadTextAsync(token) is { } text)
            {
                if (!NostrJson.TryParseClientMessage(text, out var message, out var error))
                {
                    await c.SendTextAsync(NostrJson.Serialize(new RelayNoticeMessage("error: " + error)), token);
                    continue;
                }

                switch (message)
                {
                    case ClientReqMessage req:
                        var matching = events.Values.Where(e => NostrFilter.MatchesAny(req.Filters, e)).OrderByDescending(e => e.CreatedAt).ToList();
                        foreach (var e in matching)
                        {
                            await c.SendTextAsync(NostrJson.Serialize(new RelayEventMessage(req.SubscriptionId, e)), token);
                        }

                        await c.SendTextAsync(NostrJson.Serialize(new RelayEoseMessage(req.SubscriptionId)), token);
                        break;
                    case ClientEventMessage publish:
                        var verdict = judge?.Invoke(publish.Event)
                            ?? (!NostrEventVerifier.IsValid(publish.Event) ? new RelayOkMessage(publish.Event.Id, false, "invalid: bad id or signature")
                            : events.TryAdd(publish.Event.Id, publish.Event) ? new RelayOkMessage(publish.Event.Id, true, string.Empty)
                            : new RelayOkMessage(publish.Event.Id, true, "duplicate: already have it"));
                        await c.SendTextAsync(NostrJson.Serialize(verdict), token);
                        break;
                }
            }
        });
    }

    /// <summary>Accepts the TCP connection and then says nothing at all (no handshake).</summary>
    public static RawWebSocketServer Silent() => new(async (c, token) =>
    {
        await c.ReadRequestAsync(token);
        await Task.Delay(Timeout.Infinite, token);
    });

    /// <summary>Completes the handshake, then never answers a REQ.</summary>
    public static RawWebSocketServer Mute() => new(async (c, token) =>
    {
        await c.AcceptAsync(token);
        while (await c.ReadTextAsync(token) is not null)
        {
        }
    });

    /// <summary>A plain TCP server that answers a TLS ClientHello with HTTP text.</summary>
    public static RawWebSocketServer PlainTextForTls() => new(async (c, token) =>
    {
        var buffer = new byte[512];
        _ = await c.Stream.ReadAsync(buffer, token);
        await c.Stream.WriteAsync("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"u8.ToArray(), token);
    });

    /// <summary>Answers each REQ with the given events, sending every byte of every frame separately, slowly.</summary>
    public static RawWebSocketServer Slowloris(IEnumerable<NostrEvent> events, TimeSpan perByte) => OnReq(async (c, sub, token) =>
    {
        foreach (var e in events)
        {
            foreach (var b in RawConnection.Frame(0x1, System.Text.Encoding.UTF8.GetBytes(NostrJson.Serialize(new RelayEventMessage(sub, e)))))
            {
                await c.Stream.WriteAsync(new[] { b }, token);
                await c.Stream.FlushAsync(token);
                await Task.Delay(perByte, token);
            }
        }
    });

    /// <summary>Sends the events, then half of a frame, then closes the TCP connection.</summary>
    public static RawWebSocketServer ClosesMidStream(IEnumerable<NostrEvent> events) => OnReq(async (c, sub, token) =>
    {
        foreach (var e in events)
        {
            await c.SendTextAsync(NostrJson.Serialize(new RelayEventMessage(sub, e)), token);
        }

        var frame = RawConnection.Frame(0x1, System.Text.Encoding.UTF8.GetBytes(NostrJson.Serialize(new RelayEoseMessage(sub))));
        await c.Stream.WriteAsync(frame.AsMemory(0, frame.Length / 2), token);
        await c.Stream.FlushAsync(token);
        c.Stream.Socket.Shutdown(System.Net.Sockets.SocketShutdown.Both);
    }, keepOpen: false);

    /// <summary>Announces a frame of <paramref name="length"/> bytes and streams filler until the client gives up.</summary>
    public static RawWebSocketServer OversizedFrame(long length) => OnReq(async (c, sub, token) =>
    {
        await c.Stream.WriteAsync(RawConnection.FrameHeader(0x1, length), token);
        var prefix = System.Text.Encoding.UTF8.GetBytes($"[\"NOTICE\",\"");
        await c.Stream.WriteAsync(prefix, token);
        var filler = new byte[64 * 1024];
        Array.Fill(filler, (byte)'x');
        for (long sent = prefix.Length; sent < length; sent += filler.Length)
        {
            await c.Stream.WriteAsync(filler, token);
        }
    });

    /// <summary>Sends the given raw texts (any JSON or none), then EOSE.</summary>
    public static RawWebSocketServer SendsTexts(Func<string, IEnumerable<string>> texts, bool thenEose = true) => OnReq(async (c, sub, token) =>
    {
        foreach (var text in texts(sub))
        {
            await c.SendTextAsync(text, token);
        }

        if (thenEose)
        {
            await c.SendTextAsync(NostrJson.Serialize(new RelayEoseMessage(sub)), token);
        }
    });

    /// <summary>Sends <paramref name="count"/> copies of events (cycling), without EOSE, as fast as the client reads.</summary>
    public static RawWebSocketServer Flood(IReadOnlyList<NostrEvent> events, int count) => OnReq(async (c, sub, token) =>
    {
        var frames = events.Select(e => RawConnection.Frame(0x1, System.Text.Encoding.UTF8.GetBytes(NostrJson.Serialize(new RelayEventMessage(sub, e))))).ToArray();
        for (var i = 0; i < count; i++)
        {
            await c.Stream.WriteAsync(frames[i % frames.Length], token);
        }
    });

    /// <summary>Handshakes, waits for the first REQ, runs <paramref name="onReq"/>, then keeps reading until the client leaves.</summary>
    public static RawWebSocketServer OnReq(Func<RawConnection, string, CancellationToken, Task> onReq, bool keepOpen = true) => new(async (c, token) =>
    {
        await c.AcceptAsync(token);
        while (await c.ReadTextAsync(token) is { } text)
        {
            using var doc = JsonDocument.Parse(text);
            if (doc.RootElement[0].GetString() == "REQ")
            {
                await onReq(c, doc.RootElement[1].GetString()!, token);
                if (!keepOpen)
                {
                    return;
                }
            }
        }
    });
}
