using ManifestBuild.Format;
using ManifestBuild.Lightning.Nodes;

namespace ManifestBuild.Lightning.Tests.SpecFakes;

/// <summary>LNbits adds its own service fee to the routing fee: the cap check counts it, and an unexpected one is said.</summary>
public sealed class LnbitsServiceFeeTests
{
    private static readonly NodeOptions Fast = new() { RequestTimeout = TimeSpan.FromSeconds(30), PaymentTimeout = TimeSpan.FromSeconds(1), PaymentGrace = TimeSpan.FromSeconds(30) };

    [Fact]
    public async Task A_cap_below_reserve_plus_the_configured_service_fee_is_refused_before_anything_is_sent()
    {
        await using var world = await SpecWorld.StartAsync("lnbits", lnbitsServiceFeePercent: 2);
        var invoice = await world.Seller.CreateInvoiceAsync(1_000_000, "dsrs manifest x", TimeSpan.FromMinutes(10), default);
        await using var node = LightningNodeFactory.Create(NodeConnectionString.Parse(world.Server.ConnectionString + ";service-fee-percent=2"), world.Home, Fast);

        // reserve 1% = 10 000 msat, service 2% = 20 000 msat: a 25 000 msat cap covers the reserve but not both.
        var error = await Assert.ThrowsAsync<DsrsException>(() => node.PayAsync(invoice.Bolt11, 25_000, default));

        Assert.Equal(NodeErrorCodes.FeeCapBelowLnbitsReserve, error.Code);
        Assert.Contains("service fee (20000 msat)", error.Message);
        Assert.Equal(0, world.Backend.PayRequests);
    }

    [Fact]
    public async Task A_service_fee_the_connection_string_did_not_declare_is_reported_as_a_warning_with_the_real_fee()
    {
        await using var world = await SpecWorld.StartAsync("lnbits", feeMsat: 1000, lnbitsServiceFeePercent: 2);
        var invoice = await world.Seller.CreateInvoiceAsync(1_000_000, "dsrs manifest x", TimeSpan.FromMinutes(10), default);
        await using var node = world.Node(Fast);

        var result = await node.PayAsync(invoice.Bolt11, 15_000, default);

        Assert.Equal((PaymentStatus.Succeeded, 21_000L), (result.Status, result.FeeMsat));
        Assert.Contains("above the fee cap of 15000 msat", result.Warning);
    }
}
