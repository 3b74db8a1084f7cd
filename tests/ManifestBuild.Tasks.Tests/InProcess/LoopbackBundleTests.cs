using ManifestBuild.Lightning.Payments;
using ManifestBuild.Market.Buying;
using ManifestBuild.Tasks.Resolution;
using ManifestBuild.Tasks.Tests.Support;
using ManifestBuild.TestSupport;

namespace ManifestBuild.Tasks.Tests.InProcess;

/// <summary>
/// A DsrsBundle through the build's resolver with the real MarketAdapter, in process, against the embedded
/// relay, the seller's L402 endpoint selling a bundle, and the buyer's and seller's dev nodes.
/// </summary>
public sealed class LoopbackBundleTests : IAsyncLifetime
{
    private const long BundlePrice = 30_000;
    private readonly TempDirectory work = new("dsrs-loopback-bundle");
    private readonly ResolverHarness h = new();
    private MarketWorld world = null!;

    public async Task InitializeAsync() => world = await MarketWorld.StartAsync(work.Combine("world"));

    public async Task DisposeAsync()
    {
        await world.DisposeAsync();
        h.Dispose();
        work.Dispose();
    }

    private ResolveSettings Settings(long budget, bool locked = false, string? home = null, string? receipts = null) => h.Settings(budget: budget, relays: world.RelayUrl, locked: locked) with
    {
        Home = home ?? h.Home,
        Environment = name => name == "DSRS_NODE" ? world.BuyerNode : name == ReceiptStore.EnvironmentVariable ? receipts : null,
    };

    private static DeclaredBundle Rust(long max = 100_000) =>
        DeclaredBundle.Parse("RustSystems", key => key switch { "Name" => "rust-systems", "MaxPriceMsat" => max.ToString(System.Globalization.CultureInfo.InvariantCulture), _ => string.Empty }, ItemLocation.None);

    [Fact]
    public async Task One_payment_for_every_member_each_locked_then_a_locked_build_restores_them_with_the_one_receipt_and_pays_nothing()
    {
        var (complexity, complexityId) = TestManifests.Complexity();
        var (planner, plannerId) = TestManifests.Planner();
        var (bundle, _) = await world.SellBundleAsync("rust-systems", BundlePrice, 20_000, (complexity, complexityId), (planner, plannerId));

        // Over the budget: nothing is paid.
        var poor = await new ManifestResolver(Settings(budget: 1_000, home: work.Combine("poor-home")), h.Log).ResolveAsync([], [Rust()], CancellationToken.None);
        Assert.Equal(PaymentErrorCodes.OverBudget, Assert.Single(poor.Failures).Code);
        Assert.Equal(0, world.Payments);

        var resolver = new ManifestResolver(Settings(budget: 200_000), h.Log);
        var outcome = await resolver.ResolveAsync([], [Rust()], CancellationToken.None);
        Assert.Empty(outcome.Failures);
        Assert.Equal(["ComplexityClassificationSignature", "PlannerSignature"], outcome.Resolved.Select(r => r.Name).Order(StringComparer.Ordinal));
        Assert.Equal(1, world.Payments);
        Assert.Equal(BundlePrice, resolver.Budget.SpentMsat);
        var paidLine = Assert.Single(h.Log.Payments);
        Assert.Contains($"bundle rust-systems {bundle.BundleId[..12]} (2 manifests: ", paidLine, StringComparison.Ordinal);
        Assert.EndsWith($"paid {BundlePrice} msat once", paidLine, StringComparison.Ordinal);

        var lockFile = LockFileStore.Read(h.LockFile);
        var locked = lockFile.Get("RustSystems")!;
        Assert.Equal(bundle.BundleId, locked.CompiledId);
        Assert.Equal(bundle.Members, locked.Members);
        Assert.Equal(bundle.BundleId, lockFile.Get("PlannerSignature")!.Bundle);
        Assert.Equal(plannerId, lockFile.Get("PlannerSignature")!.CompiledId);
        Assert.Equal(locked.PaymentHash, lockFile.Get("ComplexityClassificationSignature")!.PaymentHash);
        Assert.Equal(PurchaseState.Delivered, PurchaseLedger.ForHome(h.Home).Find(locked.PaymentHash)!.State);
        var lockText = File.ReadAllText(h.LockFile);

        // The same build again: cached, no payment, the lockfile unchanged.
        var again = await new ManifestResolver(Settings(budget: 200_000), h.Log).ResolveAsync([], [Rust()], CancellationToken.None);
        Assert.Empty(again.Failures);
        Assert.Equal(1, world.Payments);
        Assert.Equal(lockText, File.ReadAllText(h.LockFile));

        // A clean CI machine in locked mode with the one receipt: both members restored, nothing paid.
        var receipt = Assert.Single(new ReceiptStore(h.Home).List());
        var ci = await new ManifestResolver(Settings(budget: 0, locked: true, home: work.Combine("ci-home"), receipts: ReceiptStore.ExportForEnvironment([receipt])), h.Log).ResolveAsync([], [Rust()], CancellationToken.None);
        Assert.Empty(ci.Failures);
        Assert.Equal(2, ci.Resolved.Count);
        Assert.Contains(h.Log.Summaries, s => s.Contains("restored (bundle receipt, 2 of 2 members)", StringComparison.Ordinal));
        Assert.Equal(1, world.Payments);
        Assert.Equal(lockText, File.ReadAllText(h.LockFile));

        // Locked mode without the receipt: refused, nothing paid.
        var refused = await new ManifestResolver(Settings(budget: 200_000, locked: true, home: work.Combine("ci-home-2")), h.Log).ResolveAsync([], [Rust()], CancellationToken.None);
        Assert.Equal(ManifestBuild.Market.MarketErrorCodes.BundleRestoreFailed, Assert.Single(refused.Failures).Code);
        Assert.Equal(1, world.Payments);
    }
}
