using System.Net.Http.Headers;
using System.Text.Json;
using ManifestBuild.Nostr;
using static ManifestBuild.Relay.Tests.TestEvents;

namespace ManifestBuild.Relay.Tests;

/// <summary>NIP-11, many clients at once, and the indexes agreeing with a brute-force scan.</summary>
public sealed class EmbeddedRelayServerTests
{
    [Fact]
    public async Task Nip11_AdvertisesTheEnforcedLimits()
    {
        await using var relay = await EmbeddedRelay.StartAsync(new EmbeddedRelayOptions { MaxMessageBytes = 8192, MaxSubscriptionsPerConnection = 7, MaxLimit = 500 });
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(15) };
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{relay.Port}/");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/nostr+json"));

        using var response = await http.SendAsync(request);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var limitation = document.RootElement.GetProperty("limitation");
        var plain = await http.GetStringAsync($"http://127.0.0.1:{relay.Port}/");

        Assert.Equal("application/nostr+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains(11, document.RootElement.GetProperty("supported_nips").EnumerateArray().Select(n => n.GetInt32()));
        Assert.Equal(8192, limitation.GetProperty("max_message_length").GetInt32());
        Assert.Equal(7, limitation.GetProperty("max_subscriptions").GetInt32());
        Assert.Equal(500, limitation.GetProperty("max_limit").GetInt32());
        Assert.False(limitation.GetProperty("auth_required").GetBoolean());
        Assert.Contains("WebSocket", plain, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ManyConcurrentClients_AllEventsStoredAndDeliveredLiveExactlyOnce()
    {
        const int clients = 16;
        const int perClient = 12;
        await using var relay = await EmbeddedRelay.StartAsync();
        var keys = Enumerable.Range(0, clients).Select(_ => NostrKeyPair.Generate()).ToList();
        var authors = keys.Select(k => k.PublicKeyHex).ToList();
        await using var watcher = await RawRelaySocket.ConnectAsync(relay.Url);
        await watcher.SubscribeAsync("all", new NostrFilter { Authors = authors });

        var publishers = keys.Select(async key =>
        {
            await using var socket = await RawRelaySocket.ConnectAsync(relay.Url);
            var oks = new List<RelayOkMessage>();
            for (var i = 0; i < perClient; i++)
            {
                oks.Add(await socket.PublishAsync(Note(key, "message " + i, Now - i)));
            }

            // Every client also reads while others write.
            var own = await socket.QueryAsync(new NostrFilter { Authors = [key.PublicKeyHex] });
            return (oks, own.Count);
        }).ToList();
        var results = await Task.WhenAll(publishers);

        var live = new HashSet<string>();
        for (var i = 0; i < clients * perClient; i++)
        {
            var m = await watcher.ReceiveAsync<RelayEventMessage>();
            Assert.True(live.Add(m.Event.Id), "delivered twice: " + m.Event.Id);
        }

        Assert.All(results, r => Assert.All(r.oks, ok => Assert.True(ok.Accepted, ok.Message)));
        Assert.All(results, r => Assert.Equal(perClient, r.Item2));
        Assert.Equal(clients * perClient, relay.EventCount);
        Assert.Equal(clients * perClient, live.Count);
    }

    [Fact]
    public async Task IndexedQueries_AgreeWithABruteForceScan()
    {
        await using var relay = await EmbeddedRelay.StartAsync();
        var random = new Random(31990);
        var sellers = Enumerable.Range(0, 5).Select(_ => NostrKeyPair.Generate()).ToList();
        string[] families = ["complexity", "delegation", "planning"];
        string[] domains = ["rust", "python", "go", "systems"];
        var events = new List<NostrEvent>();
        for (var i = 0; i < 600; i++)
        {
            var seller = sellers[random.Next(sellers.Count)];
            var picked = domains.Where(_ => random.Next(2) == 0).ToArray();
            events.Add(i % 5 == 0
                ? Note(seller, "note " + i, Now - random.Next(1000), Tag("t", domains[random.Next(domains.Length)]))
                : Listing(seller, families[random.Next(families.Length)], picked, createdAt: Now - random.Next(1000)));
        }

        Assert.All(relay.PublishMany(events), r => Assert.True(r.Accepted, r.Message));
        var filters = new List<NostrFilter>
        {
            new NostrFilter { Kinds = [31990] }.WithTag("k", "complexity").WithTag("t", "rust"),
            new NostrFilter { Kinds = [31990, 1] }.WithTag("t", "go", "systems"),
            new NostrFilter { Authors = [sellers[0].PublicKeyHex, sellers[3].PublicKeyHex], Since = Now - 500, Until = Now - 100 },
            new NostrFilter { Kinds = [1], Limit = 7 },
            new NostrFilter { Ids = events.Take(20).Select(e => e.Id).ToList(), Kinds = [31990] },
            new NostrFilter { Since = Now - 50 },
            new NostrFilter { Kinds = [31990], Authors = [] },
        };

        foreach (var filter in filters)
        {
            var expected = events.Where(filter.Matches)
                .OrderByDescending(e => e.CreatedAt).ThenBy(e => e.Id, StringComparer.Ordinal)
                .Take(filter.Limit ?? int.MaxValue)
                .Select(e => e.Id);
            Assert.Equal(expected, relay.Query(filter).Select(e => e.Id));
        }
    }

    [Fact]
    public async Task Dispose_ClosesOpenConnections()
    {
        var relay = await EmbeddedRelay.StartAsync();
        await using var socket = await RawRelaySocket.ConnectAsync(relay.Url);
        await socket.SubscribeAsync("open", new NostrFilter { Kinds = [1] });

        await relay.DisposeAsync();

        await Assert.ThrowsAsync<InvalidOperationException>(() => socket.ReceiveRawAsync(TimeSpan.FromSeconds(10)));
    }
}
