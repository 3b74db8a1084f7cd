using ManifestBuild.Format.Json;
using ManifestBuild.Lightning.Dev;
using ManifestBuild.Market.Listings;
using ManifestBuild.Nostr;
using ManifestBuild.Relay;
using ManifestBuild.Seller;
using ManifestBuild.TestSupport;

namespace ManifestBuild.Market.Tests;

/// <summary>
/// A whole market on loopback: an embedded relay, a seller and a buyer dev node on one shared
/// ledger, the seller's L402 server over a manifests folder, and homes for the seller and two buyers.
/// </summary>
internal sealed class MarketLoopback : IAsyncDisposable
{
    private readonly TempDirectory root = new("market-e2e");

    private MarketLoopback()
    {
    }

    public EmbeddedRelay Relay { get; private set; } = null!;

    public SellerServer Server { get; private set; } = null!;

    public DevNode SellerNode { get; private set; } = null!;

    public DevNode BuyerNode { get; private set; } = null!;

    public NostrKeyPair SellerKey { get; } = NostrKeyPair.Generate();

    public string SellerHome => root.Combine("seller");

    public string BuyerHome => root.Combine("buyer");

    public string SecondBuyerHome => root.Combine("buyer2");

    public string Ledger => root.Combine("devnet");

    public string ManifestsDirectory => root.Combine("seller", "manifests");

    public IReadOnlyList<Uri> Relays => [Relay.Url];

    /// <param name="prepare">Writes more files (e.g. datasets) into the seller's folder before the server reads it.</param>
    public static async Task<MarketLoopback> StartAsync(IEnumerable<JsonObject> paidManifests, long priceMsat, Action<string>? prepare = null)
    {
        var market = new MarketLoopback();
        Directory.CreateDirectory(market.ManifestsDirectory);
        prepare?.Invoke(market.ManifestsDirectory);
        foreach (var manifest in paidManifests)
        {
            File.WriteAllText(Path.Combine(market.ManifestsDirectory, MarketSamples.Id(manifest)[..16] + ".json"), JsonWriter.WriteFile(manifest));
        }

        market.SellerNode = DevNode.Open("seller", market.Ledger);
        market.BuyerNode = DevNode.Open("buyer", market.Ledger);
        market.Relay = await EmbeddedRelay.StartAsync(new EmbeddedRelayOptions());
        market.Server = await SellerServer.StartAsync(new SellerServerOptions
        {
            ManifestsDirectory = market.ManifestsDirectory,
            Node = market.SellerNode,
            Home = market.SellerHome,
            DefaultPriceMsat = priceMsat,
        });
        return market;
    }

    public ListingOptions PaidOptions(long price) => new() { PriceMsat = price, L402Url = Server.Url, NodeIdHex = SellerNode.NodeId };

    public async ValueTask DisposeAsync()
    {
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }

        if (Relay is not null)
        {
            await Relay.DisposeAsync();
        }

        root.Dispose();
    }
}
