using ManifestBuild.Format;
using ManifestBuild.Lightning.Payments;
using ManifestBuild.Market;
using ManifestBuild.Tasks.Resolution;
using ManifestBuild.Tasks.Tests.Support;
using ManifestBuild.Format.Locking;

namespace ManifestBuild.Tasks.Tests.Unit;

/// <summary>
/// One budget per build, spent when paid: the scripted market reserves from the budget it is given,
/// as the payment guard does when the node reports a payment, and may then fail the delivery.
/// </summary>
public sealed class BuildBudgetTests : IDisposable
{
    private const string Seller = "a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90";
    private readonly ResolverHarness h = new();

    public void Dispose() => h.Dispose();

    [Fact]
    public async Task APaymentWhoseDeliveryFailsStaysSpentAndTheNextItemIsRefusedForBudget()
    {
        var (json, id) = TestManifests.Complexity("Second opinion.", "delegation");
        var market = new ScriptedMarket
        {
            Acquire = (item, budget) => item.Name == "A"
                ? PayThen(budget, 30_000, () => throw new DsrsException(MarketErrorCodes.ContentMismatch, "the seller went away after the payment"))
                : PayThen(budget, 30_000, () => new MarketAcquisition(ManifestVerifier.Verify(json), Lock(id, 30_000), 30_000, false, "B")),
        };

        var outcome = await h.RunAsync(h.Settings(budget: 50_000), market, h.Declare("A", ("Family", "complexity")), h.Declare("B", ("Family", "delegation")));

        Assert.Equal([MarketErrorCodes.ContentMismatch, PaymentErrorCodes.OverBudget], outcome.Failures.Select(f => f.Code));
        Assert.Same(market.BudgetObjects[0], market.BudgetObjects[1]);
        Assert.Equal([50_000L, 20_000L], market.BudgetsSeen);
        Assert.Equal(30_000, market.BudgetObjects[0].SpentMsat);
        Assert.Contains("30000 msat paid without a delivery", Assert.Single(h.Log.Totals));
        Assert.Empty(h.Log.Payments);
    }

    [Fact]
    public async Task TwoPaidItemsWhosePricesSumOverTheBudgetBuyOnlyTheFirst()
    {
        var (json1, id1) = TestManifests.Complexity();
        var (json2, id2) = TestManifests.Complexity("Second opinion.", "delegation");
        var market = new ScriptedMarket
        {
            Acquire = (item, budget) => item.Name == "A"
                ? PayThen(budget, 30_000, () => new MarketAcquisition(ManifestVerifier.Verify(json1), Lock(id1, 30_000), 30_000, false, "A"))
                : PayThen(budget, 30_000, () => new MarketAcquisition(ManifestVerifier.Verify(json2), Lock(id2, 30_000), 30_000, false, "B")),
        };

        var outcome = await h.RunAsync(h.Settings(budget: 50_000), market, h.Declare("A", ("Family", "complexity")), h.Declare("B", ("Family", "delegation")));

        Assert.Equal(PaymentErrorCodes.OverBudget, Assert.Single(outcome.Failures).Code);
        Assert.Equal(id1, LockFileStore.Read(h.LockFile).Get("A")?.CompiledId);
        Assert.Null(LockFileStore.Read(h.LockFile).Get("B"));
        Assert.Single(h.Log.Payments);
        Assert.Equal("dsrs: 1 manifest, 1 bought for 30000 msat, 1 failed", Assert.Single(h.Log.Totals));
    }

    [Fact]
    public async Task ABudgetExactlyMetBuysBoth()
    {
        var (json1, id1) = TestManifests.Complexity();
        var (json2, id2) = TestManifests.Complexity("Second opinion.", "delegation");
        var market = new ScriptedMarket
        {
            Acquire = (item, budget) => item.Name == "A"
                ? PayThen(budget, 30_000, () => new MarketAcquisition(ManifestVerifier.Verify(json1), Lock(id1, 30_000), 30_000, false, "A"))
                : PayThen(budget, 20_000, () => new MarketAcquisition(ManifestVerifier.Verify(json2), Lock(id2, 20_000), 20_000, false, "B")),
        };

        var outcome = await h.RunAsync(h.Settings(budget: 50_000), market, h.Declare("A", ("Family", "complexity")), h.Declare("B", ("Family", "delegation")));

        Assert.Empty(outcome.Failures);
        Assert.Equal(0, market.BudgetObjects[0].RemainingMsat);
        Assert.Equal(2, h.Log.Payments.Count);
        Assert.Equal("dsrs: 2 manifests, 2 bought for 50000 msat", Assert.Single(h.Log.Totals));
    }

    [Fact]
    public async Task LockedAndDesignTimeBuildsHaveNoBudgetToSpend()
    {
        var resolver = new ManifestResolver(h.Settings(locked: true, budget: 50_000), h.Log);
        Assert.Equal(0, resolver.Budget.TotalMsat);
        Assert.Equal(0, new ManifestResolver(h.Settings(designTime: true, budget: 50_000), h.Log).Budget.TotalMsat);
        Assert.Equal(50_000, new ManifestResolver(h.Settings(budget: 50_000), h.Log).Budget.TotalMsat);
        await Task.CompletedTask;
    }

    /// <summary>What the guard does: reserve (refuse with DSRS0473 when it does not fit), pay, then the delivery happens or not.</summary>
    private static MarketAcquisition PayThen(BuildBudget budget, long price, Func<MarketAcquisition> delivery) =>
        budget.TryReserve(price)
            ? delivery()
            : throw new DsrsException(PaymentErrorCodes.OverBudget, $"the price {price} msat no longer fits in the build's budget ({budget.RemainingMsat} msat left)");

    private static LockEntry Lock(string id, long price) => new()
    {
        SignatureName = "ComplexityClassificationSignature",
        CompiledId = id,
        Seller = Seller,
        Address = "31990:" + Seller + ":dsrs-manifest:" + id,
        PriceMsat = price,
    };
}
