using ManifestBuild.Format.Json;
using ManifestBuild.Market.Buying;
using ManifestBuild.Market.Listings;
using ManifestBuild.Nostr;
using ManifestBuild.Tasks.Tests.Support;
using ManifestBuild.TestSupport;

namespace ManifestBuild.Cli.Tests;

/// <summary>
/// A subscription over the loopback market (embedded relay, `dsrs serve`'s server, dev nodes), through the
/// commands a user types: bought once, a new version published, `dsrs outdated` says it is covered,
/// `dsrs update` moves the lock to the exact new compiled_id without a payment, and a locked restore on a
/// clean machine fetches it with the exported receipts, never paying.
/// </summary>
public sealed class SubscriptionCommandTests : IAsyncLifetime
{
    private const long Price = 30_000;
    private const string Line = "rust-systems";
    private readonly TempDirectory work = new("dsrs-cli-subscription");
    private MarketWorld world = null!;

    public async Task InitializeAsync() => world = await MarketWorld.StartAsync(work.Combine("world"));

    public async Task DisposeAsync()
    {
        await world.DisposeAsync();
        work.Dispose();
    }

    [Fact]
    public async Task A_subscription_bought_once_moves_the_lock_to_a_new_version_without_paying()
    {
        var (v1, v1Id) = TestManifests.Complexity("Classify the task's complexity, version one.");
        await world.SellAsync((_, _) => Task.FromResult<Uri?>(null), (v1, v1Id, Price)); // sold, listed below with its line
        var folder = world.Server.Catalog.Directory;
        File.WriteAllText(Path.Combine(folder, "prices.json"), $"{{\"default\": {Price}}}");
        var add = await Run(null, "subscription", "add", Path.Combine(folder, v1Id + ".json"), "--line", Line, "--price", "10000", "--period-days", "7");
        Assert.True(add.Code == 0, add.Err);
        await world.Server.WaitForCatalogAsync(c => c.FindLine(Line)?.Find(v1Id) is not null, TimeSpan.FromSeconds(20));
        var sold = world.Server.Catalog.ForSubscriptionListing(Line, null);
        Assert.Equal((10_000L, 7 * 86_400L), (sold.PriceMsat, sold.PeriodSeconds));
        Publish(SubscriptionListingBuilder.BuildSigned(Line, sold.PeriodSeconds, new ListingOptions { PriceMsat = sold.PriceMsat, L402Url = world.Server.Url, NodeIdHex = world.SellerNode.NodeId }, world.Seller));
        PublishVersion(v1, v1Id, DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 60);

        var home = work.Combine("home");
        var bought = await Run(home, "subscription", "buy", Line, "--seller", world.Seller.PublicKeyHex, "--yes", "--relay", world.RelayUrl);
        Assert.True(bought.Code == 0, bought.Err);
        Assert.Contains($"subscribed to line {Line}", bought.Out);
        Assert.Contains("paid 10000 msat", bought.Out);
        Assert.Equal(1, world.Payments);
        var again = await Run(home, "subscription", "buy", Line, "--seller", world.Seller.PublicKeyHex, "--relay", world.RelayUrl);
        Assert.True(again.Code == 0, again.Err);
        Assert.Contains("already subscribed", again.Out);
        Assert.Equal(1, world.Payments);

        var project = SubscriberProject.Write(work.Combine("app"), world.RelayUrl);
        var lockFile = Path.Combine(Path.GetDirectoryName(project)!, "dsrs.lock.json");
        var locked = await Run(home, "lock", "--project", project);
        Assert.True(locked.Code == 0, locked.Err);
        Assert.Equal(v1Id, PinnedId(lockFile));
        Assert.True(world.Payments == 1, locked.Out + locked.Err);

        // The seller publishes version two of the line.
        var (v2, v2Id) = TestManifests.Complexity("Classify the task's complexity, version two.");
        File.WriteAllText(Path.Combine(folder, v2Id + ".json"), v2);
        Assert.Equal(0, (await Run(null, "subscription", "add", Path.Combine(folder, v2Id + ".json"), "--line", Line)).Code);
        await world.Server.WaitForCatalogAsync(c => c.FindLine(Line)?.Find(v2Id) is not null, TimeSpan.FromSeconds(20));
        PublishVersion(v2, v2Id, DateTimeOffset.UtcNow.ToUnixTimeSeconds());

        var outdated = await Run(home, "outdated", "--project", project, "--json");
        Assert.True(outdated.Code == 0, outdated.Err);
        var item = JsonParser.ParseObject(outdated.Out.Trim());
        Assert.Equal((v1Id, v2Id, "newer"), (item.GetString("locked"), item.GetString("best"), item.GetString("status")));
        Assert.Contains("paying 0 msat", item.GetString("subscription"), StringComparison.Ordinal);

        var updated = await Run(home, "update", "--project", project, "--budget", "0");
        Assert.True(updated.Code == 0, updated.Err);
        Assert.Contains("receipt (already paid)", updated.Out);
        Assert.Equal(v2Id, PinnedId(lockFile));
        Assert.Equal(1, world.Payments);

        var list = await Run(home, "subscription", "list");
        Assert.Contains($"{Line}  seller {world.Seller.PublicKeyHex[..12]}  active until", list.Out);
        var held = Assert.Single(new SubscriptionStore(home).List());
        Assert.DoesNotContain(held.PreimageHex, list.Out + updated.Out + bought.Out, StringComparison.Ordinal);

        // A clean CI machine: the lock's exact version, restored with the exported receipts, nothing paid.
        var receipts = ReceiptStore.ExportForEnvironment(new ReceiptStore(home).List());
        var ci = await Run(work.Combine("ci-home"), ["restore", "--locked", "--project", project], receipts);
        Assert.True(ci.Code == 0, ci.Err);
        Assert.Contains("restored (receipt)", ci.Out);
        Assert.Equal(1, world.Payments);
    }

    private void PublishVersion(string json, string id, long createdAt) =>
        Publish(ListingBuilder.BuildSigned(JsonParser.ParseObject(json), new ListingOptions { PriceMsat = Price, L402Url = world.Server.ManifestUrl(id), NodeIdHex = world.SellerNode.NodeId, Line = Line, CreatedAt = createdAt }, world.Seller));

    private void Publish(NostrEvent e) => Assert.True(world.Relay.Publish(e).Accepted);

    private Task<(int Code, string Out, string Err)> Run(string? home, params string[] args) => Run(home, args, null);

    private Task<(int Code, string Out, string Err)> Run(string? home, string[] args, string? receipts) =>
        CliRun.RunWithEnvironmentAsync(name => name switch { "DSRS_HOME" => home, "DSRS_NODE" => world.BuyerNode, "DSRS_RECEIPTS" => receipts, _ => null }, args);

    private static string? PinnedId(string lockFile) =>
        JsonParser.ParseObject(File.ReadAllText(lockFile))["manifests"] is JsonObject manifests && manifests["Classifier"] is JsonObject entry ? entry.GetString("compiled_id") : null;
}
