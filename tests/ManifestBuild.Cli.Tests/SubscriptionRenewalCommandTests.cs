using ManifestBuild.Format.Json;
using ManifestBuild.Lightning.Payments;
using ManifestBuild.Market.Listings;
using ManifestBuild.Seller;
using ManifestBuild.Seller.Subscriptions;
using ManifestBuild.Tasks.Tests.Support;
using ManifestBuild.TestSupport;

namespace ManifestBuild.Cli.Tests;

/// <summary>
/// An expired subscription through `dsrs update`: a version published after the term is a renewal, paid
/// through the guard within `--budget` (too small: refused, nothing paid), never by a locked restore.
/// The seller's clock is moved past the term (its token expiries are minted from it).
/// </summary>
public sealed class SubscriptionRenewalCommandTests : IAsyncLifetime
{
    private const long Price = 30_000;
    private const long SubscriptionPrice = 10_000;
    private const string Line = "rust-systems";
    private readonly TempDirectory work = new("dsrs-cli-renewal");
    private readonly SellerClock clock = new();
    private MarketWorld world = null!;
    private SellerServer server = null!;

    public async Task InitializeAsync()
    {
        world = await MarketWorld.StartAsync(work.Combine("world"));
        var folder = work.Combine("for-sale");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, ManifestCatalog.PricesFileName), $"{{\"default\": {Price}}}");
        File.WriteAllText(Path.Combine(folder, Line + LineDocument.FileSuffix), new LineDocument(Line, SubscriptionPrice, 86_400, null, []).ToText());
        server = await SellerServer.StartAsync(new SellerServerOptions { ManifestsDirectory = folder, Node = world.SellerNode, Home = work.Combine("seller-home"), Time = clock, CatalogPollInterval = TimeSpan.FromMilliseconds(200) });
    }

    public async Task DisposeAsync()
    {
        await server.DisposeAsync();
        await world.DisposeAsync();
        work.Dispose();
    }

    private sealed class SellerClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = DateTimeOffset.UtcNow;

        public override DateTimeOffset GetUtcNow() => Now;
    }

    [Fact]
    public async Task An_expired_subscription_renews_only_through_the_budget_and_never_in_locked_mode()
    {
        await PublishVersionAsync("Classify the task's complexity, version one.", -120);
        var sold = server.Catalog.ForSubscriptionListing(Line, null);
        Assert.True(world.Relay.Publish(SubscriptionListingBuilder.BuildSigned(Line, sold.PeriodSeconds, new ListingOptions { PriceMsat = sold.PriceMsat, L402Url = server.Url, NodeIdHex = world.SellerNode.NodeId }, world.Seller)).Accepted);
        var home = work.Combine("home");
        var project = SubscriberProject.Write(work.Combine("app"), world.RelayUrl);
        Assert.Equal(0, (await Run(home, "subscription", "buy", Line, "--yes", "--relay", world.RelayUrl)).Code);
        Assert.Equal(0, (await Run(home, "lock", "--project", project)).Code);
        Assert.Equal(1, world.Payments);

        // Two days later on the seller's clock: the term is over, and version two is published.
        clock.Now += TimeSpan.FromDays(2);
        var v2 = await PublishVersionAsync("Classify the task's complexity, version two.", 0);
        var outdated = await Run(home, "outdated", "--project", project);
        Assert.Contains($"renews it for {SubscriptionPrice} msat", outdated.Out);

        var poor = await Run(home, "update", "--project", project, "--budget", (SubscriptionPrice - 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(1, poor.Code);
        Assert.Contains(PaymentErrorCodes.OverBudget, poor.Err);
        Assert.Equal(1, world.Payments);

        var locked = await Run(work.Combine("ci-home"), "restore", "--locked", "--project", project, "--budget", "100000");
        Assert.Equal(1, locked.Code);
        Assert.Equal(1, world.Payments);

        var renewed = await Run(home, "update", "--project", project, "--budget", "100000");
        Assert.True(renewed.Code == 0, renewed.Err);
        Assert.Contains($"paid {SubscriptionPrice} msat", renewed.Out);
        Assert.Equal(2, world.Payments);
        Assert.Equal(v2, JsonParser.ParseObject(File.ReadAllText(Path.Combine(work.Combine("app"), "dsrs.lock.json")))["manifests"] is JsonObject m && m["Classifier"] is JsonObject e ? e.GetString("compiled_id") : null);
    }

    private async Task<string> PublishVersionAsync(string instruction, long createdOffset)
    {
        var (json, id) = TestManifests.Complexity(instruction);
        var folder = server.Catalog.Directory;
        File.WriteAllText(Path.Combine(folder, id + ".json"), json);
        var path = Path.Combine(folder, Line + LineDocument.FileSuffix);
        File.WriteAllText(path, LineDocument.Load(path).WithVersion(id, clock.GetUtcNow().ToUnixTimeSeconds()).ToText());
        await server.WaitForCatalogAsync(c => c.FindLine(Line)?.Find(id) is not null, TimeSpan.FromSeconds(20));
        Assert.True(world.Relay.Publish(ListingBuilder.BuildSigned(JsonParser.ParseObject(json), new ListingOptions
        {
            PriceMsat = Price,
            L402Url = server.ManifestUrl(id),
            NodeIdHex = world.SellerNode.NodeId,
            Line = Line,
            CreatedAt = clock.GetUtcNow().ToUnixTimeSeconds() + createdOffset, // listed on the seller's clock, as it publishes
        }, world.Seller)).Accepted);
        return id;
    }

    private Task<(int Code, string Out, string Err)> Run(string home, params string[] args) =>
        CliRun.RunWithEnvironmentAsync(name => name switch { "DSRS_HOME" => home, "DSRS_NODE" => world.BuyerNode, _ => null }, args);
}
