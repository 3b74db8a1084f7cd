using ManifestBuild.Format;
using ManifestBuild.Format.Datasets;
using ManifestBuild.Format.Json;
using ManifestBuild.Lightning.Payments;
using ManifestBuild.Market.Buying;
using ManifestBuild.Market.Listings;

namespace ManifestBuild.Market.Tests;

public sealed class DatasetMarketTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    internal static Dataset Sample(string word = "retry") => DatasetImporter.Import(
        "[" + string.Join(",", Enumerable.Range(0, 6).Select(i =>
            $$"""{"task_description":"Add {{word}} logic to client {{i}}","file_count":{{i + 1}},"estimated_tokens":{{1000 * (i + 1)}},"keywords":["add","{{word}}"],"expected_complexity":"{{(i % 2 == 0 ? "Medium" : "Low")}}","confidence":0.89}""")) + "]",
        new DatasetImportOptions { Family = "complexity", DomainTags = ["rust"], OutputNames = ["expected_complexity", "confidence"], Public = true, Repositories = ["https://github.com/example/public"], Description = "Complexity labels", CreatedAt = 1_700_000_000 });

    [Fact]
    public void A_paid_listing_shows_the_schema_never_the_examples_and_a_free_one_carries_them()
    {
        var dataset = Sample();
        var key = Nostr.NostrKeyPair.Generate();
        var paid = DatasetListingParser.Parse(ManifestBuild.Nostr.NostrEventVerifier.EnsureVerified(DatasetListingBuilder.BuildSigned(dataset, new ListingOptions { PriceMsat = 7000, L402Url = new Uri("https://seller.example/"), NodeIdHex = "02" + new string('a', 64) }, key)));
        Assert.Equal(dataset.StatedId, paid.DatasetId);
        Assert.Equal("dsrs-dataset:" + dataset.StatedId, paid.Event.FirstTagValue("d"));
        Assert.Equal("complexity", paid.Family);
        Assert.Equal(["rust"], paid.Domains);
        Assert.Equal(6, paid.ExampleCount);
        Assert.Equal(new Uri("https://seller.example/datasets/" + dataset.StatedId), paid.L402Url);
        Assert.Null(paid.Content["examples"]);
        Assert.DoesNotContain("Add retry logic", paid.Event.Content, StringComparison.Ordinal);
        Assert.NotNull(paid.Content["outputs"]);
        Assert.Equal("Complexity labels", paid.Description);

        var free = DatasetListingParser.Parse(ManifestBuild.Nostr.NostrEventVerifier.EnsureVerified(DatasetListingBuilder.BuildSigned(dataset, new ListingOptions(), key)));
        Assert.True(free.IsFree);
        Assert.Equal(6, ((JsonArray)free.Content["examples"]!).Count);
    }

    [Fact]
    public void Listings_that_lie_are_rejected_and_neither_search_returns_the_other_kind()
    {
        var dataset = Sample();
        var key = Nostr.NostrKeyPair.Generate();
        var (tags, content) = DatasetListingBuilder.Build(dataset, new ListingOptions());
        var tampered = content.Replace("client 3", "client 9", StringComparison.Ordinal);
        var forged = key.Sign(Nostr.NostrKinds.HandlerInformation, tags, tampered);
        Assert.False(DatasetListingParser.TryParse(ManifestBuild.Nostr.NostrEventVerifier.EnsureVerified(forged), out _, out var reason));
        Assert.Contains("does not hash", reason, StringComparison.Ordinal);

        // A paid listing that leaks its examples is refused too.
        var paidTags = tags.Where(t => t[0] != "price").Append(["price", "10"]).Append(["l402", "https://s.example/x"]).Append(["node", "02" + new string('b', 64)]).ToList();
        Assert.False(DatasetListingParser.TryParse(ManifestBuild.Nostr.NostrEventVerifier.EnsureVerified(key.Sign(Nostr.NostrKinds.HandlerInformation, paidTags, content)), out _, out reason));
        Assert.Contains("carries its examples", reason, StringComparison.Ordinal);

        var manifest = ListingBuilder.BuildSigned(MarketSamples.Manifest(), new ListingOptions(), key);
        var datasetEvent = DatasetListingBuilder.BuildSigned(dataset, new ListingOptions(), key);
        var manifests = ListingParser.ParseAll([ManifestBuild.Nostr.NostrEventVerifier.EnsureVerified(manifest), ManifestBuild.Nostr.NostrEventVerifier.EnsureVerified(datasetEvent)]);
        Assert.Single(manifests.Accepted);
        Assert.Empty(manifests.Rejected);
        var datasets = DatasetListingParser.ParseAll([ManifestBuild.Nostr.NostrEventVerifier.EnsureVerified(manifest), ManifestBuild.Nostr.NostrEventVerifier.EnsureVerified(datasetEvent)]);
        Assert.Equal(dataset.StatedId, Assert.Single(datasets.Accepted).DatasetId);
        Assert.Empty(datasets.Rejected);
    }

    [Fact]
    public async Task A_dataset_is_bought_once_over_L402_cached_verified_and_restored_without_paying()
    {
        var dataset = Sample();
        var id = dataset.StatedId!;
        await using var market = await MarketLoopback.StartAsync([], 1, folder =>
        {
            dataset.Save(Path.Combine(folder, "complexity-examples.json"));
            File.WriteAllText(Path.Combine(folder, "prices.json"), $$"""{"{{id}}": 4000}""");
        });
        var client = new MarketClient();
        var listing = DatasetListingBuilder.BuildSigned(dataset, market.PaidOptions(4000), market.SellerKey);
        Assert.All(await client.PublishAsync(listing, market.Relays, Deadline), r => Assert.True(r.Success, r.Message));
        Assert.All(await client.PublishAsync(ListingBuilder.BuildSigned(MarketSamples.Manifest(), new ListingOptions(), market.SellerKey), market.Relays, Deadline), r => Assert.True(r.Success, r.Message));

        var found = await client.SearchDatasetsAsync(new DatasetQuery { Family = "complexity", Domains = ["rust"] }, market.Relays, Deadline);
        var chosen = client.SelectDataset(found.Listings).Winner!;
        Assert.Equal(id, chosen.DatasetId);
        Assert.DoesNotContain((await client.SearchAsync(new ListingQuery { Family = "complexity" }, market.Relays, Deadline)).Listings, l => l.CompiledId == id);

        // Over the item's maximum: refused before paying.
        var tooDear = await Assert.ThrowsAsync<DsrsException>(() => client.AcquireDatasetAsync(chosen, new AcquireOptions { Home = market.BuyerHome, Node = market.BuyerNode, ItemMaxPriceMsat = 3999 }));
        Assert.Equal(PaymentErrorCodes.OverItemCap, tooDear.Code);
        Assert.Empty(market.SellerNode.ListSettledInvoices());

        var budget = new BuildBudget(10_000);
        var bought = await client.AcquireDatasetAsync(chosen, new AcquireOptions { Home = market.BuyerHome, Node = market.BuyerNode, ItemMaxPriceMsat = 5000, BuildBudget = budget });
        Assert.Equal(AcquireSource.Purchase, bought.Source);
        Assert.Equal(4000, bought.PricePaidMsat);
        Assert.Equal(6000, budget.RemainingMsat);
        Assert.Equal(id, bought.Dataset.VerifyId());
        Assert.Equal(6, bought.Dataset.Examples.Count);
        Assert.Equal(Path.Combine(market.BuyerHome, "datasets", id + ".json"), bought.CachePath);
        Assert.Single(market.SellerNode.ListSettledInvoices());

        var again = await client.AcquireDatasetAsync(chosen, new AcquireOptions { Home = market.BuyerHome, Node = market.BuyerNode });
        Assert.Equal(AcquireSource.Cache, again.Source);

        // A corrupt cache entry is quarantined and restored with the receipt: nothing paid.
        File.WriteAllText(bought.CachePath, bought.Text.Replace("client 2", "client 7", StringComparison.Ordinal));
        var restored = await client.RestoreDatasetAsync(id, new RestoreOptions { Home = market.BuyerHome, Relays = market.Relays });
        Assert.Equal(AcquireSource.Receipt, restored.Source);
        Assert.Single(Directory.GetFiles(Path.Combine(market.BuyerHome, "datasets", "quarantine")));
        Assert.Single(market.SellerNode.ListSettledInvoices());

        // Another home without a receipt: locked restore refuses rather than pays.
        var refused = await Assert.ThrowsAsync<DsrsException>(() => client.RestoreDatasetAsync(id, new RestoreOptions { Home = market.SecondBuyerHome, Relays = market.Relays }));
        Assert.Equal(MarketErrorCodes.DatasetRestoreFailed, refused.Code);
        Assert.Single(market.SellerNode.ListSettledInvoices());
    }
}
