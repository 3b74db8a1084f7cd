using ManifestBuild.Lightning.Dev;
using ManifestBuild.Lightning.Payments;
using ManifestBuild.Tasks.Resolution;
using ManifestBuild.Tasks.Tests.Support;
using ManifestBuild.TestSupport;

namespace ManifestBuild.Tasks.Tests.InProcess;

/// <summary>
/// Several paid items in one build, through the real MarketAdapter, seller endpoint and dev nodes on
/// loopback: the prices are reserved from the one budget first, then the payments run at once. Overlap is
/// read from the buyer dev node's own record of when each payment started and finished, not from a clock.
/// </summary>
public sealed class LoopbackParallelPurchaseTests : IAsyncLifetime
{
    private readonly TempDirectory work = new("dsrs-loopback-parallel");
    private readonly ResolverHarness h = new();
    private MarketWorld world = null!;

    public async Task InitializeAsync() => world = await MarketWorld.StartAsync(work.Combine("world"));

    public async Task DisposeAsync()
    {
        await world.DisposeAsync();
        h.Dispose();
        work.Dispose();
    }

    [Fact]
    public async Task FivePaidItemsWithASlowNodeArePaidAtOnceEachOnceAndHandedOverInDeclarationOrder()
    {
        var items = await SellAsync(5, 1_000);

        // Each purchase, its `paying` record written, waits (bounded) until all five have one: only purchases
        // that run at once get past it, so a machine too loaded to start them within the node's 1 s cannot
        // make the overlap below fail, while one-after-another purchases fail here with the timeout.
        var atTheNode = 0;
        var allFive = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var guard = new PaymentGuardOptions
        {
            OnStep = async (step, cancellationToken) =>
            {
                if (step == PurchaseStep.RecordWritten && Interlocked.Increment(ref atTheNode) == 5)
                {
                    allFive.SetResult();
                }

                if (step == PurchaseStep.RecordWritten)
                {
                    await allFive.Task.WaitAsync(TimeSpan.FromSeconds(60), cancellationToken);
                }
            },
        };
        var resolver = new ManifestResolver(Settings(budget: 5_000, latencyMs: 1_000), h.Log, s => new MarketAdapter(s, guard));

        var outcome = await resolver.ResolveAsync([.. items.Select(i => i.Item)], CancellationToken.None);

        Assert.Empty(outcome.Failures);
        Assert.Equal(items.Select(i => i.Item.Name), outcome.Resolved.Select(r => r.Name));
        Assert.Equal(5, world.Payments);
        var payments = DevNode.Open("buyer", world.DevNet).ListPayments();
        Assert.Equal(5, payments.Count);
        Assert.All(payments, p => Assert.Equal(1, world.SellerNode.CountPaymentAttempts(p.PaymentHash)));

        // Every payment started before any of them finished: all five were at the node at the same time.
        Assert.True(payments.Max(p => p.StartedAt) < payments.Min(p => p.FinishedAt), string.Join("; ", payments.Select(p => $"{p.StartedAt:O} - {p.FinishedAt:O}")));
        Assert.Equal(5_000, resolver.Budget.SpentMsat);
        Assert.Equal(items.Select(i => $"dsrs: {i.Item.Name} <- seller {world.Seller.PublicKeyHex[..12]} {i.CompiledId[..12]} paid 1000 msat"), h.Log.Payments);
        Assert.Equal("dsrs: 5 manifests, 5 bought for 5000 msat", Assert.Single(h.Log.Totals));
        var locked = LockFileStore.Read(h.LockFile);
        Assert.All(items, i => Assert.Equal(i.CompiledId, locked.Get(i.Item.Name)?.CompiledId));
    }

    [Fact]
    public async Task ABudgetThatCoversOnlySomeOfTheItemsBuysExactlyThoseThatFitAndRefusesTheRest()
    {
        var items = await SellAsync(4, 30_000);
        var resolver = new ManifestResolver(Settings(budget: 100_000, latencyMs: 200), h.Log);

        var outcome = await resolver.ResolveAsync([.. items.Select(i => i.Item)], CancellationToken.None);

        // Three prices fit in declaration order; the fourth is refused with the budget's code, never paid.
        var refused = Assert.Single(outcome.Failures);
        Assert.Equal(PaymentErrorCodes.OverBudget, refused.Code);
        Assert.StartsWith($"DsrsManifest '{items[3].Item.Name}'", refused.Message);
        Assert.Contains("costs 30000 msat but only 10000 of DsrsBudgetMsat 100000 msat is left for this build; nothing was paid", refused.Message, StringComparison.Ordinal);
        Assert.Equal(items.Take(3).Select(i => i.Item.Name), outcome.Resolved.Select(r => r.Name));
        Assert.Equal(3, world.Payments);
        Assert.Equal(3, DevNode.Open("buyer", world.DevNet).ListPayments().Count);
        Assert.Equal(90_000, resolver.Budget.SpentMsat);
        Assert.True(resolver.Budget.SpentMsat <= resolver.Budget.TotalMsat);
        Assert.Null(LockFileStore.Read(h.LockFile).Get(items[3].Item.Name));
    }

    /// <summary>Sells <paramref name="count"/> manifests at one price, each its own family, and declares one item per manifest.</summary>
    private async Task<(DeclaredManifest Item, string CompiledId)[]> SellAsync(int count, long priceMsat)
    {
        var manifests = Enumerable.Range(0, count).Select(i => TestManifests.Complexity($"Paid item {i}.", "paid" + i)).ToArray();
        await world.SellAsync([.. manifests.Select(m => (m.Json, m.CompiledId, priceMsat))]);
        return [.. manifests.Select((m, i) => (h.Declare("Paid" + i, ("Family", "paid" + i), ("MaxPriceMsat", priceMsat.ToString(System.Globalization.CultureInfo.InvariantCulture))), m.CompiledId))];
    }

    private ResolveSettings Settings(long budget, int latencyMs) => h.Settings(budget: budget, relays: world.RelayUrl) with
    {
        Environment = name => name == "DSRS_NODE" ? world.BuyerNode + ";latency_ms=" + latencyMs : null,
    };
}
