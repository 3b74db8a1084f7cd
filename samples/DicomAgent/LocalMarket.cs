using ManifestBuild.Format;
using ManifestBuild.Lightning.Dev;
using ManifestBuild.Market.Listings;
using ManifestBuild.Nostr;
using ManifestBuild.Relay;
using ManifestBuild.Seller;

namespace DicomAgent;

/// <summary>
/// The market on this machine, as `dsrs demo` starts it: the embedded relay and a seller (its dev
/// Lightning node and the L402 endpoint) on 127.0.0.1, selling the manifests in market/ at the prices
/// in market/prices.json. The dev nodes settle through one folder (work/devnet) that outlives a run.
/// </summary>
public sealed class LocalMarket : IAsyncDisposable
{
    private readonly EmbeddedRelay relay;
    private readonly SellerServer seller;
    private readonly DevNode sellerNode;

    private LocalMarket(EmbeddedRelay relay, SellerServer seller, DevNode sellerNode)
    {
        this.relay = relay;
        this.seller = seller;
        this.sellerNode = sellerNode;
    }

    public Uri RelayUrl => relay.Url;

    /// <summary>The dev network folder the agent's node must join to pay this seller.</summary>
    public required string DevNet { get; init; }

    /// <summary>Invoices the seller has been paid, over every run on this work folder.</summary>
    public int SettledInvoices => sellerNode.ListSettledInvoices().Count;

    public static async Task<LocalMarket> StartAsync(string work, string manifests, CancellationToken cancellationToken)
    {
        var devnet = Path.Combine(work, "devnet");
        var forSale = Path.Combine(work, "for-sale");
        Directory.CreateDirectory(forSale);
        var prices = System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, long>>(File.ReadAllText(Path.Combine(manifests, "prices.json"))) ?? [];
        var listed = new List<(Manifest Manifest, long PriceMsat)>();
        foreach (var file in Directory.GetFiles(manifests, "*.json").Where(f => Path.GetFileName(f) != "prices.json").Order(StringComparer.Ordinal))
        {
            var manifest = Manifest.Load(file);
            var id = manifest.SealCompiledId();
            var price = prices.GetValueOrDefault(Path.GetFileName(file));
            manifest.Save(Path.Combine(forSale, id + ".json"));
            listed.Add((manifest, price));
        }

        var relay = await EmbeddedRelay.StartAsync(new EmbeddedRelayOptions { Port = 0 });
        var sellerNode = DevNode.Open("seller", devnet);
        var seller = await SellerServer.StartAsync(new SellerServerOptions
        {
            ManifestsDirectory = forSale,
            Node = sellerNode,
            Home = Path.Combine(work, "seller-home"),
            Prices = listed.Where(l => l.PriceMsat > 0).ToDictionary(l => l.Manifest.CompiledId!, l => l.PriceMsat),
        }, cancellationToken);
        var market = new LocalMarket(relay, seller, sellerNode) { DevNet = devnet };
        // One seller key per listing: competing sellers (a buyer keeps one listing per seller and signature).
        foreach (var (manifest, price) in listed)
        {
            var key = NostrKeyPair.Generate();
            var id = manifest.CompiledId!;
            var options = price > 0 ? new ListingOptions { PriceMsat = price, L402Url = seller.ManifestUrl(id), NodeIdHex = sellerNode.NodeId } : new ListingOptions();
            var published = relay.Publish(ListingBuilder.BuildSigned(manifest.Json, options, key));
            if (!published.Accepted)
            {
                await market.DisposeAsync();
                throw new InvalidOperationException($"the local relay refused the listing of {id}: {published.Message}");
            }
        }

        return market;
    }

    public async ValueTask DisposeAsync()
    {
        await seller.DisposeAsync();
        await relay.DisposeAsync();
        await sellerNode.DisposeAsync();
    }
}
