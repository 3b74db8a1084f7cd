using ManifestBuild.Lightning.Payments;
using ManifestBuild.Market.Buying;
using ManifestBuild.Tasks.Resolution;
using ManifestBuild.Tasks.Tests.Support;
using ManifestBuild.TestSupport;

namespace ManifestBuild.Tasks.Tests.EndToEnd;

/// <summary>
/// A bundle end to end: real `dotnet build` processes of the packed package against the embedded relay,
/// the seller's L402 endpoint selling a bundle, and two dev nodes. One payment for every member; CI
/// restores each member with the one receipt and pays nothing.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class BundleBuildTests(PackedPackages packages) : IDisposable
{
    private const long BundlePrice = 30_000;
    private const string Reply = "[[ ## complexity ## ]]\nmoderate\n\n[[ ## completed ## ]]";
    private readonly TempDirectory work = new("dsrs-e2e-bundle");

    public void Dispose() => work.Dispose();

    [Fact]
    public async Task A_bundle_is_bought_once_for_all_members_and_restored_in_ci_without_paying()
    {
        var (complexity, complexityId) = TestManifests.Complexity();
        var (planner, plannerId) = TestManifests.Planner();
        var home = work.Combine("home");
        var world = await MarketWorld.StartAsync(work.Combine("world"));
        var (bundle, _) = await world.SellBundleAsync("rust-systems", BundlePrice, 20_000, (complexity, complexityId), (planner, plannerId));
        var env = new Dictionary<string, string?> { ["DSRS_HOME"] = home, ["DSRS_NODE"] = world.BuyerNode };
        var program = ConsumerProject.ScriptedClientProgram("ComplexityClassificationSignature", "new ComplexityClassificationSignature.Input(\"add an endpoint\")", Reply)
            .Replace("Console.WriteLine($\"id=", "Console.WriteLine($\"planner={PlannerSignature.CompiledId}\");\nConsole.WriteLine($\"id=", StringComparison.Ordinal);
        var app = new ConsumerProject(packages, work.Combine("app"))
            .WithFile("Program.cs", program)
            .WithProject(
                """
                    <DsrsBundle Include="RustSystems" Name="rust-systems" MaxPriceMsat="100000" />
                """,
                $"<DsrsRelays>{world.RelayUrl}</DsrsRelays><DsrsBudgetMsat>200000</DsrsBudgetMsat>");
        string lockText;
        try
        {
            // The budget is the build's: a bundle over it is not bought, nothing is paid.
            var poor = await app.BuildAsync(new Dictionary<string, string?>(env) { ["DSRS_HOME"] = work.Combine("poor-home") }, "-p:DsrsBudgetMsat=1000");
            Assert.NotEqual(0, poor.ExitCode);
            Assert.Matches(@"Consumer\.csproj\(\d+,\d+\): error DSRS0473: DsrsBundle 'RustSystems'", poor.Output);
            Assert.Equal(0, world.Payments);

            // First build: one payment for the bundle, a class per member, the bundle and each member locked.
            var first = (await app.BuildAsync(env)).EnsureSuccess("first build");
            Assert.Contains($"dsrs: RustSystems <- seller {world.Seller.PublicKeyHex[..12]} bundle rust-systems {bundle.BundleId[..12]} (2 manifests: ", first.Output);
            Assert.Contains($"paid {BundlePrice} msat once", first.Output);
            Assert.Equal(1, world.Payments);
            var lockFile = LockFileStore.Read(app.LockFile);
            var locked = lockFile.Get("RustSystems")!;
            Assert.Equal(bundle.BundleId, locked.CompiledId);
            Assert.Equal(bundle.Members, locked.Members);
            Assert.Equal(BundlePrice, locked.PriceMsat);
            Assert.Matches("^[0-9a-f]{64}$", locked.PaymentHash);
            foreach (var (name, id) in new[] { ("ComplexityClassificationSignature", complexityId), ("PlannerSignature", plannerId) })
            {
                var member = lockFile.Get(name)!;
                Assert.Equal(id, member.CompiledId);
                Assert.Equal(bundle.BundleId, member.Bundle);
                Assert.Equal(locked.PaymentHash, member.PaymentHash);
            }

            var run = (await app.RunAsync(env)).EnsureSuccess("run").Output;
            Assert.Contains("id=" + complexityId, run);
            Assert.Contains("planner=" + plannerId, run);
            Assert.Equal(PurchaseState.Delivered, PurchaseLedger.ForHome(home).Find(locked.PaymentHash)!.State);

            // CI on a clean machine: locked mode, an empty cache, the one bundle receipt: every member restored, nothing paid.
            var receipt = Assert.Single(new ReceiptStore(home).List());
            Assert.Equal(bundle.BundleId, receipt.CompiledId);
            Assert.DoesNotContain(receipt.PreimageHex, first.Output);
            lockText = File.ReadAllText(app.LockFile);
            app.DeleteObj();
            var ciEnv = new Dictionary<string, string?>
            {
                ["DSRS_HOME"] = work.Combine("ci-home"),
                ["DSRS_RECEIPTS"] = ReceiptStore.ExportForEnvironment([receipt]),
            };
            var ci = (await app.BuildAsync(ciEnv, "-p:ContinuousIntegrationBuild=true")).EnsureSuccess("locked CI build");
            Assert.Contains("restored (bundle receipt, 2 of 2 members)", ci.Output);
            Assert.Equal(1, world.Payments);
            Assert.Equal(lockText, File.ReadAllText(app.LockFile));
            Assert.Contains("planner=" + plannerId, (await app.RunAsync(ciEnv)).EnsureSuccess("CI run").Output);

            // CI without the receipt: refused with the build's code, nothing paid (locked mode never pays).
            app.DeleteObj();
            var noReceipt = await app.BuildAsync(new Dictionary<string, string?> { ["DSRS_HOME"] = work.Combine("ci-home-2"), ["DSRS_NODE"] = world.BuyerNode }, "-p:ContinuousIntegrationBuild=true");
            Assert.NotEqual(0, noReceipt.ExitCode);
            Assert.Contains("error DSRS0565", noReceipt.Output);
            Assert.Equal(1, world.Payments);
        }
        finally
        {
            await world.DisposeAsync();
        }

        // Relays and seller gone: the lockfile and the cache satisfy the build with no network.
        app.DeleteObj();
        var offline = (await app.BuildAsync(new Dictionary<string, string?> { ["DSRS_HOME"] = home, ["DSRS_NODE"] = "type=lnd-rest;server=https://127.0.0.1:" + Loopback.ClosedPort() + ";macaroon=00" })).EnsureSuccess("offline build");
        Assert.Contains($"dsrs: RustSystems <- seller {world.Seller.PublicKeyHex[..12]} bundle rust-systems {bundle.BundleId[..12]} (2 manifests) cached", offline.Output);
        Assert.Equal(lockText, File.ReadAllText(app.LockFile));
    }
}
