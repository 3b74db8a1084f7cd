using System.Globalization;
using ManifestBuild.Format.Json;
using ManifestBuild.Lightning.Dev;
using ManifestBuild.Market.Listings;
using ManifestBuild.Nostr;
using ManifestBuild.Relay;
using ManifestBuild.Seller;
using ManifestBuild.Tasks.Resolution;

namespace ManifestBuild.Bench.Figures;

/// <summary>
/// Figure 8: a cold resolve of 20 items (16 free, 4 paid) from three relays and a seller that are all
/// 80 ms away (one way; <c>DSRS_BENCH_DELAY_MS</c> changes it), with a dev node whose payment takes
/// one round trip. Compared with the floor: the fewest round trips the protocol needs, times the
/// delay: for a relay, the TCP handshake, the WebSocket upgrade and REQ to EOSE (3); for a paid
/// item on top, the seller's TCP handshake, the 402, the payment and the authorised GET (3 + the
/// payment). Items and relays are independent, so the floor is one chain of those, not a sum.
/// </summary>
public sealed class LatencyResolveFigure : IFigure
{
    private const int Items = 20;
    private const int Paid = 4;
    private const long PriceMsat = 1000;

    public string Name => "latency";

    public string Title => "cold resolve at real latency: 20 items (4 paid), 3 relays and a seller 80 ms away";

    public async Task<IReadOnlyList<Row>> RunAsync(BenchOptions options, CancellationToken cancellationToken)
    {
        var oneWay = TimeSpan.FromMilliseconds(int.TryParse(Environment.GetEnvironmentVariable("DSRS_BENCH_DELAY_MS"), NumberStyles.None, CultureInfo.InvariantCulture, out var ms) ? ms : 80);
        var rtt = oneWay * 2;
        var devnet = Path.Combine(options.WorkDirectory, "latency-devnet");
        var catalog = Path.Combine(options.WorkDirectory, "latency-catalog");
        Directory.CreateDirectory(catalog);
        var seller = NostrKeyPair.Generate();
        var sellerNode = DevNode.Open("seller", devnet);
        await using var sellerServer = await SellerServer.StartAsync(new SellerServerOptions { ManifestsDirectory = catalog, Node = sellerNode, Home = Path.Combine(options.WorkDirectory, "latency-seller"), DefaultPriceMsat = PriceMsat, CatalogPollInterval = TimeSpan.FromMilliseconds(200) }, cancellationToken);
        await using var sellerProxy = new LatencyProxy(sellerServer.Url, oneWay);

        var listings = new List<NostrEvent>();
        var items = new List<DeclaredManifest>();
        for (var i = 0; i < Items; i++)
        {
            var family = "latency" + i;
            var manifest = JsonParser.ParseObject(SampleManifests.Create(i, family, "rust"));
            var id = manifest.GetString("compiled_id")!;
            var paid = i < Paid;
            if (paid)
            {
                await File.WriteAllTextAsync(Path.Combine(catalog, id + ".json"), JsonWriter.WriteFile(manifest), cancellationToken);
            }

            var url = new Uri(sellerProxy.Url, "manifests/" + id);
            listings.Add(ListingBuilder.BuildSigned(manifest, new ListingOptions { PriceMsat = paid ? PriceMsat : 0, L402Url = paid ? url : null, NodeIdHex = paid ? sellerNode.NodeId : null }, seller));
            items.Add(new DeclaredManifest { Name = "Manifest" + i, Family = family, Domains = ["rust"], MaxPriceMsat = paid ? PriceMsat : null });
        }

        await sellerServer.WaitForCatalogAsync(c => c.Entries.Count == Paid, TimeSpan.FromSeconds(30));
        var relays = new List<EmbeddedRelay>();
        var proxies = new List<LatencyProxy>();
        try
        {
            for (var r = 0; r < 3; r++)
            {
                var relay = await EmbeddedRelay.StartAsync(new EmbeddedRelayOptions(), cancellationToken);
                relays.Add(relay);
                relay.PublishMany(listings);
                proxies.Add(new LatencyProxy(relay.Url, oneWay));
            }

            // Two rounds even in --quick: the first pays for the process's JIT (about 2 s here), not the network.
            // Rounds after the first reuse the seller connections the shared HTTP handler keeps (the row below).
            var rounds = options.Size(3, 2);
            var best = TimeSpan.MaxValue;
            for (var round = 0; round < rounds; round++)
            {
                // A fresh home and buyer each round: a cold cache, no receipts, nothing paid yet.
                var home = Path.Combine(options.WorkDirectory, $"latency-home{round}");
                var buyer = $"type=dev;name=buyer{round};ledger={devnet};latency_ms={(long)rtt.TotalMilliseconds}";
                var elapsed = await ResolveHarness.ResolveAsync(items, proxies.Select(p => p.Url).ToList(), home, Path.Combine(options.WorkDirectory, $"latency-project{round}"), locked: false, cancellationToken, buyer, PriceMsat * Paid * 2);
                best = elapsed < best ? elapsed : best;
            }

            var relayTrips = 3;
            var paidTrips = 3;
            var floor = rtt * (relayTrips + paidTrips) + rtt; // + the payment's own round trip
            var freeOnly = rtt * relayTrips;
            return
            [
                new Row(Name, $"{Items} items ({Paid} paid) at {oneWay.TotalMilliseconds:0} ms one way", best.TotalMilliseconds, "ms", $"floor: {relayTrips + paidTrips} round trips + the payment's", floor.TotalMilliseconds, "<= 1.5x"),
                new Row(Name, "the free items' part of that floor", freeOnly.TotalMilliseconds, "ms"),
                new Row(Name, $"connections to the seller, all rounds ({rounds} x {Paid} purchases)", sellerProxy.Connections, "connections"),
            ];
        }
        finally
        {
            foreach (var proxy in proxies)
            {
                await proxy.DisposeAsync();
            }

            foreach (var relay in relays)
            {
                await relay.DisposeAsync();
            }
        }
    }
}
