using System.Security.Cryptography;
using ManifestBuild.Format;
using ManifestBuild.Lightning.Bolt11;
using ManifestBuild.Lightning.Dev;
using ManifestBuild.Lightning.Nodes;
using ManifestBuild.TestSupport;

namespace ManifestBuild.Lightning.Tests.Dev;

public class DevNodeTests
{
    [Fact]
    public async Task Seller_invoice_is_a_real_signed_regtest_invoice_with_a_stored_preimage()
    {
        using var dir = new TempDirectory("devnode");
        var seller = DevNode.Open("seller", dir.Path);

        var created = await seller.CreateInvoiceAsync(21_000, "dsrs manifest abc", TimeSpan.FromMinutes(10), default);
        var decoded = Bolt11Decoder.Decode(created.Bolt11);

        Assert.StartsWith("lnbcrt210n1", created.Bolt11);
        Assert.Equal("regtest", decoded.Network);
        Assert.Equal(21_000, decoded.AmountMsat);
        Assert.Equal(seller.NodeId, decoded.Payee);
        Assert.Equal(created.PaymentHashHex, decoded.PaymentHash);
        Assert.Equal("dsrs manifest abc", decoded.Description);
        Assert.NotNull(decoded.PaymentSecret);
        var stored = seller.LookupInvoice(created.PaymentHashHex)!;
        Assert.Equal(created.PaymentHashHex, Convert.ToHexString(SHA256.HashData(Convert.FromHexString(stored.Preimage))).ToLowerInvariant());
        Assert.Equal(new NodeInfo(seller.NodeId, "regtest", "seller", null), await seller.GetInfoAsync(default));
    }

    [Fact]
    public void Node_key_persists_and_differs_per_name()
    {
        using var dir = new TempDirectory("devnode");
        var first = DevNode.Open("buyer", dir.Path);
        Assert.Equal(first.NodeId, DevNode.Open("buyer", dir.Path).NodeId);
        Assert.NotEqual(first.NodeId, DevNode.Open("seller", dir.Path).NodeId);
        Assert.Equal(66, first.NodeId.Length);
        Assert.Equal("DSRS0495", Assert.Throws<DsrsException>(() => DevNode.Open("../evil", dir.Path)).Code);
    }

    [Fact]
    public async Task Buyer_pays_seller_once_and_lookup_returns_the_preimage()
    {
        using var dir = new TempDirectory("devnode");
        var seller = DevNode.Open("seller", dir.Path);
        var buyer = DevNode.Open("buyer", dir.Path);
        var invoice = await seller.CreateInvoiceAsync(5_000, "x", TimeSpan.FromMinutes(5), default);

        Assert.Equal(PaymentStatus.NotFound, (await buyer.LookupPaymentAsync(invoice.PaymentHashHex, default)).Status);
        var paid = await buyer.PayAsync(invoice.Bolt11, 100, default);

        Assert.Equal(PaymentStatus.Succeeded, paid.Status);
        Assert.Equal(seller.LookupInvoice(invoice.PaymentHashHex)!.Preimage, paid.PreimageHex);
        Assert.Equal(paid, await buyer.LookupPaymentAsync(invoice.PaymentHashHex, default));
        Assert.Equal("DSRS0492", (await Assert.ThrowsAsync<DsrsException>(() => buyer.PayAsync(invoice.Bolt11, 100, default))).Code);
        var other = DevNode.Open("other", dir.Path);
        Assert.Equal("DSRS0492", (await Assert.ThrowsAsync<DsrsException>(() => other.PayAsync(invoice.Bolt11, 100, default))).Code);
        Assert.Single(seller.ListSettledInvoices());
        Assert.Equal(1, seller.CountPaymentAttempts(invoice.PaymentHashHex));
    }

    [Fact]
    public async Task Refuses_non_regtest_foreign_expired_and_own_invoices()
    {
        using var dir = new TempDirectory("devnode");
        var seller = DevNode.Open("seller", dir.Path);
        var buyer = DevNode.Open("buyer", dir.Path);
        var key = RandomNumberGenerator.GetBytes(32);
        var hash = Convert.ToHexString(RandomNumberGenerator.GetBytes(32)).ToLowerInvariant();
        var request = new Bolt11InvoiceRequest
        {
            Network = "bitcoin",
            AmountMsat = 1000,
            Timestamp = DateTimeOffset.UtcNow,
            PaymentHash = hash,
            PaymentSecret = hash,
            Description = "mainnet",
        };

        var mainnet = Bolt11Encoder.Encode(request, key);
        Assert.Equal("DSRS0490", (await Assert.ThrowsAsync<DsrsException>(() => buyer.PayAsync(mainnet, 10, default))).Code);

        // A regtest invoice no dev node issued: a definitive failure, also on lookup.
        var foreign = Bolt11Encoder.Encode(request with { Network = "regtest" }, key);
        var failed = await buyer.PayAsync(foreign, 10, default);
        Assert.Equal(PaymentStatus.Failed, failed.Status);
        Assert.Equal(PaymentStatus.Failed, (await buyer.LookupPaymentAsync(hash, default)).Status);

        var own = await buyer.CreateInvoiceAsync(1000, "self", TimeSpan.FromMinutes(1), default);
        Assert.Equal("DSRS0494", (await Assert.ThrowsAsync<DsrsException>(() => buyer.PayAsync(own.Bolt11, 10, default))).Code);

        var time = new ManualTime(DateTimeOffset.UtcNow);
        var lateSeller = DevNode.Open("seller", dir.Path, time);
        var shortLived = await lateSeller.CreateInvoiceAsync(1000, "soon", TimeSpan.FromSeconds(30), default);
        time.Advance(TimeSpan.FromMinutes(1));
        var lateBuyer = DevNode.Open("buyer", dir.Path, time);
        Assert.Equal("DSRS0493", (await Assert.ThrowsAsync<DsrsException>(() => lateBuyer.PayAsync(shortLived.Bolt11, 10, default))).Code);
        Assert.Equal(0, seller.CountPaymentAttempts(shortLived.PaymentHashHex));
    }

    [Fact]
    public async Task Hold_invoice_stays_pending_until_settled_or_cancelled()
    {
        using var dir = new TempDirectory("devnode");
        var seller = DevNode.Open("seller", dir.Path);
        var buyer = DevNode.Open("buyer", dir.Path);

        var held = await seller.CreateHoldInvoiceAsync(2000, "held", TimeSpan.FromMinutes(5), default);
        Assert.Equal(PaymentStatus.Pending, (await buyer.PayAsync(held.Bolt11, 10, default)).Status);
        Assert.Equal(PaymentStatus.Pending, (await buyer.LookupPaymentAsync(held.PaymentHashHex, default)).Status);
        seller.SettleHoldInvoice(held.PaymentHashHex);
        var settled = await buyer.LookupPaymentAsync(held.PaymentHashHex, default);
        Assert.Equal(PaymentStatus.Succeeded, settled.Status);
        Assert.Equal(seller.LookupInvoice(held.PaymentHashHex)!.Preimage, settled.PreimageHex);

        var cancelled = await seller.CreateHoldInvoiceAsync(2000, "held", TimeSpan.FromMinutes(5), default);
        await buyer.PayAsync(cancelled.Bolt11, 10, default);
        seller.CancelHoldInvoice(cancelled.PaymentHashHex);
        Assert.Equal(PaymentStatus.Failed, (await buyer.LookupPaymentAsync(cancelled.PaymentHashHex, default)).Status);
    }

    [Fact]
    public async Task Concurrent_payers_of_one_invoice_settle_it_exactly_once()
    {
        using var dir = new TempDirectory("devnode");
        var seller = DevNode.Open("seller", dir.Path);
        var invoice = await seller.CreateInvoiceAsync(3000, "race", TimeSpan.FromMinutes(5), default);
        var payers = Enumerable.Range(0, 6).Select(i => DevNode.Open("payer" + i, dir.Path)).ToList();

        var outcomes = await Task.WhenAll(payers.Select(p => Task.Run(async () =>
        {
            try
            {
                return (await p.PayAsync(invoice.Bolt11, 10, default)).Status.ToString();
            }
            catch (DsrsException e)
            {
                return e.Code;
            }
        })));

        Assert.Equal(1, outcomes.Count(o => o == "Succeeded"));
        Assert.Equal(5, outcomes.Count(o => o == "DSRS0492"));
        Assert.Equal(1, seller.CountPaymentAttempts(invoice.PaymentHashHex));
    }
}

/// <summary>A clock the test moves by hand.</summary>
internal sealed class ManualTime(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset now = start;

    public override DateTimeOffset GetUtcNow() => now;

    public void Advance(TimeSpan by) => now += by;
}
