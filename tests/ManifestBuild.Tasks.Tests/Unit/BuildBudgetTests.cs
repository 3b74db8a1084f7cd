using ManifestBuild.Format;
using ManifestBuild.Lightning.Payments;
using ManifestBuild.Market;
using ManifestBuild.Tasks.Resolution;
using ManifestBuild.Tasks.Tests.Support;
using ManifestBuild.Format.Locking;

namespace ManifestBuild.Tasks.Tests.Unit;

/// <summary>
/// One budget per build, spent when paid, reserved first: the resolver reserves each paying item's price
/// (the scripted market's Price) from the one budget in declaration order, then runs the acquisitions at
/// once, each with its reservation's own budget, from which the scripted market reserves as the payment
/// guard does when the node reports a payment, and may then fail the delivery.
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
            Price = _ => 30_000,
            Acquire = (item, budget) => item.Name == "A"
                ? PayThen(budget, 30_000, () => throw new DsrsException(MarketErrorCodes.ContentMismatch, "the seller went away after the payment"))
                : PayThen(budget, 30_000, () => new MarketAcquisition(ManifestVerifier.Verify(json), Lock(id, 30_000), 30_000, false, "B")),
        };

        var outcome = await h.RunAsync(h.Settings(budget: 50_000), market, h.Declare("A", ("Family", "complexity")), h.Declare("B", ("Family", "delegation")));

        // B's price did not fit beside A's reservation, nor in what A's spent payment left: B never reached the market.
        Assert.Equal([MarketErrorCodes.ContentMismatch, PaymentErrorCodes.OverBudget], outcome.Failures.Select(f => f.Code));
        Assert.Equal([30_000L], market.BudgetsSeen);
        Assert.Contains("costs 30000 msat but only 20000 of DsrsBudgetMsat 50000 msat is left for this build; nothing was paid", outcome.Failures[1].Message, StringComparison.Ordinal);
        Assert.Equal(30_000, h.Resolver!.Budget.SpentMsat);
        Assert.Contains("30000 msat paid without a delivery", Assert.Single(h.Log.Totals));
        Assert.Empty(h.Log.Payments);
    }

    [Fact]
    public async Task APaymentTheNodeRefusesGivesItsReservationBackToAnItemThatDidNotFit()
    {
        var (json, id) = TestManifests.Complexity("Second opinion.", "delegation");
        var market = new ScriptedMarket
        {
            Price = _ => 30_000,
            Acquire = (item, budget) => item.Name == "A"
                ? FailAtTheNode(budget, 30_000)
                : PayThen(budget, 30_000, () => new MarketAcquisition(ManifestVerifier.Verify(json), Lock(id, 30_000), 30_000, false, "B")),
        };

        var outcome = await h.RunAsync(h.Settings(budget: 50_000), market, h.Declare("A", ("Family", "complexity")), h.Declare("B", ("Family", "delegation")));

        // A held 30000 of 50000, so B waited; A's payment failed (nothing paid), so B was bought after all.
        Assert.Equal(PaymentErrorCodes.PaymentFailed, Assert.Single(outcome.Failures).Code);
        Assert.Equal([30_000L, 30_000L], market.BudgetsSeen);
        Assert.Equal(30_000, h.Resolver!.Budget.SpentMsat);
        Assert.Equal(id, LockFileStore.Read(h.LockFile).Get("B")?.CompiledId);
        Assert.Equal("dsrs: 1 manifest, 1 bought for 30000 msat, 1 failed", Assert.Single(h.Log.Totals));
    }

    [Fact]
    public async Task TwoPaidItemsWhosePricesSumOverTheBudgetBuyOnlyTheFirst()
    {
        var (json1, id1) = TestManifests.Complexity();
        var (json2, id2) = TestManifests.Complexity("Second opinion.", "delegation");
        var market = new ScriptedMarket
        {
            Price = _ => 30_000,
            Acquire = (item, budget) => item.Name == "A"
                ? PayThen(budget, 30_000, () => new MarketAcquisition(ManifestVerifier.Verify(json1), Lock(id1, 30_000), 30_000, false, "A"))
                : PayThen(budget, 30_000, () => new MarketAcquisition(ManifestVerifier.Verify(json2), Lock(id2, 30_000), 30_000, false, "B")),
        };

        var outcome = await h.RunAsync(h.Settings(budget: 50_000), market, h.Declare("A", ("Family", "complexity")), h.Declare("B", ("Family", "delegation")));

        Assert.Equal(PaymentErrorCodes.OverBudget, Assert.Single(outcome.Failures).Code);
        Assert.Single(market.BudgetsSeen);
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
            Price = item => item.Name == "A" ? 30_000 : 20_000,
            Acquire = (item, budget) => item.Name == "A"
                ? PayThen(budget, 30_000, () => new MarketAcquisition(ManifestVerifier.Verify(json1), Lock(id1, 30_000), 30_000, false, "A"))
                : PayThen(budget, 20_000, () => new MarketAcquisition(ManifestVerifier.Verify(json2), Lock(id2, 20_000), 20_000, false, "B")),
        };

        var outcome = await h.RunAsync(h.Settings(budget: 50_000), market, h.Declare("A", ("Family", "complexity")), h.Declare("B", ("Family", "delegation")));

        Assert.Empty(outcome.Failures);
        Assert.Equal([30_000L, 20_000L], market.BudgetsSeen);
        Assert.Equal(0, h.Resolver!.Budget.RemainingMsat);
        Assert.Equal(2, h.Log.Payments.Count);
        Assert.Equal("dsrs: 2 manifests, 2 bought for 50000 msat", Assert.Single(h.Log.Totals));
    }

    [Fact]
    public async Task OfFiveItemsBoughtAtOnceExactlyThoseThatFitInDeclarationOrderAreBought()
    {
        var prices = new Dictionary<string, long> { ["A"] = 30_000, ["B"] = 20_000, ["C"] = 40_000, ["D"] = 10_000, ["E"] = 20_000 };
        var manifests = prices.Keys.ToDictionary(n => n, n => TestManifests.Complexity("Item " + n + ".", "family" + n));
        var market = new ScriptedMarket
        {
            Price = item => prices[item.Name],
            Acquire = (item, budget) => PayThen(budget, prices[item.Name], () => new MarketAcquisition(ManifestVerifier.Verify(manifests[item.Name].Json), Lock(manifests[item.Name].CompiledId, prices[item.Name]), prices[item.Name], false, item.Name)),
        };

        var outcome = await h.RunAsync(h.Settings(budget: 70_000), market, [.. prices.Keys.Select(n => h.Declare(n, ("Family", "family" + n)))]);

        // A (30000), B (20000) and D (10000) fit in that order; C (40000) and E (20000) never do, not even
        // in what is left once the others are paid (10000): refused with the budget's code, nothing paid.
        Assert.Equal(["DsrsManifest 'C'", "DsrsManifest 'E'"], outcome.Failures.Select(f => f.Message[.."DsrsManifest 'C'".Length]));
        Assert.All(outcome.Failures, f => Assert.Equal(PaymentErrorCodes.OverBudget, f.Code));
        Assert.Equal(["A", "B", "D"], outcome.Resolved.Select(r => r.Name));
        Assert.Equal(60_000, h.Resolver!.Budget.SpentMsat);
        Assert.True(h.Resolver.Budget.SpentMsat <= 70_000);
        Assert.Equal([30_000L, 20_000L, 10_000L], market.BudgetsSeen);
        Assert.Equal(["A", "B", "D"], LockFileStore.Read(h.LockFile).Entries.Keys.Order());
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

    /// <summary>What the guard does when the node refuses the payment: reserve, then give it back, and fail with DSRS0482.</summary>
    private static MarketAcquisition FailAtTheNode(BuildBudget budget, long price)
    {
        Assert.True(budget.TryReserve(price));
        budget.Release(price);
        throw new DsrsException(PaymentErrorCodes.PaymentFailed, "payment failed at the node: no route; nothing was paid");
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
