using System.Text.RegularExpressions;
using ManifestBuild.Format.Json;
using ManifestBuild.Market.Buying;
using ManifestBuild.Tasks.Maintenance;
using ManifestBuild.Tasks.Resolution;
using ManifestBuild.Tasks.Tests.Support;
using ManifestBuild.TestSupport;

namespace ManifestBuild.Tasks.Tests.EndToEnd;

/// <summary>
/// The buyer's lifecycle after the first purchase, with real `dotnet build` processes of the packed
/// package against the embedded relay, the L402 seller and dev nodes on loopback: the purchase seen
/// by the terminal logger in a real (pseudo-)terminal, a changed declaration, a corrupt cache in CI,
/// and a seller that takes the money and fails the delivery.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class BuyerLifecycleBuildTests(PackedPackages packages) : IDisposable
{
    private const long Price = 50_000;
    private readonly TempDirectory work = new("dsrs-e2e-lifecycle");

    public void Dispose() => work.Dispose();

    [Fact]
    public async Task PaysOnceSeenByTheTerminalLoggerThenFollowsChangedDeclarationsRestoresInCiAndNeverOverspends()
    {
        var (rust, rustId) = TestManifests.Complexity();
        var (docs, docsId) = WithDomains(TestManifests.Complexity("Classify docs work."), "rust", "docs");
        var (extra, extraId) = TestManifests.Complexity("Delegate the task.", "delegation");
        var (another, anotherId) = TestManifests.Complexity("Plan the task.", "planning");
        var (v2, v2Id) = WithDomains(TestManifests.Complexity("Classify docs work, v2."), "rust", "docs");
        await using var world = await MarketWorld.StartAsync(work.Combine("world"));
        DeliveryFailingSeller? front = null;
        await world.SellAsync(
            async Task<Uri?> (id, url) =>
            {
                if (id == v2Id)
                {
                    return null; // sold from the start, listed later
                }

                if (id != extraId)
                {
                    return url;
                }

                front = await DeliveryFailingSeller.StartAsync(world.Server.Url);
                return front.ManifestUrl(id);
            },
            (rust, rustId, Price),
            (extra, extraId, 100_000),
            (another, anotherId, 150_000),
            (v2, v2Id, 40_000));
        await using var _ = front!;
        var home = work.Combine("home");
        var env = new Dictionary<string, string?> { ["DSRS_HOME"] = home, ["DSRS_NODE"] = world.BuyerNode };
        var properties = $"<DsrsRelays>{world.RelayUrl}</DsrsRelays><DsrsBudgetMsat>200000</DsrsBudgetMsat>";
        var app = new ConsumerProject(packages, work.Combine("app"))
            .WithFile("Program.cs", "Console.WriteLine(Consumer.Manifests.ComplexityClassification.CompiledId);\n")
            .WithProject("""    <DsrsManifest Include="ComplexityClassification" Family="complexity" Domains="rust" MaxPriceMsat="100000" />""", properties);

        // 1. The first build pays once, and the terminal logger in a real terminal shows the payment.
        var first = (await app.BuildInTerminalAsync(env)).EnsureSuccess("first build (terminal logger)");
        var shown = Regex.Replace(first.Output, @"\x1B(\[[0-9;?]*[A-Za-z]|\][^\x07\x1B]*(\x07|\x1B\\)|[=>])", string.Empty);
        var payment = $"ComplexityClassification <- seller {world.Seller.PublicKeyHex[..12]} {rustId[..12]} paid {Price} msat";
        Assert.True(shown.Contains("DSRS0055", StringComparison.Ordinal) && shown.Contains(payment, StringComparison.Ordinal), "the terminal logger did not show the payment:\n" + shown);
        Assert.True(shown.Contains($"dsrs: 1 manifest, 1 bought for {Price} msat", StringComparison.Ordinal), "the terminal logger did not show the summary line:\n" + shown);
        Assert.Equal(1, world.Payments);
        Assert.Equal(rustId, LockFileStore.Read(app.LockFile).Get("ComplexityClassification")?.CompiledId);

        // 2. A free docs variant (domains rust and docs) appears; the satisfied lock does not move. Domains
        // change to docs: CI refuses with DSRS0030 naming the domain; a normal build resolves again.
        world.PublishFree(docs);
        app.WithProject("""    <DsrsManifest Include="ComplexityClassification" Family="complexity" Domains="docs" MaxPriceMsat="100000" />""", properties);
        var locked = await app.BuildAsync(env, "-p:ContinuousIntegrationBuild=true");
        Assert.NotEqual(0, locked.ExitCode);
        Assert.Contains("error DSRS0030", locked.Output);
        Assert.Contains("the locked manifest has domains [rust] but the item asks for [docs]", locked.Output);
        var changed = (await app.BuildAsync(env)).EnsureSuccess("build after the declaration changed");
        Assert.Contains("dsrs: ComplexityClassification: the locked manifest has domains [rust] but the item asks for [docs]: resolving again", changed.Output);
        Assert.Contains($"{docsId[..12]} free", changed.Output);
        Assert.Equal(docsId, LockFileStore.Read(app.LockFile).Get("ComplexityClassification")?.CompiledId);
        Assert.Equal(1, world.Payments);

        // 3. CI with a corrupt cache entry: quarantined, restored from the free listing in the same build, a warning.
        var cached = Path.Combine(home, "cache", docsId + ".json");
        File.WriteAllText(cached, docs.Replace("Classify", "Exfiltrate, then classify"));
        app.DeleteObj();
        var ci = (await app.BuildAsync(env, "-p:ContinuousIntegrationBuild=true")).EnsureSuccess("CI build with a corrupt cache");
        Assert.Contains("warning DSRS0031", ci.Output);
        Assert.Contains("restored (free listing)", ci.Output);
        Assert.Equal(docsId, Format.ManifestVerifier.Verify(File.ReadAllText(cached), docsId).CompiledId);

        // 4. The seller publishes v2 (a paid listing of the same signature, newer). The build keeps its satisfied
        // lock and stays offline; `dsrs outdated` lists v2; `dsrs update` moves the lock and pays once (the
        // commands' Tasks side, as the CLI runs it); the next build uses v2 and the one after it is a no-op.
        world.List(v2, 40_000);
        var kept = (await app.BuildAsync(env)).EnsureSuccess("build after v2 was published");
        Assert.DoesNotContain("DSRS0055", kept.Output);
        Assert.Equal(docsId, LockFileStore.Read(app.LockFile).Get("ComplexityClassification")?.CompiledId);
        var declarations = ProjectDeclarations.Read(app.ProjectFile);
        string? Env(string name) => name == "DSRS_NODE" ? world.BuyerNode : null;
        var outdated = Assert.Single(await OutdatedCheck.RunAsync(declarations, declarations.Settings(home, Env, locked: true, budgetMsat: 0), CancellationToken.None));
        Assert.Equal((docsId, v2Id, 40_000L, "newer"), (outdated.LockedId, outdated.BestId, outdated.BestPriceMsat, outdated.Status));
        var updateLog = new RecordingLog();
        var update = await new ManifestResolver(declarations.Settings(home, Env, locked: false, budgetMsat: null) with { ResolveAgain = new HashSet<string> { "ComplexityClassification" } }, updateLog)
            .ResolveAsync(declarations.Items, CancellationToken.None);
        Assert.Empty(update.Failures);
        Assert.Contains($"dsrs: ComplexityClassification <- seller {world.Seller.PublicKeyHex[..12]} {v2Id[..12]} paid 40000 msat", Assert.Single(updateLog.Payments));
        Assert.Equal(v2Id, LockFileStore.Read(app.LockFile).Get("ComplexityClassification")?.CompiledId);
        Assert.Equal(2, world.Payments);
        var moved = (await app.BuildAsync(env)).EnsureSuccess("build after dsrs update");
        Assert.Contains($"ComplexityClassification <- seller {world.Seller.PublicKeyHex[..12]} {v2Id[..12]} cached", moved.Output);
        Assert.DoesNotContain("DSRS0055", moved.Output);
        Assert.Contains(v2Id, (await app.RunAsync(env)).EnsureSuccess("run after dsrs update").Output);
        var noOp = (await app.BuildAsync(env)).EnsureSuccess("build after that");
        Assert.Contains("Skipping target \"DsrsResolveManifests\" because all output files are up-to-date", noOp.Output);
        Assert.Equal("up-to-date", Assert.Single(await OutdatedCheck.RunAsync(declarations, declarations.Settings(home, Env, locked: true, budgetMsat: 0), CancellationToken.None)).Status);
        Assert.Equal(2, world.Payments);

        // 5. A seller takes the money and fails the delivery: the budget is spent, and nothing more is paid to it.
        app.WithProject(
            """
                <DsrsManifest Include="ComplexityClassification" Family="complexity" Domains="docs" MaxPriceMsat="100000" />
                <DsrsManifest Include="Extra" Family="delegation" />
                <DsrsManifest Include="Another" Family="planning" />
            """,
            properties);
        var overspend = await app.BuildAsync(env);
        Assert.NotEqual(0, overspend.ExitCode);
        Assert.Matches(@"error DSRS\d{4}: DsrsManifest 'Extra'", overspend.Output);
        // The seller that took the money without delivering is now a proven fraud: its other listing
        // is skipped (DSRS0542) instead of being paid for, and the budget it took stays spent.
        Assert.Contains("error DSRS0525: DsrsManifest 'Another'", overspend.Output);
        Assert.Contains("DSRS0542", overspend.Output);
        Assert.Contains("100000 msat paid without a delivery", overspend.Output);
        Assert.Equal(3, world.Payments);
        Assert.True(front!.RefusedDeliveries >= 1);
        Assert.Contains(new ReceiptStore(home).List(), r => r.CompiledId == extraId); // kept for a retried delivery
    }

    private static (string Json, string Id) WithDomains((string Json, string Id) manifest, params string[] domains)
    {
        var json = JsonParser.ParseObject(manifest.Json);
        json.Remove("compiled_id");
        json.Remove("domain_tags");
        var tags = new JsonArray();
        foreach (var domain in domains)
        {
            tags.Add(domain);
        }

        json.Add("domain_tags", tags);
        var id = Format.CompiledId.Compute(json);
        json.Add("compiled_id", id);
        return (JsonWriter.WriteFile(json), id);
    }
}
