using ManifestBuild.Market.Buying;
using ManifestBuild.Tasks.Resolution;
using ManifestBuild.Tasks.Tests.Support;
using ManifestBuild.TestSupport;

namespace ManifestBuild.Tasks.Tests.EndToEnd;

/// <summary>
/// The issue's scenarios with a paid manifest: real `dotnet build` processes against the embedded
/// relay, the seller's L402 endpoint and two dev nodes (buyer and seller) on one ledger folder.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class PaidMarketBuildTests(PackedPackages packages) : IDisposable
{
    private const long Price = 50_000;
    private const string Reply = "[[ ## complexity ## ]]\nmoderate\n\n[[ ## completed ## ]]";
    private readonly TempDirectory work = new("dsrs-e2e-paid");

    public void Dispose() => work.Dispose();

    [Fact]
    public async Task BuysOnceRestoresInCiWithoutPayingAndRebuildsWithNoNetwork()
    {
        var (paid, paidId) = TestManifests.Complexity();
        var (free, freeId) = TestManifests.Planner();
        var home = work.Combine("home");
        var world = await MarketWorld.StartAsync(work.Combine("world"));
        await world.SellAsync((paid, paidId, Price));
        world.PublishFree(free);
        var env = new Dictionary<string, string?> { ["DSRS_HOME"] = home, ["DSRS_NODE"] = world.BuyerNode };
        var app = new ConsumerProject(packages, work.Combine("app"))
            .WithFile("Program.cs", ConsumerProject.ScriptedClientProgram("ComplexityClassification", "new ComplexityClassification.Input(\"add an endpoint\")", Reply))
            .WithProject(
                """
                    <DsrsManifest Include="ComplexityClassification" Family="complexity" Domains="rust" MaxPriceMsat="100000" />
                    <DsrsManifest Include="Planner" Family="planning" MaxPriceMsat="0" />
                """,
                $"<DsrsRelays>{world.RelayUrl}</DsrsRelays><DsrsBudgetMsat>200000</DsrsBudgetMsat>");
        string lockText;
        try
        {
            // 1. First build: buys the paid one (one payment), takes the free one, pins both, the app runs.
            var binlog = work.Combine("first.binlog");
            var first = (await app.BuildAsync(env, "-bl:" + binlog)).EnsureSuccess("first build");
            Assert.Contains($"dsrs: ComplexityClassification <- seller {world.Seller.PublicKeyHex[..12]} {paidId[..12]} paid {Price} msat", first.Output);
            Assert.Contains($"dsrs: Planner <- seller {world.Seller.PublicKeyHex[..12]} {freeId[..12]} free", first.Output);
            Assert.Equal(1, world.Payments);
            var lockFile = LockFileStore.Read(app.LockFile);
            Assert.Equal(Price, lockFile.Get("ComplexityClassification")?.PriceMsat);
            Assert.Matches("^[0-9a-f]{64}$", lockFile.Get("ComplexityClassification")?.PaymentHash);
            Assert.Equal(freeId, lockFile.Get("Planner")?.CompiledId);
            Assert.Contains("id=" + paidId, (await app.RunAsync(env)).EnsureSuccess("run").Output);

            // The receipt's token and preimage are secrets: not in the log, not in the binlog.
            var receipt = Assert.Single(new ReceiptStore(home).List());
            var binlogText = BinaryLog.ReadText(binlog);
            foreach (var secret in new[] { receipt.Token, receipt.PreimageHex })
            {
                Assert.DoesNotContain(secret, first.Output);
                Assert.DoesNotContain(secret, binlogText);
            }

            // 3. CI on a clean machine: locked mode, empty cache, the receipt in DSRS_RECEIPTS: restored, nothing paid.
            lockText = File.ReadAllText(app.LockFile);
            app.DeleteObj();
            var ciEnv = new Dictionary<string, string?>
            {
                ["DSRS_HOME"] = work.Combine("ci-home"),
                ["DSRS_RECEIPTS"] = ReceiptStore.ExportForEnvironment([receipt]),
            };
            var ci = (await app.BuildAsync(ciEnv, "-p:ContinuousIntegrationBuild=true")).EnsureSuccess("locked CI build");
            Assert.Contains("ComplexityClassification <- seller", ci.Output);
            Assert.Contains("restored (receipt)", ci.Output);
            Assert.Equal(1, world.Payments);
            Assert.Equal(lockText, File.ReadAllText(app.LockFile));
        }
        finally
        {
            await world.DisposeAsync();
        }

        // 2. Relays and seller gone, the node unreachable: the lockfile and the cache satisfy the build with no network.
        app.DeleteObj();
        var offlineEnv = new Dictionary<string, string?> { ["DSRS_HOME"] = home, ["DSRS_NODE"] = "type=lnd-rest;server=https://127.0.0.1:" + Loopback.ClosedPort() + ";macaroon=00" };
        var offline = (await app.BuildAsync(offlineEnv)).EnsureSuccess("offline build");
        Assert.Contains($"ComplexityClassification <- seller {world.Seller.PublicKeyHex[..12]} {paidId[..12]} cached", offline.Output);
        Assert.Equal(lockText, File.ReadAllText(app.LockFile));
        Assert.Equal(1, world.Payments);
    }

    [Fact]
    public async Task BudgetPriceRelayAndNodeFailuresEachFailWithTheirCodeAndPayNothing()
    {
        var (paid, paidId) = TestManifests.Complexity();
        var world = await MarketWorld.StartAsync(work.Combine("world"));
        await using var _ = world;
        await world.SellAsync((paid, paidId, Price));
        var env = new Dictionary<string, string?> { ["DSRS_HOME"] = work.Combine("home"), ["DSRS_NODE"] = world.BuyerNode };
        var app = new ConsumerProject(packages, work.Combine("app"))
            .WithFile("Program.cs", "Console.WriteLine(\"unused\");\n")
            .WithProject(
                """
                    <DsrsManifest Include="Budgeted" Family="complexity" MaxPriceMsat="100000" />
                    <DsrsManifest Include="Cheap" Family="complexity" MaxPriceMsat="1000" />
                """,
                $"<DsrsRelays>{world.RelayUrl}</DsrsRelays><DsrsBudgetMsat>10000</DsrsBudgetMsat>");

        // Budget too low for one item, every seller over the other's price.
        var budget = await app.BuildAsync(env);
        Assert.NotEqual(0, budget.ExitCode);
        Assert.Matches(@"Consumer\.csproj\(\d+,\d+\): error DSRS0473: DsrsManifest 'Budgeted'", budget.Output);
        Assert.Matches(@"Consumer\.csproj\(\d+,\d+\): error DSRS0525: DsrsManifest 'Cheap'", budget.Output);

        // Every relay down.
        var relaysDown = await app.BuildAsync(env, "-p:DsrsRelays=ws://127.0.0.1:" + Loopback.ClosedPort(), "-p:DsrsBudgetMsat=200000");
        Assert.NotEqual(0, relaysDown.ExitCode);
        Assert.Contains("error DSRS0041", relaysDown.Output);

        // The buyer's node unreachable. Its macaroon (a canary made here) and the API key in the URL's
        // query string appear neither in the build's output nor in its binlog.
        var canary = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)).ToLowerInvariant();
        var queryCanary = "q" + canary[..24];
        var nodeDownEnv = new Dictionary<string, string?>(env) { ["DSRS_NODE"] = "type=lnd-rest;server=https://127.0.0.1:" + Loopback.ClosedPort() + ";macaroon=" + canary };
        var nodeDownLog = work.Combine("node-down.binlog");
        var nodeDown = await app.BuildAsync(nodeDownEnv, "-p:DsrsBudgetMsat=200000", "-bl:" + nodeDownLog);
        Assert.NotEqual(0, nodeDown.ExitCode);
        Assert.Matches(@"error DSRS04\d\d: DsrsManifest 'Budgeted'", nodeDown.Output);
        var queryEnv = new Dictionary<string, string?>(env) { ["DSRS_NODE"] = "type=lnbits;server=https://127.0.0.1:" + Loopback.ClosedPort() + "/?api-key=" + queryCanary + ";api-key=" + canary };
        var queryLog = work.Combine("query.binlog");
        var query = await app.BuildAsync(queryEnv, "-p:DsrsBudgetMsat=200000", "-bl:" + queryLog);
        Assert.NotEqual(0, query.ExitCode);
        foreach (var (output, binlog) in new[] { (nodeDown.Output, nodeDownLog), (query.Output, queryLog) })
        {
            var binlogText = BinaryLog.ReadText(binlog);
            Assert.DoesNotContain(canary, output, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(queryCanary, output, StringComparison.Ordinal);
            Assert.DoesNotContain(canary, binlogText, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(queryCanary, binlogText, StringComparison.Ordinal);
        }

        Assert.Equal(0, world.Payments);
        Assert.False(File.Exists(app.LockFile));
    }

    [Fact]
    public async Task TwoProjectsBuiltInParallelShareTheLockfileAndPayOnce()
    {
        var (paid, paidId) = TestManifests.Complexity();
        var world = await MarketWorld.StartAsync(work.Combine("world"));
        await using var _ = world;
        await world.SellAsync((paid, paidId, Price));
        var env = new Dictionary<string, string?> { ["DSRS_HOME"] = work.Combine("home"), ["DSRS_NODE"] = world.BuyerNode };
        var properties = $"<DsrsRelays>{world.RelayUrl}</DsrsRelays><DsrsBudgetMsat>100000</DsrsBudgetMsat><DsrsLockFile>$(MSBuildProjectDirectory)/../dsrs.lock.json</DsrsLockFile>";
        var projects = new[] { "Alpha", "Beta" }.Select(name => new ConsumerProject(packages, work.Combine("repo", name), name)
            .WithFile("Program.cs", $"Console.WriteLine({name}.Manifests.{name}Classifier.CompiledId);\n")
            .WithProject($"""    <DsrsManifest Include="{name}Classifier" Family="complexity" MaxPriceMsat="100000" />""", properties)).ToArray();
        var solution = work.Write("repo/all.slnx", "<Solution>\n  <Project Path=\"Alpha/Alpha.csproj\" />\n  <Project Path=\"Beta/Beta.csproj\" />\n</Solution>\n");
        File.Copy(Path.Combine(projects[0].Directory, "nuget.config"), work.Combine("repo", "nuget.config"));

        var build = (await DotnetProcess.RunAsync(work.Combine("repo"), ["build", solution, "-m", "-nodeReuse:false", "-v:n"], env, TimeSpan.FromMinutes(10))).EnsureSuccess("parallel build");

        Assert.Equal(1, world.Payments);
        var lockFile = LockFileStore.Read(work.Combine("repo", "dsrs.lock.json"));
        Assert.Equal(paidId, lockFile.Get("AlphaClassifier")?.CompiledId);
        Assert.Equal(paidId, lockFile.Get("BetaClassifier")?.CompiledId);
        Assert.Contains("paid 50000 msat", build.Output);
    }
}
