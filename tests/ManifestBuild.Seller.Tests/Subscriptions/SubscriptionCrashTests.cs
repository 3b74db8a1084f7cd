using ManifestBuild.Lightning.Dev;
using ManifestBuild.Lightning.Payments;
using ManifestBuild.Market;
using ManifestBuild.Market.Buying;
using ManifestBuild.TestSupport;

namespace ManifestBuild.Seller.Tests.Subscriptions;

/// <summary>
/// The subscription purchase dies at each step of the guard (the durable record written, the node returned
/// before its answer is recorded, the preimage stored before the token is): the next run finds the same
/// term's record by its id, resolves it on the node, and the seller is paid exactly once.
/// </summary>
public sealed class SubscriptionCrashTests : IAsyncLifetime
{
    private readonly TempDirectory root = new("seller-subscription-crash");
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

    private sealed class Crash : Exception
    {
    }

    [Theory]
    [InlineData(PurchaseStep.RecordWritten)]
    [InlineData(PurchaseStep.NodeReturned)]
    [InlineData(PurchaseStep.PreimageStored)]
    public async Task A_run_that_dies_mid_purchase_is_completed_by_the_next_without_a_second_payment(PurchaseStep dieAt)
    {
        var home = root.Combine("buyer-" + dieAt);
        var listing = seller.SubscriptionListing();
        AcquireOptions Options(Func<PurchaseStep, CancellationToken, Task>? onStep) => new()
        {
            Home = home,
            Node = buyer,
            BuildBudget = new BuildBudget(100_000),
            GuardOptions = new PaymentGuardOptions { OnStep = onStep, PendingPollInterval = TimeSpan.FromMilliseconds(50) },
        };

        await Assert.ThrowsAsync<Crash>(() => new MarketClient().SubscribeAsync(listing, Options((step, _) => step == dieAt ? throw new Crash() : Task.CompletedTask)));
        var paidBeforeRestart = seller.Payments;
        Assert.Equal(dieAt == PurchaseStep.RecordWritten ? 0 : 1, paidBeforeRestart);
        Assert.Empty(new SubscriptionStore(home).List());

        var resumed = await new MarketClient().SubscribeAsync(listing, Options(null));
        Assert.Equal(1, seller.Payments);
        Assert.Equal(dieAt == PurchaseStep.RecordWritten ? SubscriptionSeller.SubscriptionPrice : 0, resumed.PaidMsat);
        var held = Assert.Single(new SubscriptionStore(home).List());
        Assert.Equal(held.PaymentHash, resumed.Subscription.PaymentHash);
        Assert.Equal(1, buyer.CountPaymentAttempts(held.PaymentHash));
        Assert.Equal(PurchaseState.Delivered, PurchaseLedger.ForHome(home).Find(held.PaymentHash)!.State);
    }
}
