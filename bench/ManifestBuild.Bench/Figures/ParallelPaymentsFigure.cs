using ManifestBuild.Format.Json;
using ManifestBuild.Lightning.Dev;
using ManifestBuild.Market.Listings;
using ManifestBuild.Nostr;
using ManifestBuild.Relay;
using ManifestBuild.Seller;
using ManifestBuild.Tasks.Resolution;

namespace ManifestBuild.Bench.Figures;

/// <summary>
/// Figure 9: a cold resolve of five paid items (one relay and the seller on loopback) whose payments
/// each take 1 s at the buyer's dev node (latency_ms). Compared, in the same run, with the serial sum:
/// the five payments' own durations as the dev node recorded them (start of PayAsync to settlement),
/// which is what paying them one after another costs at the least. Also reports how many payments
/// were at the node at the same time, from the same records.
/// </summary>
public sealed class ParallelPaymentsFigure : IFigure
{
    private const int Items = 5;
    private const long PriceMsat = 1000;
    private static readonly TimeSpan PaymentLatency = TimeSpan.FromSeconds(1);

    public string Name => "payments";

    public string Title => "several paid items: 5 payments, each 1 s at the dev node, reserved first and paid at once";

    public async Task<IReadOnlyList<Row>> RunAsync(BenchOptions options, CancellationToken cancellationToken)
    {
        var devnet = Path.Combine(options.WorkDirectory, "payments-devnet");
        var catalog = Path.Combine(options.WorkDirectory, "payments-catalog");
        Directory.CreateDirectory(catalog);
        var seller = NostrKeyPair.Generate();
        var sellerNode = DevNode.Open("seller", devnet);
        await using var sellerServer = await SellerServer.StartAsync(new SellerServerOptions { ManifestsDirectory = catalog, Node = sellerNode, Home = Path.Combine(options.WorkDirectory, "payments-seller"), DefaultPriceMsat = PriceMsat, CatalogPollInterval = TimeSpan.FromMilliseconds(200) }, cancellationToken);
        var listings = new List<NostrEvent>();
        var items = new List<DeclaredManifest>();
        for (var i = 0; i < Items; i++)
        {
            var family = "payments" + i;
            var manifest = JsonParser.ParseObject(SampleManifests.Create(i, family, "rust"));
            var id = manifest.GetString("compiled_id")!;
            await File.WriteAllTextAsync(Path.Combine(catalog, id + ".json"), JsonWriter.WriteFile(manifest), cancellationToken);
            listings.Add(ListingBuilder.BuildSigned(manifest, new ListingOptions { PriceMsat = PriceMsat, L402Url = new Uri(sellerServer.Url, "manifests/" + id), NodeIdHex = sellerNode.NodeId }, seller));
            items.Add(new DeclaredManifest { Name = "Paid" + i, Family = family, Domains = ["rust"], MaxPriceMsat = PriceMsat });
        }

        await sellerServer.WaitForCatalogAsync(c => c.Entries.Count == Items, TimeSpan.FromSeconds(30));
        await using var relay = await EmbeddedRelay.StartAsync(new EmbeddedRelayOptions(), cancellationToken);
        relay.PublishMany(listings);

        // Two rounds even in --quick: the first pays for the process's JIT (about 2 s here), not the payments.
        var rounds = options.Size(3, 2);
        (TimeSpan Wall, TimeSpan Serial, int AtOnce)? best = null;
        for (var round = 0; round < rounds; round++)
        {
            // A fresh home and buyer each round: a cold cache, no receipts, nothing paid yet.
            var buyer = "buyer" + round;
            var home = Path.Combine(options.WorkDirectory, $"payments-home{round}");
            var node = $"type=dev;name={buyer};ledger={devnet};latency_ms={(long)PaymentLatency.TotalMilliseconds}";
            var wall = await ResolveHarness.ResolveAsync(items, [relay.Url], home, Path.Combine(options.WorkDirectory, $"payments-project{round}"), locked: false, cancellationToken, node, PriceMsat * Items);
            var payments = DevNode.Open(buyer, devnet).ListPayments();
            if (payments.Count != Items || payments.Any(p => p.Failed))
            {
                throw new InvalidOperationException($"expected {Items} settled payments, the dev node recorded {payments.Count}");
            }

            var serial = TimeSpan.FromTicks(payments.Sum(p => (p.FinishedAt - p.StartedAt).Ticks));
            if (best is null || wall < best.Value.Wall)
            {
                best = (wall, serial, MostAtOnce(payments));
            }
        }

        var (bestWall, bestSerial, atOnce) = best!.Value;
        return
        [
            new Row(Name, $"{Items} paid items, each payment {PaymentLatency.TotalSeconds:0} s at the node: cold resolve", bestWall.TotalMilliseconds, "ms", "the payments' own durations, summed (paying one after another)", bestSerial.TotalMilliseconds, "< 2,000 ms"),
            new Row(Name, "payments at the node at the same time (most)", atOnce, "payments"),
        ];
    }

    /// <summary>The most payments in progress at one moment, from their recorded start and end.</summary>
    private static int MostAtOnce(IReadOnlyList<DevPayment> payments)
    {
        var events = payments.SelectMany(p => new[] { (At: p.StartedAt, Change: 1), (At: p.FinishedAt, Change: -1) }).OrderBy(e => e.At).ThenBy(e => e.Change);
        int current = 0, most = 0;
        foreach (var (_, change) in events)
        {
            current += change;
            most = Math.Max(most, current);
        }

        return most;
    }
}
