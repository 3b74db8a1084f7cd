using ManifestBuild.Format;
using ManifestBuild.Market.Listings;
using ManifestBuild.Market.Reviews;
using ManifestBuild.Market.Selection;
using ManifestBuild.Nostr;

namespace ManifestBuild.Market.Tests;

/// <summary>Measured reviews: the measurement tags, and how reputation counts them (verified purchases only, once per payment).</summary>
public sealed class MeasuredReviewTests
{
    private static readonly string CompiledId = new('b', 64);
    private static readonly string Examples = new('e', 64);

    private static Measurement Measured(double accuracy, long n) => Measurement.Create(accuracy, n, "exact", "loopback-model-1", Examples);

    [Fact]
    public void Verified_measurements_pool_per_listing_and_seller_and_read_back_from_the_tags()
    {
        var seller = NostrKeyPair.Generate().PublicKeyHex;
        var address = $"31990:{seller}:dsrs-manifest:{CompiledId}";
        var events = new List<NostrEvent>();
        var sameNode = SameNodeInvoices(3);
        var node = sameNode.NodeId;
        var data = new[] { (0.8, 100L), (0.9, 100L), (0.85, 200L) };
        for (var i = 0; i < 3; i++)
        {
            events.Add(ReviewBuilder.Build(NostrKeyPair.Generate(), seller, CompiledId, 4, "measured", new PurchaseProof(sameNode.Invoices[i].Bolt11, sameNode.Invoices[i].Preimage), measurement: Measured(data[i].Item1, data[i].Item2)));
        }

        Assert.True(ReviewParser.TryParse(Verified.Of(events[0]), node, out var parsed, out var reason), reason);
        Assert.True(parsed!.IsVerified);
        Assert.Equal(0.8, parsed.Measurement!.Accuracy);
        Assert.Equal(100, parsed.Measurement.N);
        Assert.Equal("exact", parsed.Measurement.Metric);
        Assert.Equal("loopback-model-1", parsed.Measurement.Model);
        Assert.Equal(Examples, parsed.Measurement.ExamplesSha256);

        var book = ReputationBook.Build(Verified.All(events), new Dictionary<string, string?> { [address] = node });
        var listing = book.MeasuredForListing(address);
        Assert.Equal(3, listing.Buyers);
        Assert.Equal(400, listing.Examples);
        Assert.Equal(0.85, listing.Mean!.Value, 12);
        Assert.Equal(1.959963984540054 * Math.Sqrt(0.85 * 0.15 / 400), listing.HalfWidth95!.Value, 12);
        Assert.Equal(listing, book.MeasuredForSeller(seller));
        Assert.Equal("claimed 0.91; measured 0.85 ± 0.03 over 3 verified buyers (400 examples)", listing.Describe(0.91));
        Assert.Equal("claimed 0.91; not measured by a verified buyer", MeasuredScore.None.Describe(0.91));
    }

    [Fact]
    public void Measurements_without_a_verified_purchase_or_on_a_reused_payment_do_not_count()
    {
        var seller = NostrKeyPair.Generate().PublicKeyHex;
        var address = $"31990:{seller}:dsrs-manifest:{CompiledId}";
        var invoices = SameNodeInvoices(1);
        var buyer = NostrKeyPair.Generate();
        var proof = new PurchaseProof(invoices.Invoices[0].Bolt11, invoices.Invoices[0].Preimage);
        var verified = ReviewBuilder.Build(buyer, seller, CompiledId, 4, "mine", proof, createdAt: 100, measurement: Measured(0.7, 50));
        var thief = ReviewBuilder.Build(NostrKeyPair.Generate(), seller, CompiledId, 5, "copied proof", proof, createdAt: 200, measurement: Measured(0.99, 1000));

        // An unverified review cannot carry one through the builder; one made by hand is read but not counted.
        Assert.Equal(MarketErrorCodes.MeasurementNotVerified, Assert.Throws<DsrsException>(() => ReviewBuilder.Build(buyer, seller, CompiledId, 5, "no proof", measurement: Measured(0.99, 1000))).Code);
        var handMade = NostrKeyPair.Generate().Sign(NostrKinds.Label,
        [
            ["L", Review.Namespace], ["l", "5", Review.Namespace], ["a", address], ["p", seller],
            .. Measured(0.99, 1000).ToTags(),
        ], "trust me");

        var book = ReputationBook.Build(Verified.All([verified, thief, handMade]), new Dictionary<string, string?> { [address] = invoices.NodeId });
        var measured = book.MeasuredForListing(address);
        Assert.Equal(1, measured.Buyers);
        Assert.Equal(0.7, measured.Mean);
        Assert.Equal(1, book.ForListing(address).UnverifiedCount);
    }

    [Fact]
    public void Malformed_measurement_tags_reject_the_review_with_the_reason()
    {
        var seller = NostrKeyPair.Generate().PublicKeyHex;
        var address = $"31990:{seller}:dsrs-manifest:{CompiledId}";
        var invoices = SameNodeInvoices(1);
        string[][] good = [[Measurement.AccuracyTag, "0.8"], [Measurement.CountTag, "10"], [Measurement.MetricTag, "exact"], [Measurement.ModelTag, "m"], [Measurement.ExamplesTag, Examples]];
        foreach (var (index, value, expected) in new[] { (0, "1.5", "from 0 to 1"), (0, "-0.1", "decimal"), (1, "0", "1 to"), (1, "ten", "positive integer"), (4, "abc", "64 lowercase hex"), (2, "", "name the metric") })
        {
            var tags = new List<IReadOnlyList<string>> { new[] { "L", Review.Namespace }, new[] { "l", "4", Review.Namespace }, new[] { "a", address }, new[] { "p", seller }, new[] { "bolt11", invoices.Invoices[0].Bolt11 }, new[] { "preimage", invoices.Invoices[0].Preimage } };
            tags.AddRange(good.Select((t, i) => (IReadOnlyList<string>)(i == index ? new[] { t[0], value } : t)));
            var e = NostrKeyPair.Generate().Sign(NostrKinds.Label, tags, "x");
            Assert.False(ReviewParser.TryParse(Verified.Of(e), invoices.NodeId, out _, out var reason));
            Assert.Contains("malformed measurement", reason, StringComparison.Ordinal);
            Assert.Contains(expected, reason, StringComparison.Ordinal);
        }

        Assert.Equal(MarketErrorCodes.MeasurementInvalid, Assert.Throws<DsrsException>(() => Measurement.Create(1.2, 10, "exact", "m", Examples)).Code);
        Assert.Equal(MarketErrorCodes.MeasurementInvalid, Assert.Throws<DsrsException>(() => Measurement.Create(0.5, 10, "exact", "m", "not-a-hash")).Code);
    }

    [Fact]
    public void Ranking_by_measured_accuracy_is_opt_in_needs_enough_buyers_and_says_so()
    {
        var seller = NostrKeyPair.Generate();
        Listing Make(double accuracy, string instruction) => ListingParser.Parse(Verified.Of(ListingBuilder.BuildSigned(
            MarketSamples.Manifest(instruction: instruction, accuracy: accuracy), new ListingOptions { CreatedAt = 10 }, seller)));
        var boasting = Make(0.95, "boast");
        var modest = Make(0.9, "modest");
        var invoices = SameNodeInvoices(2, boasting.CompiledId);
        var reviews = invoices.Invoices.Select(i => ReviewBuilder.Build(NostrKeyPair.Generate(), seller.PublicKeyHex, boasting.CompiledId, 4, "measured", new PurchaseProof(i.Bolt11, i.Preimage), measurement: Measured(0.6, 100))).ToList();
        var book = ReputationBook.Build(Verified.All(reviews), new Dictionary<string, string?> { [boasting.Address] = invoices.NodeId });

        var byClaim = ListingSelector.Select([boasting, modest], new SelectionCriteria { Reputation = book });
        Assert.Equal(boasting.CompiledId, byClaim.Winner!.CompiledId);
        Assert.DoesNotContain("measured", byClaim.Explanation, StringComparison.Ordinal);

        var byMeasurement = ListingSelector.Select([boasting, modest], new SelectionCriteria { Reputation = book, RankByMeasuredMinBuyers = 2 });
        Assert.Equal(modest.CompiledId, byMeasurement.Winner!.CompiledId);
        Assert.Contains("ranked by measured accuracy where at least 2 verified buyer(s) measured it", byMeasurement.Explanation, StringComparison.Ordinal);
        Assert.Equal(2, byMeasurement.Ranking.Single(r => r.Listing.CompiledId == boasting.CompiledId).MeasuredBy);

        var tooFew = ListingSelector.Select([boasting, modest], new SelectionCriteria { Reputation = book, RankByMeasuredMinBuyers = 3 });
        Assert.Equal(boasting.CompiledId, tooFew.Winner!.CompiledId);
    }

    /// <summary>Invoices all signed by one node (as a listing's invoices are), each with its preimage.</summary>
    private static (string NodeId, (string Bolt11, string Preimage)[] Invoices) SameNodeInvoices(int count, string? compiledId = null)
    {
        var nodeKey = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
        using var key = NBitcoin.Secp256k1.ECPrivKey.Create(nodeKey);
        var nodeId = Convert.ToHexString(key.CreatePubKey().ToBytes(true)).ToLowerInvariant();
        var invoices = Enumerable.Range(0, count).Select(_ =>
        {
            var preimage = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
            var bolt11 = Lightning.Bolt11.Bolt11Encoder.Encode(
                new Lightning.Bolt11.Bolt11InvoiceRequest
                {
                    Network = "regtest",
                    AmountMsat = 5000,
                    Timestamp = DateTimeOffset.UtcNow,
                    PaymentHash = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(preimage)).ToLowerInvariant(),
                    PaymentSecret = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)).ToLowerInvariant(),
                    Description = "dsrs manifest " + (compiledId ?? CompiledId),
                },
                nodeKey);
            return (bolt11, Convert.ToHexString(preimage).ToLowerInvariant());
        }).ToArray();
        return (nodeId, invoices);
    }
}
