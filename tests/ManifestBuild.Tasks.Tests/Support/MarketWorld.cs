using ManifestBuild.Format.Bundles;
using ManifestBuild.Format.Json;
using ManifestBuild.Lightning.Dev;
using ManifestBuild.Market.Listings;
using ManifestBuild.Nostr;
using ManifestBuild.Relay;
using ManifestBuild.Seller;

namespace ManifestBuild.Tasks.Tests.Support;

/// <summary>
/// The seller's side of an end-to-end test, in the test process on 127.0.0.1: the embedded relay, a
/// seller key, a seller dev node and the L402 endpoint selling the given paid manifests. The builds
/// under test are separate processes; they pay from the "buyer" dev node on the same ledger folder
/// (<see cref="BuyerNode"/>) and reach everything over loopback only.
/// </summary>
public sealed class MarketWorld : IAsyncDisposable
{
    private readonly string root;
    private SellerServer? server;

    private MarketWorld(string root, EmbeddedRelay relay)
    {
        this.root = root;
        Relay = relay;
        SellerNode = DevNode.Open("seller", DevNet);
    }

    public EmbeddedRelay Relay { get; }

    public NostrKeyPair Seller { get; } = NostrKeyPair.Generate();

    public DevNode SellerNode { get; }

    public string DevNet => Path.Combine(root, "devnet");

    public string RelayUrl => Relay.Url.ToString().TrimEnd('/');

    /// <summary>DSRS_NODE of the buying builds.</summary>
    public string BuyerNode => $"type=dev;name=buyer;ledger={DevNet}";

    /// <summary>Invoices of the seller that were paid: one per purchase.</summary>
    public int Payments => SellerNode.ListSettledInvoices().Count;

    public static async Task<MarketWorld> StartAsync(string root)
    {
        Directory.CreateDirectory(root);
        return new MarketWorld(root, await EmbeddedRelay.StartAsync(new EmbeddedRelayOptions { Port = 0 }));
    }

    /// <summary>Publishes a free listing (the whole manifest as content) and returns its event.</summary>
    public NostrEvent PublishFree(string manifestJson) =>
        Publish(ListingBuilder.BuildSigned(JsonParser.ParseObject(manifestJson), new ListingOptions { PriceMsat = 0, CreatedAt = NextCreatedAt() }, Seller));

    /// <summary>Starts the L402 endpoint selling these manifests and publishes their paid (redacted) listings.</summary>
    public Task<IReadOnlyList<NostrEvent>> SellAsync(params (string Json, string CompiledId, long PriceMsat)[] manifests) =>
        SellAsync(null, manifests);

    /// <summary>The seller's L402 endpoint, once <see cref="SellAsync(ValueTuple{string, string, long}[])"/> started it.</summary>
    public SellerServer Server => server ?? throw new InvalidOperationException("nothing is sold yet");

    /// <summary>Where the seller keeps its L402 root key and its other state.</summary>
    public string SellerHome => Path.Combine(root, "seller-home");

    /// <summary>
    /// Sells the manifests; <paramref name="deliveryUrl"/> may send a manifest's listing to another
    /// front (given the compiled_id and the real endpoint's URL), e.g. one that fails after payment;
    /// null leaves the manifest sold but not listed yet (<see cref="List"/> publishes it later).
    /// </summary>
    public async Task<IReadOnlyList<NostrEvent>> SellAsync(Func<string, Uri, Task<Uri?>>? deliveryUrl, params (string Json, string CompiledId, long PriceMsat)[] manifests)
    {
        var folder = Path.Combine(root, "for-sale");
        Directory.CreateDirectory(folder);
        foreach (var (json, id, _) in manifests)
        {
            File.WriteAllText(Path.Combine(folder, id + ".json"), json);
        }

        server = await SellerServer.StartAsync(new SellerServerOptions
        {
            ManifestsDirectory = folder,
            Node = SellerNode,
            Home = SellerHome,
            Prices = manifests.ToDictionary(m => m.CompiledId, m => m.PriceMsat),
        });
        var published = new List<NostrEvent>();
        foreach (var m in manifests)
        {
            var url = server.ManifestUrl(m.CompiledId);
            if ((deliveryUrl is null ? url : await deliveryUrl(m.CompiledId, url)) is { } listed)
            {
                published.Add(List(m.Json, m.PriceMsat, listed));
            }
        }

        return published;
    }

    /// <summary>
    /// Starts the L402 endpoint selling these manifests singly (at <paramref name="memberPriceMsat"/>, the
    /// folder's default) and as one bundle (its own price in prices.json), and publishes the bundle listing
    /// made from the seller's catalog.
    /// </summary>
    public async Task<(BundleDocument Bundle, NostrEvent Listing)> SellBundleAsync(string name, long bundlePriceMsat, long memberPriceMsat, params (string Json, string CompiledId)[] members)
    {
        var folder = Path.Combine(root, "for-sale");
        Directory.CreateDirectory(folder);
        foreach (var (json, id) in members)
        {
            File.WriteAllText(Path.Combine(folder, id + ".json"), json);
        }

        var bundle = BundleDocument.Create(name, members.Select(m => m.CompiledId));
        File.WriteAllText(Path.Combine(folder, name + ManifestCatalog.BundleFileSuffix), bundle.ToText());
        File.WriteAllText(Path.Combine(folder, ManifestCatalog.PricesFileName), $"{{\"default\": {memberPriceMsat}, \"{bundle.BundleId}\": {bundlePriceMsat}}}");
        server = await SellerServer.StartAsync(new SellerServerOptions { ManifestsDirectory = folder, Node = SellerNode, Home = SellerHome });
        var sold = server.Catalog.ForBundleListing(bundle.BundleId, null);
        var listing = Publish(BundleListingBuilder.BuildSigned(sold.Document, new ListingOptions
        {
            PriceMsat = sold.PriceMsat,
            L402Url = server.Url,
            NodeIdHex = SellerNode.NodeId,
            CreatedAt = NextCreatedAt(),
        }, Seller, ["rust"]));
        return (bundle, listing);
    }

    /// <summary>
    /// Starts the L402 endpoint selling this dataset (a dsrs.dataset/1 file in the catalog folder, priced
    /// by its dataset_id) and publishes its paid listing: description and schema, no examples.
    /// </summary>
    public async Task<NostrEvent> SellDatasetAsync(Format.Datasets.Dataset dataset, long priceMsat)
    {
        var folder = Path.Combine(root, "for-sale");
        Directory.CreateDirectory(folder);
        var id = dataset.StatedId!;
        dataset.Save(Path.Combine(folder, id + ".json"));
        server = await SellerServer.StartAsync(new SellerServerOptions
        {
            ManifestsDirectory = folder,
            Node = SellerNode,
            Home = SellerHome,
            Prices = new Dictionary<string, long> { [id] = priceMsat },
        });
        return Publish(DatasetListingBuilder.BuildSigned(dataset, new ListingOptions
        {
            PriceMsat = priceMsat,
            L402Url = server.Url,
            NodeIdHex = SellerNode.NodeId,
            CreatedAt = NextCreatedAt(),
        }, Seller));
    }

    /// <summary>Publishes the paid listing of a manifest the seller's endpoint sells (a new version, say).</summary>
    /// <remarks>
    /// Each listing is stamped strictly later than the seller's previous one: buyers keep the newest
    /// listing per (seller, signature), and two in the same second would be decided by event id.
    /// </remarks>
    public NostrEvent List(string json, long priceMsat, Uri? deliveryUrl = null) =>
        Publish(ListingBuilder.BuildSigned(JsonParser.ParseObject(json), new ListingOptions
        {
            PriceMsat = priceMsat,
            L402Url = deliveryUrl ?? Server.ManifestUrl(JsonParser.ParseObject(json).GetString("compiled_id")!),
            NodeIdHex = SellerNode.NodeId,
            CreatedAt = NextCreatedAt(),
        }, Seller));

    private long lastCreatedAt;

    private long NextCreatedAt()
    {
        lastCreatedAt = Math.Max(DateTimeOffset.UtcNow.ToUnixTimeSeconds(), lastCreatedAt + 1);
        return lastCreatedAt;
    }

    public async ValueTask DisposeAsync()
    {
        if (server is not null)
        {
            await server.DisposeAsync();
        }

        await Relay.DisposeAsync();
        await SellerNode.DisposeAsync();
    }

    private NostrEvent Publish(NostrEvent listing)
    {
        var result = Relay.Publish(listing);
        if (!result.Accepted)
        {
            throw new InvalidOperationException("the relay refused the listing: " + result.Message);
        }

        return listing;
    }
}
