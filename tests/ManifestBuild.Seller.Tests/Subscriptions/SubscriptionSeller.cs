using ManifestBuild.Format.Json;
using ManifestBuild.Lightning.Dev;
using ManifestBuild.Market.Listings;
using ManifestBuild.Nostr;
using ManifestBuild.Seller.Subscriptions;
using ManifestBuild.TestSupport;

namespace ManifestBuild.Seller.Tests.Subscriptions;

/// <summary>A clock the test moves: the seller's, from which token expiries are minted.</summary>
internal sealed class MovableTime : TimeProvider
{
    public DateTimeOffset Now { get; set; } = DateTimeOffset.UtcNow;

    public override DateTimeOffset GetUtcNow() => Now;
}

/// <summary>
/// A seller of one product line over real HTTP on loopback: a folder with the versions and the line file,
/// <c>dsrs serve</c>'s server on a dev node, and the signed listings a buyer would read from a relay.
/// </summary>
internal sealed class SubscriptionSeller : IAsyncDisposable
{
    public const long VersionPrice = 20_000;
    public const long SubscriptionPrice = 10_000;
    public const long Period = 86_400;

    private readonly string folder;

    private SubscriptionSeller(string folder, SellerServer server, DevNode node, MovableTime time, string line)
    {
        this.folder = folder;
        Server = server;
        Node = node;
        Time = time;
        Line = line;
    }

    public SellerServer Server { get; }

    public DevNode Node { get; }

    public MovableTime Time { get; }

    public string Line { get; }

    public NostrKeyPair Key { get; } = NostrKeyPair.Generate();

    public string Home => Path.Combine(Path.GetDirectoryName(folder)!, "seller-home");

    /// <summary>Invoices of the seller that were paid: one per purchase.</summary>
    public int Payments => Node.ListSettledInvoices().Count;

    public static async Task<SubscriptionSeller> StartAsync(TempDirectory root, string line = "rust-systems")
    {
        var folder = root.Combine("for-sale");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, ManifestCatalog.PricesFileName), $"{{\"default\": {VersionPrice}}}");
        File.WriteAllText(Path.Combine(folder, line + LineDocument.FileSuffix), new LineDocument(line, SubscriptionPrice, Period, "every version", []).ToText());
        var node = DevNode.Open("seller", root.Combine("devnet"));
        var time = new MovableTime();
        var server = await SellerServer.StartAsync(new SellerServerOptions { ManifestsDirectory = folder, Node = node, Home = root.Combine("seller-home"), Time = time, CatalogPollInterval = TimeSpan.FromMilliseconds(200) });
        return new SubscriptionSeller(folder, server, node, time, line);
    }

    /// <summary>The signed subscription listing made from the catalog's line file.</summary>
    public SubscriptionListing SubscriptionListing()
    {
        var sold = Server.Catalog.ForSubscriptionListing(Line, null);
        var signed = SubscriptionListingBuilder.BuildSigned(Line, sold.PeriodSeconds, new ListingOptions { PriceMsat = sold.PriceMsat, L402Url = Server.Url, NodeIdHex = Node.NodeId }, Key, sold.Description);
        Assert.True(SubscriptionListingParser.TryParse(NostrEventVerifier.EnsureVerified(signed), out var listing, out var reason), reason);
        return listing!;
    }

    /// <summary>Adds a version to the folder and to the line, published now on the seller's clock, and waits until it is on sale.</summary>
    public async Task<(JsonObject Manifest, Listing Listing)> PublishVersionAsync(string instruction, string? line = null)
    {
        var manifest = SellerEndpointTests.Manifest(instruction);
        var id = manifest.GetString("compiled_id")!;
        File.WriteAllText(Path.Combine(folder, id + ".json"), JsonWriter.WriteFile(manifest));
        var path = Path.Combine(folder, (line ?? Line) + LineDocument.FileSuffix);
        var document = File.Exists(path) ? LineDocument.Load(path) : new LineDocument(line!, SubscriptionPrice, Period, null, []);
        File.WriteAllText(path, document.WithVersion(id, Time.GetUtcNow().ToUnixTimeSeconds()).ToText());
        await Server.WaitForCatalogAsync(c => c.FindLine(line ?? Line)?.Find(id) is not null, TimeSpan.FromSeconds(20));
        var signed = ListingBuilder.BuildSigned(manifest, new ListingOptions { PriceMsat = VersionPrice, L402Url = Server.ManifestUrl(id), NodeIdHex = Node.NodeId, Line = line ?? Line }, Key);
        return (manifest, ListingParser.Parse(NostrEventVerifier.EnsureVerified(signed)));
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        await Node.DisposeAsync();
    }
}
