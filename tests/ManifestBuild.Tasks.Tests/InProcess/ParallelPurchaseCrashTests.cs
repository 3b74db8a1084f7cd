using System.Globalization;
using ManifestBuild.Lightning.Payments;
using ManifestBuild.Tasks.Resolution;
using ManifestBuild.Tasks.Tests.Support;
using ManifestBuild.TestSupport;

namespace ManifestBuild.Tasks.Tests.InProcess;

/// <summary>
/// The build's resolver in a child process (ResolveHost) buying three paid manifests at once, SIGKILLed
/// while all three purchases stand at the same durable step of the payment guard, then run again: every
/// manifest ends up bought, locked and paid exactly once. The seller side runs in the test process.
/// </summary>
public sealed class ParallelPurchaseCrashTests : IAsyncLifetime
{
    private const int Items = 3;
    private const long PriceMsat = 1_000;
    private readonly TempDirectory work = new("dsrs-parallel-crash");
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
    public async Task Killed_with_every_purchase_at_one_step_a_rerun_buys_each_manifest_with_exactly_one_payment(string killAt)
    {
        var manifests = Enumerable.Range(0, Items).Select(i => TestManifests.Complexity($"Crash item {i}.", "crash" + i)).ToArray();
        await world.SellAsync([.. manifests.Select(m => (m.Json, m.CompiledId, PriceMsat))]);
        string[] args = [work.Combine("home"), work.Combine("project"), world.RelayUrl, world.BuyerNode, (PriceMsat * Items).ToString(CultureInfo.InvariantCulture)];
        string[] items = [.. manifests.Select((_, i) => $"Crash{i}=crash{i}")];

        using (var child = ResolveHostProcess.Start([.. args, killAt, .. items]))
        {
            // All three purchases reach the step and stay there: they were under way at the same time.
            for (var seen = 0; seen < Items;)
            {
                var line = await child.ReadLineAsync();
                seen += line == "STEP " + killAt ? 1 : 0;
            }

            child.Kill();
        }

        var ledger = PurchaseLedger.ForHome(work.Combine("home")).List();
        Assert.Equal(Items, ledger.Count);
        Assert.All(ledger, r => Assert.Equal(killAt == "PreimageStored" ? PurchaseState.Paid : PurchaseState.Paying, r.State));
        Assert.Equal(killAt == "RecordWritten" ? 0 : Items, world.Payments);

        using (var rerun = ResolveHostProcess.Start([.. args, "none", .. items]))
        {
            Assert.Equal($"DONE resolved={Items} failed=0", await rerun.ReadUntilAsync("DONE "));
        }

        // One settled invoice per manifest, each paid by one attempt; the interrupted ones are never paid twice.
        var settled = world.SellerNode.ListSettledInvoices();
        Assert.Equal(Items, settled.Count);
        Assert.All(settled, i => Assert.Equal(1, world.SellerNode.CountPaymentAttempts(i.PaymentHash)));
        Assert.Equal(manifests.Select(m => m.CompiledId).Order(), settled.Select(i => manifests.Single(m => i.Description.Contains(m.CompiledId, StringComparison.Ordinal)).CompiledId).Order());
        var locked = LockFileStore.Read(Path.Combine(work.Combine("project"), "dsrs.lock.json"));
        Assert.All(manifests.Select((m, i) => (m, i)), x => Assert.Equal(x.m.CompiledId, locked.Get("Crash" + x.i)?.CompiledId));
        Assert.Equal(Items, PurchaseLedger.ForHome(work.Combine("home")).List().Count(r => r.State == PurchaseState.Delivered));
    }
}
