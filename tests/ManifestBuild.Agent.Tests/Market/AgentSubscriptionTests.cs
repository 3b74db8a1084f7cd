using ManifestBuild.Agent.Market;
using ManifestBuild.Agent.Tests.Support;
using ManifestBuild.Format;
using ManifestBuild.Format.Json;
using ManifestBuild.Market.Buying;
using ManifestBuild.Market.Listings;
using ManifestBuild.Runtime;
using ManifestBuild.Seller.Subscriptions;

namespace ManifestBuild.Agent.Tests.Market;

/// <summary>
/// An agent subscribes to a line through its period budget (the embedded relay, the real seller, dev nodes
/// on loopback) and receives versions live: one published after it subscribed is downloaded with the
/// token (nothing paid), verified and applied; one with another field schema is refused and the old stays.
/// </summary>
public sealed class AgentSubscriptionTests
{
    private const long Price = 100_000;
    private const long SubscriptionPrice = 10_000;
    private const string Line = "scientific-complexity";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_subscribed_agent_applies_a_version_published_after_it_subscribed_and_refuses_another_schema()
    {
        await using var world = await AgentWorld.StartAsync();
        var (v1, v1Id) = AgentWorld.Manifest("Classify scientific tasks, version one.", "scientific");
        await world.Market.SellAsync((_, _) => Task.FromResult<Uri?>(null), (v1, v1Id, Price)); // listed below, with its line
        var folder = world.Market.Server.Catalog.Directory;
        File.WriteAllText(Path.Combine(folder, "prices.json"), $"{{\"default\": {Price}}}");
        await AddVersionAsync(world, folder, v1, v1Id, new LineDocument(Line, SubscriptionPrice, 7 * 86_400, null, []));
        var seller = world.Market.Seller;
        var sold = world.Market.Server.Catalog.ForSubscriptionListing(Line, null);
        Assert.True(world.Market.Relay.Publish(SubscriptionListingBuilder.BuildSigned(Line, sold.PeriodSeconds, new ListingOptions { PriceMsat = sold.PriceMsat, L402Url = world.Market.Server.Url, NodeIdHex = world.Market.SellerNode.NodeId }, seller)).Accepted);
        PublishVersion(world, v1, v1Id, DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 60);

        // The limits first: no-pay and a period budget below the price pay nothing.
        await using (var noPay = world.Open(o => o with { NoPay = true }))
        {
            Assert.Equal(AgentErrorCodes.NoPay, (await Assert.ThrowsAsync<DsrsException>(() => noPay.SubscribeAsync(new AgentSubscriptionQuery { Line = Line }))).Code);
        }

        await using (var poor = world.Open(o => o with { Budget = new PeriodBudget(SubscriptionPrice - 1, TimeSpan.FromDays(1)) }))
        {
            Assert.Equal(AgentErrorCodes.OverPeriodBudget, (await Assert.ThrowsAsync<DsrsException>(() => poor.SubscribeAsync(new AgentSubscriptionQuery { Line = Line }))).Code);
        }

        Assert.Equal(0, world.Market.Payments);
        await using var market = world.Open();
        await Assert.ThrowsAsync<DsrsException>(() => market.FollowLineAsync(seller.PublicKeyHex, Line));
        var subscribed = await market.SubscribeAsync(new AgentSubscriptionQuery { Line = Line });
        Assert.Equal(SubscriptionPrice, subscribed.PaidMsat);
        Assert.Equal(SubscriptionPrice, market.SpentThisPeriodMsat);
        Assert.Equal(0, (await market.SubscribeAsync(new AgentSubscriptionQuery { Line = Line })).PaidMsat);
        Assert.Equal(1, world.Market.Payments);

        var first = await market.AcquireAsync(new AgentQuery { Family = "complexity", Domains = ["scientific"] });
        Assert.Equal((v1Id, 0L, AcquireSource.Receipt), (first.CompiledId, first.PaidMsat, first.Source));

        await using var feed = await market.FollowLineAsync(seller.PublicKeyHex, Line, first.Signature);
        await feed.CaughtUp.WaitAsync(Bound);

        // Version two, published after the agent subscribed: it arrives live, downloaded with the token.
        var (v2, v2Id) = AgentWorld.Manifest("Classify scientific tasks, version two.", "scientific");
        await AddVersionAsync(world, folder, v2, v2Id);
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        PublishVersion(world, v2, v2Id, now);
        using var timeout = new CancellationTokenSource(Bound);
        var applied = await feed.Updates.ReadAsync(timeout.Token);
        Assert.True(applied.Applied, applied.Reason);
        Assert.Equal(v2Id, applied.Listing.CompiledId);
        Assert.Equal(v2Id, feed.InUse!.CompiledId);
        Assert.Contains("version two", feed.InUse.Spec.Instruction, StringComparison.Ordinal);
        Assert.Equal(1, world.Market.Payments);

        // Version three changes the outputs: refused with its code, version two stays in use.
        var (v3, v3Id) = OtherSchema("Classify scientific tasks, version three.");
        await AddVersionAsync(world, folder, v3, v3Id);
        PublishVersion(world, v3, v3Id, now + 1);
        var refused = await feed.Updates.ReadAsync(timeout.Token);
        Assert.False(refused.Applied);
        Assert.Equal(AgentErrorCodes.LineVersionRefused, refused.Code);
        Assert.Contains(RuntimeErrorCodes.IncompatibleSchema, refused.Reason, StringComparison.Ordinal);
        Assert.Equal(v2Id, feed.InUse.CompiledId);
        Assert.Equal(1, world.Market.Payments);
    }

    [Fact]
    public async Task An_agent_process_following_the_line_receives_a_version_published_while_it_runs_without_paying()
    {
        await using var world = await AgentWorld.StartAsync();
        var (v1, v1Id) = AgentWorld.Manifest("Classify scientific tasks, version one.", "scientific");
        await world.Market.SellAsync((_, _) => Task.FromResult<Uri?>(null), (v1, v1Id, Price));
        var folder = world.Market.Server.Catalog.Directory;
        File.WriteAllText(Path.Combine(folder, "prices.json"), $"{{\"default\": {Price}}}");
        await AddVersionAsync(world, folder, v1, v1Id, new LineDocument(Line, SubscriptionPrice, 7 * 86_400, null, []));
        var sold = world.Market.Server.Catalog.ForSubscriptionListing(Line, null);
        Assert.True(world.Market.Relay.Publish(SubscriptionListingBuilder.BuildSigned(Line, sold.PeriodSeconds, new ListingOptions { PriceMsat = sold.PriceMsat, L402Url = world.Market.Server.Url, NodeIdHex = world.Market.SellerNode.NodeId }, world.Market.Seller)).Accepted);
        PublishVersion(world, v1, v1Id, DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 60);
        await using (var market = world.Open())
        {
            Assert.Equal(SubscriptionPrice, (await market.SubscribeAsync(new AgentSubscriptionQuery { Line = Line })).PaidMsat);
        }

        // Another process on the same home: it holds the subscription and follows the line live.
        await using var agent = await AcquireHostProcess.StartAsync(world.Environment, "--follow", world.Market.RelayUrl, world.Market.Seller.PublicKeyHex, Line);
        await agent.GoAsync();
        Assert.Equal("CAUGHTUP", await agent.ReadLineAsync());

        var (v2, v2Id) = AgentWorld.Manifest("Classify scientific tasks, version two.", "scientific");
        await AddVersionAsync(world, folder, v2, v2Id);
        PublishVersion(world, v2, v2Id, DateTimeOffset.UtcNow.ToUnixTimeSeconds());

        Assert.Equal($"UPDATE True {v2Id} ", await agent.ReadLineAsync());
        Assert.Equal(1, world.Market.Payments);
        Assert.Contains(new ReceiptStore(world.Home).List(), r => r.CompiledId == v2Id);
    }

    private static async Task AddVersionAsync(AgentWorld world, string folder, string json, string id, LineDocument? created = null)
    {
        File.WriteAllText(Path.Combine(folder, id + ".json"), json);
        var path = Path.Combine(folder, Line + LineDocument.FileSuffix);
        var line = created ?? LineDocument.Load(path);
        File.WriteAllText(path, line.WithVersion(id, DateTimeOffset.UtcNow.ToUnixTimeSeconds()).ToText());
        await world.Market.Server.WaitForCatalogAsync(c => c.FindLine(Line)?.Find(id) is not null, Bound);
    }

    private static void PublishVersion(AgentWorld world, string json, string id, long createdAt) =>
        Assert.True(world.Market.Relay.Publish(ListingBuilder.BuildSigned(JsonParser.ParseObject(json), new ListingOptions
        {
            PriceMsat = Price,
            L402Url = world.Market.Server.ManifestUrl(id),
            NodeIdHex = world.Market.SellerNode.NodeId,
            Line = Line,
            CreatedAt = createdAt,
        }, world.Market.Seller)).Accepted);

    /// <summary>The same signature with another output field: what a generated class must not take.</summary>
    private static (string Json, string CompiledId) OtherSchema(string instruction)
    {
        var manifest = JsonParser.ParseObject(AgentWorld.Manifest(instruction, "scientific").Json);
        manifest.Set("outputs", new JsonArray().Add(new JsonObject().Add("name", "verdict").Add("type", "string")));
        manifest.Set("demos", new JsonArray()); // the old demos name the old output
        manifest.Remove(CompiledId.MemberName);
        manifest.Add(CompiledId.MemberName, CompiledId.Compute(manifest));
        return (JsonWriter.WriteFile(manifest), manifest.GetString(CompiledId.MemberName)!);
    }
}
