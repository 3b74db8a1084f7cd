using System.Globalization;
using ManifestBuild.Lightning.Payments;
using ManifestBuild.Tasks.Resolution;
using ManifestBuild.Tasks.Tests.Support;
using ManifestBuild.TestSupport;

namespace ManifestBuild.Tasks.Tests.InProcess;

/// <summary>
/// A bundle bought by the build's resolver in a child process (ResolveHost), SIGKILLed at each durable
/// step of the payment guard, then run again: the bundle is paid exactly once and every member is
/// locked with the one payment. The seller side runs in the test process.
/// </summary>
public sealed class BundlePurchaseCrashTests : IAsyncLifetime
{
    private const long BundlePrice = 3_000;
    private readonly TempDirectory work = new("dsrs-bundle-crash");
    private MarketWorld world = null!;

    public async Task InitializeAsync() => world = await MarketWorld.StartAsync(work.Combine("world"));

    public async Task DisposeAsync()
    {
        await world.DisposeAsync();
        work.Dispose();
    }

    [Theory]
    [InlineData("RecordWritten")]
    [InlineData("NodeReturned")]
    [InlineData("PreimageStored")]
    public async Task Killed_at_a_guard_step_a_rerun_pays_the_bundle_once_and_locks_every_member(string killAt)
    {
        var complexity = TestManifests.Complexity();
        var planner = TestManifests.Planner();
        var (bundle, _) = await world.SellBundleAsync("rust-systems", BundlePrice, 2_000, complexity, planner);
        string[] args = [work.Combine("home"), work.Combine("project"), world.RelayUrl, world.BuyerNode, (BundlePrice * 2).ToString(CultureInfo.InvariantCulture)];
        const string item = "bundle:RustSystems=rust-systems";

        using (var child = ResolveHostProcess.Start([.. args, killAt, item]))
        {
            while (await child.ReadLineAsync() != "STEP " + killAt)
            {
            }

            child.Kill();
        }

        var interrupted = Assert.Single(PurchaseLedger.ForHome(work.Combine("home")).List());
        Assert.Equal(bundle.BundleId, interrupted.CompiledId);
        Assert.Equal(killAt == "RecordWritten" ? 0 : 1, world.Payments);

        using (var rerun = ResolveHostProcess.Start([.. args, "none", item]))
        {
            Assert.EndsWith("failed=0", await rerun.ReadUntilAsync("DONE "), StringComparison.Ordinal);
        }

        var settled = Assert.Single(world.SellerNode.ListSettledInvoices());
        Assert.Equal(1, world.SellerNode.CountPaymentAttempts(settled.PaymentHash));
        Assert.Equal(BundlePrice, settled.AmountMsat);
        var locked = LockFileStore.Read(Path.Combine(work.Combine("project"), "dsrs.lock.json"));
        Assert.Equal(bundle.BundleId, locked.Get("RustSystems")?.CompiledId);
        Assert.Equal(settled.PaymentHash, locked.Get("RustSystems")?.PaymentHash);
        foreach (var member in new[] { complexity.CompiledId, planner.CompiledId })
        {
            Assert.Contains(locked.Entries.Values, e => e.CompiledId == member && e.Bundle == bundle.BundleId && e.PaymentHash == settled.PaymentHash);
        }
    }
}
