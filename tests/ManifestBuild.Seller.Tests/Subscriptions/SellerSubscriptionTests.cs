using ManifestBuild.Format;
using ManifestBuild.Lightning.Dev;
using ManifestBuild.Lightning.Payments;
using ManifestBuild.Market;
using ManifestBuild.Market.Buying;
using ManifestBuild.Seller.Sales;
using ManifestBuild.TestSupport;

namespace ManifestBuild.Seller.Tests.Subscriptions;

/// <summary>
/// A subscription bought once over real HTTP on loopback (dev nodes, the seller's server): every version
/// of the line published within the term downloads without paying; a version published after the term
/// renews it through the guard and the budget, never in locked mode; the sales journal shows the line.
/// </summary>
public sealed class SellerSubscriptionTests : IAsyncLifetime
{
    private readonly TempDirectory root = new("seller-subscription");
    private SubscriptionSeller seller = null!;
    private DevNode buyer = null!;

    public async Task InitializeAsync()
    {
        seller = await SubscriptionSeller.StartAsync(root);
        buyer = DevNode.Open("buyer", root.Combine("devnet"));
    }

    public async Task DisposeAsync()
    {
        await seller.DisposeAsync();
        await buyer.DisposeAsync();
        root.Dispose();
    }

    private AcquireOptions Buyer(string home, long budgetMsat = 100_000) => new()
    {
        Home = home,
        Node = buyer,
        BuildBudget = new BuildBudget(budgetMsat),
        GuardOptions = new PaymentGuardOptions(),
    };

    [Fact]
    public async Task One_payment_opens_every_version_of_the_term_and_a_later_version_renews_through_the_guard_and_budget()
    {
        var market = new MarketClient();
        var home = root.Combine("buyer-home");
        var (_, v1) = await seller.PublishVersionAsync("first version");
        var listing = seller.SubscriptionListing();

        var bought = await market.SubscribeAsync(listing, Buyer(home));
        Assert.Equal(SubscriptionSeller.SubscriptionPrice, bought.PaidMsat);
        Assert.False(bought.AlreadyHeld);
        Assert.Equal(1, seller.Payments);
        Assert.Equal(PurchaseState.Delivered, PurchaseLedger.ForHome(home).Find(bought.Subscription.PaymentHash)!.State);
        Assert.True(bought.Subscription.ExpiresAt >= DateTimeOffset.UtcNow.ToUnixTimeSeconds() + SubscriptionSeller.Period);

        // Subscribing again while the term runs pays nothing.
        var again = await market.SubscribeAsync(listing, Buyer(home));
        Assert.True(again.AlreadyHeld);
        Assert.Equal(0, again.PaidMsat);
        Assert.Equal(1, seller.Payments);

        // The version listed when it subscribed, and a version published later in the term: 0 paid each.
        var first = await market.AcquireAsync(v1, Buyer(home));
        Assert.Equal((AcquireSource.Receipt, 0L), (first.Source, first.PricePaidMsat));
        var (_, v2) = await seller.PublishVersionAsync("second version");
        var second = await market.AcquireAsync(v2, Buyer(home) with { AllowPay = false });
        Assert.Equal((AcquireSource.Receipt, 0L, v2.CompiledId), (second.Source, second.PricePaidMsat, CompiledId.Verify(second.Manifest.Json)));
        Assert.Equal(1, seller.Payments);

        // A clean CI machine with the exported receipts restores the version in locked mode, paying nothing.
        var ci = await market.RestoreAsync(v2.CompiledId, new RestoreOptions { Home = root.Combine("ci-home"), ExtraReceipts = new ReceiptStore(home).List() });
        Assert.Equal(AcquireSource.Receipt, ci.Source);

        // Two days later on the seller's clock the term is over; a version published now needs a renewal.
        seller.Time.Now += TimeSpan.FromDays(2);
        var (_, v3) = await seller.PublishVersionAsync("third version");
        var locked = await Assert.ThrowsAsync<DsrsException>(() => market.AcquireAsync(v3, Buyer(home) with { AllowPay = false }));
        Assert.Equal(MarketErrorCodes.PaymentNotAllowed, locked.Code);
        Assert.Contains("expired", locked.Message, StringComparison.Ordinal);
        var poor = await Assert.ThrowsAsync<DsrsException>(() => market.AcquireAsync(v3, Buyer(home, budgetMsat: SubscriptionSeller.SubscriptionPrice - 1)));
        Assert.Equal(PaymentErrorCodes.OverBudget, poor.Code);
        Assert.Equal(1, seller.Payments);

        var budget = new BuildBudget(100_000);
        var renewed = await market.AcquireAsync(v3, Buyer(home) with { BuildBudget = budget });
        Assert.Equal((AcquireSource.Purchase, SubscriptionSeller.SubscriptionPrice), (renewed.Source, renewed.PricePaidMsat));
        Assert.Equal(SubscriptionSeller.SubscriptionPrice, budget.SpentMsat);
        Assert.Equal(2, seller.Payments);
        Assert.Equal(2, new SubscriptionStore(home).ForLine(seller.Key.PublicKeyHex, seller.Line).Count);

        // The first term still opens the versions of its own time, on a machine that never renewed.
        var old = await market.AcquireAsync(v1, new AcquireOptions { Home = root.Combine("old-home"), AllowPay = false, ExtraReceipts = [bought.Subscription.ReceiptFor(v1)] });
        Assert.Equal(AcquireSource.Receipt, old.Source);

        // The seller's journal: by line, two payments of one subscription each.
        var report = SalesReport.Build(SalesJournal.Read(SalesJournal.PathFor(seller.Home)).Records, SalesGrouping.Line);
        var row = Assert.Single(report.Rows, r => r.Key == seller.Line);
        Assert.Equal((2, 2 * SubscriptionSeller.SubscriptionPrice), (row.Buyers, row.RevenueMsat));
        Assert.True(row.Sales >= 3, $"{row.Sales} first hand-overs");
    }
}
