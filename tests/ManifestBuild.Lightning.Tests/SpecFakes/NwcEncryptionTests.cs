using ManifestBuild.Format;
using ManifestBuild.Lightning.Dev;
using ManifestBuild.Lightning.Nodes;
using ManifestBuild.Relay;
using ManifestBuild.TestSupport;

namespace ManifestBuild.Lightning.Tests.SpecFakes;

/// <summary>NIP-47 encryption negotiation: the wallet's info event decides NIP-44 or the legacy NIP-04.</summary>
public sealed class NwcEncryptionTests
{
    private static readonly NodeOptions Fast = new() { RequestTimeout = TimeSpan.FromSeconds(20), PaymentTimeout = TimeSpan.FromSeconds(5), PaymentGrace = TimeSpan.FromSeconds(20) };

    [Theory]
    [InlineData(null)]
    [InlineData("nip04")]
    [InlineData("nip44_v2 nip04")]
    public async Task A_wallet_is_spoken_to_in_the_encryption_its_info_event_offers_and_pays(string? encryption)
    {
        using var home = new TempDirectory("nwc-enc");
        await using var relay = await EmbeddedRelay.StartAsync(new EmbeddedRelayOptions { Port = 0 });
        var seller = DevNode.Open("seller", home.Combine("devnet"));
        var backend = new FakeLightningBackend(DevNode.Open("node-wallet", home.Combine("devnet")), 100);
        await using var server = await NwcSpecServer.StartAsync(backend, relay.Url, encryption);
        await using var node = LightningNodeFactory.Create(NodeConnectionString.Parse(server.ConnectionString), home.Path, Fast);
        var invoice = await seller.CreateInvoiceAsync(25_000, "dsrs manifest x", TimeSpan.FromMinutes(10), default);

        var info = await node.GetInfoAsync(default);
        var paid = await node.PayAsync(invoice.Bolt11, 1000, default);

        Assert.Equal("regtest", info.Network);
        Assert.Equal((PaymentStatus.Succeeded, seller.LookupInvoice(invoice.PaymentHashHex)!.Preimage), (paid.Status, paid.PreimageHex));
    }

    [Fact]
    public async Task A_wallet_offering_no_encryption_we_speak_is_refused_at_once_and_sent_nothing()
    {
        using var home = new TempDirectory("nwc-enc");
        await using var relay = await EmbeddedRelay.StartAsync(new EmbeddedRelayOptions { Port = 0 });
        var backend = new FakeLightningBackend(DevNode.Open("node-wallet", home.Combine("devnet")));
        await using var server = await NwcSpecServer.StartAsync(backend, relay.Url, "nip99_future");
        await using var node = LightningNodeFactory.Create(NodeConnectionString.Parse(server.ConnectionString), home.Path, Fast);

        var error = await Assert.ThrowsAsync<DsrsException>(() => node.GetInfoAsync(default));

        Assert.Equal(NodeErrorCodes.UnsupportedEncryption, error.Code);
        Assert.Equal(0, backend.PayRequests);
    }
}
