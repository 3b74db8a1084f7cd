using ManifestBuild.Format.Json;
using ManifestBuild.Market.Buying;
using ManifestBuild.Tasks.Tests.Support;
using ManifestBuild.TestSupport;

namespace ManifestBuild.Cli.Tests;

/// <summary>
/// `dsrs lock` and `dsrs restore --locked` in-process against the loopback market (embedded relay, L402
/// seller, dev nodes): lock pays once within the budget and pins; a locked restore on a clean machine
/// fetches exactly what the lockfile pins (free listing, receipt), never pays, never writes the lockfile,
/// and refuses what only a payment could bring.
/// </summary>
public sealed class LockCommandTests : IAsyncLifetime
{
    private const long Price = 30_000;
    private readonly TempDirectory work = new("dsrs-cli-lock");
    private MarketWorld world = null!;

    public async Task InitializeAsync() => world = await MarketWorld.StartAsync(work.Combine("world"));

    public async Task DisposeAsync()
    {
        await world.DisposeAsync();
        work.Dispose();
    }

    [Fact]
    public async Task LockPaysOnceAndLockedRestoreFetchesExactlyThePinsWithoutPaying()
    {
        var (paid, paidId) = TestManifests.Complexity();
        var (free, freeId) = TestManifests.Planner();
        await world.SellAsync((paid, paidId, Price));
        world.PublishFree(free);
        var project = Project(work.Combine("app"), world.RelayUrl);
        var home = work.Combine("home");

        var locked = await RunAsync(home, null, "lock", "--project", project);
        Assert.True(locked.Code == 0, locked.Err);
        Assert.Contains($"dsrs: Classifier <- seller {world.Seller.PublicKeyHex[..12]} {paidId[..12]} paid {Price} msat", locked.Out);
        Assert.Contains($"dsrs: Planner <- seller {world.Seller.PublicKeyHex[..12]} {freeId[..12]} free", locked.Out);
        Assert.Equal(1, world.Payments);
        var lockFile = Path.Combine(Path.GetDirectoryName(project)!, "dsrs.lock.json");
        Assert.Equal((paidId, freeId), (PinnedId(lockFile, "Classifier"), PinnedId(lockFile, "Planner")));
        var lockText = File.ReadAllText(lockFile);

        // Locking again is a no-op: the lock satisfies both items, nothing is paid.
        var again = await RunAsync(home, null, "lock", "--project", project);
        Assert.True(again.Code == 0, again.Err);
        Assert.Equal(1, world.Payments);
        Assert.Equal(lockText, File.ReadAllText(lockFile));

        // A newer, better free version appears: a locked restore still fetches the pinned ones only.
        var (better, betterId) = TestManifests.Planner("Break the goal into ordered, verified steps.");
        world.PublishFree(better);

        // A clean CI machine with the receipt: both restored, nothing paid, the lockfile untouched.
        var receipts = ReceiptStore.ExportForEnvironment(new ReceiptStore(home).List());
        var ciHome = work.Combine("ci-home");
        var ci = await RunAsync(ciHome, receipts, "restore", "--locked", "--project", project);
        Assert.True(ci.Code == 0, ci.Err);
        Assert.Contains("Classifier <- seller", ci.Out);
        Assert.Contains("restored (receipt)", ci.Out);
        Assert.Contains("restored (free listing)", ci.Out);
        Assert.Equal(1, world.Payments);
        Assert.Equal(lockText, File.ReadAllText(lockFile));
        Assert.Equal(
            new[] { freeId, paidId }.Order(StringComparer.Ordinal),
            Directory.GetFiles(Path.Combine(ciHome, "cache"), "*.json").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal));
        Assert.DoesNotContain(betterId, Directory.GetFiles(Path.Combine(ciHome, "cache")).Select(Path.GetFileName).OfType<string>().Select(n => n[..64]));

        // Without the receipt the paid item could only be bought: refused with its code, exit 1, nothing
        // paid although a node and a budget are there; the free one is still restored.
        var bare = await RunAsync(work.Combine("bare-home"), null, "restore", "--locked", "--project", project, "--budget", "100000");
        Assert.Equal(1, bare.Code);
        Assert.Contains("error DSRS0032: DsrsManifest 'Classifier'", bare.Err);
        Assert.Contains("locked mode never pays", bare.Err);
        Assert.Contains("restored (free listing)", bare.Out);
        Assert.Equal(1, world.Payments);
        Assert.Equal(lockText, File.ReadAllText(lockFile));
    }

    [Fact]
    public async Task LockedRestoreRefusesADeclarationTheLockDoesNotSatisfyAndAMissingProjectIsAnError()
    {
        var (free, freeId) = TestManifests.Planner();
        world.PublishFree(free);
        var dir = work.Combine("app");
        var project = Project(dir, world.RelayUrl, items: """<DsrsManifest Include="Planner" Family="planning" MaxPriceMsat="0" />""");
        var home = work.Combine("home");
        Assert.Equal(0, (await RunAsync(home, null, "lock", "--project", project)).Code);
        Assert.Equal(freeId, PinnedId(Path.Combine(dir, "dsrs.lock.json"), "Planner"));

        // The declaration changes (a domain the locked manifest lacks): locked mode refuses with DSRS0030 naming it.
        Project(dir, world.RelayUrl, items: """<DsrsManifest Include="Planner" Family="planning" Domains="docs" MaxPriceMsat="0" />""");
        var changed = await RunAsync(home, null, "restore", "--locked", "--project", project);
        Assert.Equal(1, changed.Code);
        Assert.Contains("error DSRS0030: DsrsManifest 'Planner'", changed.Err);
        Assert.Contains("[docs]", changed.Err);

        // An item not in the lockfile at all is refused the same way.
        Project(dir, world.RelayUrl, items: """<DsrsManifest Include="Planner" Family="planning" MaxPriceMsat="0" /><DsrsManifest Include="Other" Family="planning" MaxPriceMsat="0" />""");
        var missing = await RunAsync(home, null, "restore", "--locked", "--project", project);
        Assert.Equal(1, missing.Code);
        Assert.Contains("error DSRS0030: DsrsManifest 'Other': the item is not in the lockfile", missing.Err);

        // No project given in a folder without one: DSRS0912.
        var none = await RunAsync(home, null, "lock", "--project", Path.Combine(work.Combine("empty"), "Nothing.csproj"));
        Assert.Equal(1, none.Code);
        Assert.Contains("DSRS0910", none.Err);
    }

    private Task<(int Code, string Out, string Err)> RunAsync(string home, string? receipts, params string[] args) =>
        CliRun.RunWithEnvironmentAsync(
            name => name switch
            {
                "DSRS_HOME" => home,
                "DSRS_NODE" => world.BuyerNode,
                "DSRS_RECEIPTS" => receipts,
                _ => null,
            },
            args);

    private static string Project(string dir, string relay, string? items = null)
    {
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, "App.csproj");
        File.WriteAllText(path, $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <DsrsRelays>{relay}</DsrsRelays>
                <DsrsBudgetMsat>100000</DsrsBudgetMsat>
              </PropertyGroup>
              <ItemGroup>
                {items ?? """<DsrsManifest Include="Classifier" Family="complexity" Domains="rust" MaxPriceMsat="50000" /><DsrsManifest Include="Planner" Family="planning" MaxPriceMsat="0" />"""}
              </ItemGroup>
            </Project>
            """);
        return path;
    }

    private static string? PinnedId(string lockFile, string name) =>
        JsonParser.ParseObject(File.ReadAllText(lockFile))["manifests"] is JsonObject manifests && manifests[name] is JsonObject entry
            ? entry.GetString("compiled_id")
            : null;
}
