using System.Security.Cryptography;
using ManifestBuild.Format;
using ManifestBuild.Lightning.Dev;
using ManifestBuild.Lightning.Payments;
using ManifestBuild.TestSupport;

namespace ManifestBuild.Lightning.Tests.Payments;

/// <summary>PayAsync against dev nodes: ledger states, receipts, in-flight tracking, definitive failures, budget.</summary>
public sealed class PaymentGuardPayTests : IDisposable
{
    private readonly TempDirectory home = new("guard");
    private readonly DevNode seller;
    private readonly DevNode buyer;
    private readonly PurchaseLedger ledger;
    private readonly string compiledId = Convert.ToHexString(RandomNumberGenerator.GetBytes(32)).ToLowerInvariant();

    public PaymentGuardPayTests()
    {
        seller = DevNode.Open("seller", home.Combine("devnet"));
        buyer = DevNode.Open("buyer", home.Combine("devnet"));
        ledger = PurchaseLedger.ForHome(home.Path);
    }

    [Fact]
    public async Task Pays_once_records_the_receipt_and_reuses_it()
    {
        var budget = new BuildBudget(100_000);
        var first = await seller.CreateInvoiceAsync(40_000, "dsrs " + compiledId, TimeSpan.FromMinutes(10), default);
        var guard = new PaymentGuard(buyer, ledger);

        var paid = await guard.PayAsync(Request(first.Bolt11) with { Budget = budget }, default);

        Assert.False(paid.AlreadyPaid);
        Assert.Equal(first.PaymentHashHex, paid.PaymentHash);
        Assert.Equal(seller.LookupInvoice(first.PaymentHashHex)!.Preimage, paid.Preimage);
        Assert.Equal(60_000, budget.RemainingMsat);
        var record = ledger.Find(first.PaymentHashHex)!;
        Assert.Equal(PurchaseState.Paid, record.State);
        Assert.Equal(5_000, record.MaxFeeMsat);
        Assert.Equal("dev", record.NodeKind);

        // A second buy of the same manifest (a new invoice from the seller) pays nothing.
        var second = await seller.CreateInvoiceAsync(40_000, "dsrs " + compiledId, TimeSpan.FromMinutes(10), default);
        var again = await guard.PayAsync(Request(second.Bolt11) with { Budget = budget }, default);
        Assert.True(again.AlreadyPaid);
        Assert.Equal(paid.Preimage, again.Preimage);
        Assert.Equal(60_000, budget.RemainingMsat);
        Assert.Equal(0, seller.CountPaymentAttempts(second.PaymentHashHex));
        Assert.Single(seller.ListSettledInvoices());

        if (!OperatingSystem.IsWindows())
        {
            // Records hold receipts (token, preimage): owner-only.
            var mode = File.GetUnixFileMode(Path.Combine(ledger.Directory, paid.PaymentHash + ".json"));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, mode);
        }

        var delivered = await ledger.MarkDeliveredAsync(paid.PaymentHash);
        Assert.Equal(PurchaseState.Delivered, delivered.State);
        Assert.Equal(paid, ledger.FindReceipt(compiledId)! with { AlreadyPaid = false });
    }

    [Fact]
    public async Task A_stuck_payment_is_tracked_never_re_sent_and_picked_up_once_settled()
    {
        var held = await seller.CreateHoldInvoiceAsync(40_000, "dsrs " + compiledId, TimeSpan.FromMinutes(10), default);
        var guard = new PaymentGuard(buyer, ledger, ShortWait());

        Assert.Equal("DSRS0483", (await Assert.ThrowsAsync<DsrsException>(() => guard.PayAsync(Request(held.Bolt11), default))).Code);
        Assert.Equal(PurchaseState.Paying, ledger.Find(held.PaymentHashHex)!.State);

        // A rerun, even handed a fresh invoice, looks the stuck payment up instead of paying again.
        var fresh = await seller.CreateInvoiceAsync(40_000, "dsrs " + compiledId, TimeSpan.FromMinutes(10), default);
        Assert.Equal("DSRS0483", (await Assert.ThrowsAsync<DsrsException>(() => guard.PayAsync(Request(fresh.Bolt11), default))).Code);
        Assert.Equal(1, seller.CountPaymentAttempts(held.PaymentHashHex));
        Assert.Equal(0, seller.CountPaymentAttempts(fresh.PaymentHashHex));

        seller.SettleHoldInvoice(held.PaymentHashHex);
        var paid = await guard.PayAsync(Request(fresh.Bolt11), default);
        Assert.Equal(held.PaymentHashHex, paid.PaymentHash);
        Assert.Equal(seller.LookupInvoice(held.PaymentHashHex)!.Preimage, paid.Preimage);
        Assert.Equal(0, seller.CountPaymentAttempts(fresh.PaymentHashHex));
    }

    [Fact]
    public async Task Only_a_definitive_failure_allows_a_new_payment_and_releases_the_budget()
    {
        var budget = new BuildBudget(50_000);
        var held = await seller.CreateHoldInvoiceAsync(40_000, "dsrs " + compiledId, TimeSpan.FromMinutes(10), default);
        var guard = new PaymentGuard(buyer, ledger, ShortWait());
        await Assert.ThrowsAsync<DsrsException>(() => guard.PayAsync(Request(held.Bolt11) with { Budget = budget }, default));
        Assert.Equal(10_000, budget.RemainingMsat);

        seller.CancelHoldInvoice(held.PaymentHashHex);
        var fresh = await seller.CreateInvoiceAsync(40_000, "dsrs " + compiledId, TimeSpan.FromMinutes(10), default);
        var newBudget = new BuildBudget(50_000);
        var paid = await guard.PayAsync(Request(fresh.Bolt11) with { Budget = newBudget }, default);

        Assert.Equal(fresh.PaymentHashHex, paid.PaymentHash);
        Assert.Equal(PurchaseState.Failed, ledger.Find(held.PaymentHashHex)!.State);
        Assert.Equal(10_000, newBudget.RemainingMsat);
    }

    [Fact]
    public async Task A_refusal_by_the_node_marks_the_record_failed_and_pays_nothing()
    {
        var invoice = await seller.CreateInvoiceAsync(40_000, "dsrs " + compiledId, TimeSpan.FromMinutes(10), default);
        await DevNode.Open("someone", home.Combine("devnet")).PayAsync(invoice.Bolt11, 10, default);
        var budget = new BuildBudget(40_000);

        var error = await Assert.ThrowsAsync<DsrsException>(() => new PaymentGuard(buyer, ledger).PayAsync(Request(invoice.Bolt11) with { Budget = budget }, default));

        Assert.Equal("DSRS0492", error.Code);
        Assert.Equal(PurchaseState.Failed, ledger.Find(invoice.PaymentHashHex)!.State);
        Assert.Equal(40_000, budget.RemainingMsat);
    }

    [Fact]
    public async Task An_unknown_outcome_stays_in_flight_and_the_rerun_looks_it_up_instead_of_paying()
    {
        var invoice = await seller.CreateInvoiceAsync(40_000, "dsrs " + compiledId, TimeSpan.FromMinutes(10), default);

        var error = await Assert.ThrowsAsync<DsrsException>(() => new PaymentGuard(new DroppingNode(buyer), ledger).PayAsync(Request(invoice.Bolt11), default));
        Assert.Equal("DSRS0483", error.Code);
        Assert.Equal(PurchaseState.Paying, ledger.Find(invoice.PaymentHashHex)!.State);

        var paid = await new PaymentGuard(buyer, ledger).PayAsync(Request(invoice.Bolt11), default);
        Assert.True(paid.AlreadyPaid);
        Assert.Equal(seller.LookupInvoice(invoice.PaymentHashHex)!.Preimage, paid.Preimage);
        Assert.Equal(1, seller.CountPaymentAttempts(invoice.PaymentHashHex));
        Assert.Equal(1, ledger.Find(invoice.PaymentHashHex)!.Attempts);
    }

    [Fact]
    public async Task Fraud_flag_removes_the_receipt_and_keeps_the_evidence()
    {
        var invoice = await seller.CreateInvoiceAsync(40_000, "dsrs " + compiledId, TimeSpan.FromMinutes(10), default);
        var paid = await new PaymentGuard(buyer, ledger).PayAsync(Request(invoice.Bolt11), default);

        var flagged = await ledger.MarkFraudAsync(paid.PaymentHash, "content hashed to another compiled_id");

        Assert.True(flagged.Fraud);
        Assert.Equal("content hashed to another compiled_id", ledger.Find(paid.PaymentHash)!.FraudReason);
        Assert.Null(ledger.FindReceipt(compiledId));
        Assert.Single(ledger.FindByCompiledId(compiledId));
        Assert.Equal("DSRS0487", (await Assert.ThrowsAsync<DsrsException>(() => ledger.MarkDeliveredAsync(new string('0', 64)))).Code);
    }

    [Fact]
    public async Task Concurrent_buyers_in_one_process_pay_once()
    {
        var invoices = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => seller.CreateInvoiceAsync(40_000, "dsrs " + compiledId, TimeSpan.FromMinutes(10), default)));
        var results = await Task.WhenAll(invoices.Select(i => Task.Run(() => new PaymentGuard(buyer, ledger).PayAsync(Request(i.Bolt11), default))));

        Assert.Single(results.Select(r => r.PaymentHash).Distinct());
        Assert.Equal(1, results.Count(r => !r.AlreadyPaid));
        Assert.Single(seller.ListSettledInvoices());
    }

    public void Dispose() => home.Dispose();

    private static PaymentGuardOptions ShortWait() => new()
    {
        PendingWait = TimeSpan.FromMilliseconds(300),
        PendingPollInterval = TimeSpan.FromMilliseconds(20),
    };

    private PurchaseRequest Request(string bolt11) => new()
    {
        CompiledId = compiledId,
        PriceMsat = 40_000,
        ListingNodeId = seller.NodeId,
        ExpectedNetwork = "regtest",
        MaxPriceMsat = 100_000,
        Token = "token-" + bolt11[^8..],
        Bolt11 = bolt11,
    };
}

/// <summary>A node whose connection drops right after it accepted the payment: the caller cannot know the outcome.</summary>
internal sealed class DroppingNode(ManifestBuild.Lightning.Nodes.ILightningNode inner) : ManifestBuild.Lightning.Nodes.ILightningNode
{
    public string Kind => inner.Kind;

    public Task<ManifestBuild.Lightning.Nodes.NodeInfo> GetInfoAsync(CancellationToken cancellationToken) => inner.GetInfoAsync(cancellationToken);

    public async Task<ManifestBuild.Lightning.Nodes.PaymentResult> PayAsync(string bolt11, long maxFeeMsat, CancellationToken cancellationToken)
    {
        await inner.PayAsync(bolt11, maxFeeMsat, cancellationToken);
        throw new IOException("connection reset by peer");
    }

    public Task<ManifestBuild.Lightning.Nodes.PaymentResult> LookupPaymentAsync(string paymentHashHex, CancellationToken cancellationToken) => inner.LookupPaymentAsync(paymentHashHex, cancellationToken);

    public Task<ManifestBuild.Lightning.Nodes.CreatedInvoice> CreateInvoiceAsync(long amountMsat, string description, TimeSpan expiry, CancellationToken cancellationToken) =>
        inner.CreateInvoiceAsync(amountMsat, description, expiry, cancellationToken);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
