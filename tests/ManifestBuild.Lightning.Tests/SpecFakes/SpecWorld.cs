using ManifestBuild.Lightning.Dev;
using ManifestBuild.Lightning.Nodes;
using ManifestBuild.Relay;
using ManifestBuild.TestSupport;

namespace ManifestBuild.Lightning.Tests.SpecFakes;

/// <summary>
/// One test's Lightning world: a dev network folder, the seller's dev node (it issues the invoices
/// and witnesses every payment that arrives), and a spec fake of the chosen node type whose wallet pays
/// over that dev network.
/// </summary>
internal sealed class SpecWorld : IAsyncDisposable
{
    public static readonly TheoryData<string> NodeTypes = new() { "lnd-rest", "clightning-rest", "lnbits", "phoenixd", "nwc" };

    private readonly TempDirectory home;
    private readonly EmbeddedRelay? relay;

    private SpecWorld(TempDirectory home, DevNode seller, SpecNodeServer server, EmbeddedRelay? relay)
    {
        this.home = home;
        Seller = seller;
        Server = server;
        this.relay = relay;
    }

    public DevNode Seller { get; }

    public SpecNodeServer Server { get; }

    public FakeLightningBackend Backend => Server.Backend;

    public string Home => home.Path;

    public string Devnet => home.Combine("devnet");

    public static async Task<SpecWorld> StartAsync(string type, long feeMsat = 1500, double lnbitsServiceFeePercent = 0)
    {
        var home = new TempDirectory("spec-" + type);
        var devnet = home.Combine("devnet");
        var seller = DevNode.Open("seller", devnet);
        var backend = new FakeLightningBackend(DevNode.Open("node-wallet", devnet), feeMsat);
        EmbeddedRelay? relay = null;
        SpecNodeServer server;
        switch (type)
        {
            case "lnd-rest":
                server = await LndSpecServer.StartAsync(backend);
                break;
            case "clightning-rest":
                server = await ClnSpecServer.StartAsync(backend);
                break;
            case "lnbits":
                server = await LnbitsSpecServer.StartAsync(backend, lnbitsServiceFeePercent);
                break;
            case "phoenixd":
                server = await PhoenixdSpecServer.StartAsync(backend);
                break;
            default:
                relay = await EmbeddedRelay.StartAsync(new EmbeddedRelayOptions { Port = 0 });
                server = await NwcSpecServer.StartAsync(backend, relay.Url);
                break;
        }

        return new SpecWorld(home, seller, server, relay);
    }

    /// <summary>The adapter, built from the connection string exactly as the CLI builds it.</summary>
    public ILightningNode Node(NodeOptions options) =>
        LightningNodeFactory.Create(NodeConnectionString.Parse(Server.ConnectionString), Home, options);

    /// <summary>A fee cap every node type accepts (phoenixd's 0.4% + 4 sat floor, LNbits' reserve).</summary>
    public static long FeeCap(long amountMsat) => 10_000 + (amountMsat / 50);

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Server.DisposeAsync();
        }
        finally
        {
            if (relay is not null)
            {
                await relay.DisposeAsync();
            }

            home.Dispose();
        }
    }
}
