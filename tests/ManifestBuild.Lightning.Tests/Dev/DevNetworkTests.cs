using System.Diagnostics;
using ManifestBuild.Lightning.Dev;
using ManifestBuild.Lightning.Nodes;
using ManifestBuild.TestSupport;

namespace ManifestBuild.Lightning.Tests.Dev;

/// <summary>The shared dev network folder (dev nodes of different homes pay each other) and latency_ms.</summary>
public sealed class DevNetworkTests
{
    [Fact]
    public async Task Dev_nodes_in_separate_homes_pay_each_other_through_the_shared_dev_network()
    {
        using var root = new TempDirectory("devnet-shared");
        var environment = new Dictionary<string, string?> { [DevNode.NetworkVariable] = root.Combine("shared") };
        await using var seller = LightningNodeFactory.Create(NodeConnectionString.Parse("type=dev;name=seller"), root.Combine("seller-home"), environment: k => environment.GetValueOrDefault(k));
        await using var buyer = LightningNodeFactory.Create(NodeConnectionString.Parse("type=dev;name=buyer"), root.Combine("buyer-home"), environment: k => environment.GetValueOrDefault(k));
        var invoice = await seller.CreateInvoiceAsync(21_000, "dsrs manifest x", TimeSpan.FromMinutes(10), default);

        var paid = await buyer.PayAsync(invoice.Bolt11, 0, default);

        Assert.Equal(PaymentStatus.Succeeded, paid.Status);
        Assert.Equal(root.Combine("shared"), ((DevNode)buyer).LedgerDirectory);
    }

    [Fact]
    public void Without_DSRS_DEVNET_the_shared_folder_is_in_the_system_temp_folder_and_not_in_a_home()
    {
        var folder = DevNode.DefaultNetworkDirectory(_ => null);

        Assert.Equal(Path.GetTempPath().TrimEnd(Path.DirectorySeparatorChar), Path.GetDirectoryName(folder));
        Assert.StartsWith("dsrs-devnet-", Path.GetFileName(folder));
    }

    [Fact]
    public async Task Latency_ms_delays_settlement_by_at_least_that_long()
    {
        using var root = new TempDirectory("devnet-latency");
        var seller = DevNode.Open("seller", root.Path);
        await using var buyer = LightningNodeFactory.Create(NodeConnectionString.Parse($"type=dev;name=buyer;ledger={root.Path};latency_ms=400"), root.Path);
        var invoice = await seller.CreateInvoiceAsync(21_000, "dsrs manifest x", TimeSpan.FromMinutes(10), default);

        var clock = Stopwatch.StartNew();
        var paid = await buyer.PayAsync(invoice.Bolt11, 0, default);

        Assert.Equal(PaymentStatus.Succeeded, paid.Status);
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(400), $"settled after {clock.Elapsed.TotalMilliseconds} ms");
    }

    [Fact]
    public async Task Two_payments_made_at_once_through_a_slow_node_are_recorded_as_overlapping()
    {
        using var root = new TempDirectory("devnet-latency");
        var seller = DevNode.Open("seller", root.Path);
        await using var buyer = LightningNodeFactory.Create(NodeConnectionString.Parse($"type=dev;name=buyer;ledger={root.Path};latency_ms=300"), root.Path);
        var first = await seller.CreateInvoiceAsync(21_000, "dsrs manifest x", TimeSpan.FromMinutes(10), default);
        var second = await seller.CreateInvoiceAsync(22_000, "dsrs manifest y", TimeSpan.FromMinutes(10), default);
        var unknown = await DevNode.Open("stranger", root.Combine("elsewhere")).CreateInvoiceAsync(1_000, "x", TimeSpan.FromMinutes(10), default);
        var failed = await buyer.PayAsync(unknown.Bolt11, 0, default); // another ledger's invoice: recorded as failed

        await Task.WhenAll(buyer.PayAsync(first.Bolt11, 0, default), buyer.PayAsync(second.Bolt11, 0, default));

        var payments = ((DevNode)buyer).ListPayments();
        Assert.Equal(PaymentStatus.Failed, failed.Status);
        Assert.Equal([true, false, false], payments.Select(p => p.Failed));
        var (a, b) = (payments.Single(p => p.PaymentHash == first.PaymentHashHex), payments.Single(p => p.PaymentHash == second.PaymentHashHex));
        Assert.Equal([21_000L, 22_000L], new[] { a.AmountMsat, b.AmountMsat });
        Assert.True(a.StartedAt < b.FinishedAt && b.StartedAt < a.FinishedAt, $"{a} / {b}");
        Assert.Empty(DevNode.Open("seller", root.Path).ListPayments());
    }

    [Fact]
    public async Task A_payment_cancelled_during_its_latency_pays_nothing_and_the_invoice_stays_open()
    {
        using var root = new TempDirectory("devnet-latency");
        var seller = DevNode.Open("seller", root.Path);
        await using var buyer = LightningNodeFactory.Create(NodeConnectionString.Parse($"type=dev;name=buyer;ledger={root.Path};latency_ms=600000"), root.Path);
        var invoice = await seller.CreateInvoiceAsync(21_000, "dsrs manifest x", TimeSpan.FromMinutes(10), default);
        using var cancel = new CancellationTokenSource();

        var paying = buyer.PayAsync(invoice.Bolt11, 0, cancel.Token);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => paying);
        Assert.Equal(0, seller.CountPaymentAttempts(invoice.PaymentHashHex));
        Assert.Equal(DevInvoiceState.Open, seller.LookupInvoice(invoice.PaymentHashHex)!.State);
        Assert.Equal(PaymentStatus.NotFound, (await buyer.LookupPaymentAsync(invoice.PaymentHashHex, default)).Status);
    }

    [Theory]
    [InlineData("latency_ms=-1")]
    [InlineData("latency_ms=1.5")]
    [InlineData("latency_ms=600001")]
    public void A_latency_that_is_not_0_to_600000_ms_is_refused(string setting)
    {
        var error = Assert.Throws<ManifestBuild.Format.DsrsException>(() => NodeConnectionString.Parse("type=dev;name=buyer;" + setting));

        Assert.Equal(NodeErrorCodes.MalformedValue, error.Code);
    }
}
