using ManifestBuild.Format;
using ManifestBuild.Market.Listings;
using ManifestBuild.Market.Reviews;
using ManifestBuild.Market.Selection;
using ManifestBuild.Nostr;

namespace ManifestBuild.Market.Tests;

public sealed class SelectionTests
{
    private static Listing Make(double accuracy, long examples, long createdAt, NostrKeyPair? seller = null, long price = 0, string instruction = "i")
    {
        var manifest = MarketSamples.Manifest(instruction: instruction, accuracy: accuracy, examples: examples);
        var options = price == 0
            ? new ListingOptions { CreatedAt = createdAt }
            : new ListingOptions { CreatedAt = createdAt, PriceMsat = price, L402Url = new Uri("https://s.test/"), NodeIdHex = "03" + new string('1', 64) };
        return ListingParser.Parse(Verified.Of(ListingBuilder.BuildSigned(manifest, options, seller ?? NostrKeyPair.Generate())));
    }

    [Fact]
    public void Accuracy_then_examples_then_recency_then_id_decide()
    {
        var best = Make(0.95, 100, 10);
        var moreExamples = Make(0.90, 900, 10, instruction: "a");
        var fewerExamples = Make(0.90, 100, 10, instruction: "b");
        var result = ListingSelector.Select([fewerExamples, best, moreExamples], new SelectionCriteria());
        Assert.Equal(best.Event.Id, result.Winner!.Event.Id);
        Assert.Equal([best.CompiledId, moreExamples.CompiledId, fewerExamples.CompiledId], result.Ranking.Select(r => r.Listing.CompiledId));
        Assert.Contains("accuracy (0.95 > 0.9)", result.Explanation, StringComparison.Ordinal);

        var newer = Make(0.90, 100, 20, instruction: "c");
        Assert.Contains("recency", ListingSelector.Select([fewerExamples, newer], new SelectionCriteria()).Explanation, StringComparison.Ordinal);
        Assert.Equal(newer.CompiledId, ListingSelector.Select([fewerExamples, newer], new SelectionCriteria()).Winner!.CompiledId);

        var twinA = Make(0.90, 100, 10, instruction: "d");
        var twinB = Make(0.90, 100, 10, instruction: "e");
        var lower = string.CompareOrdinal(twinA.CompiledId, twinB.CompiledId) < 0 ? twinA : twinB;
        var tie = ListingSelector.Select([twinA, twinB], new SelectionCriteria());
        Assert.Equal(lower.CompiledId, tie.Winner!.CompiledId);
        Assert.Equal(lower.CompiledId, ListingSelector.Select([twinB, twinA], new SelectionCriteria()).Winner!.CompiledId);
        Assert.Contains("tie-break", tie.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Filters_come_first_and_are_explained()
    {
        var cheap = Make(0.86, 100, 10, price: 1000, instruction: "x");
        var pricey = Make(0.99, 100, 10, price: 200_000, instruction: "y");
        var weak = Make(0.70, 100, 10, instruction: "z");
        var result = ListingSelector.Select([cheap, pricey, weak], new SelectionCriteria { Filters = new ListingQuery { MinAccuracy = 0.85, MaxPriceMsat = 100_000 } });
        Assert.Equal(cheap.CompiledId, result.Winner!.CompiledId);
        Assert.Equal(2, result.FilteredOut.Count);
        Assert.Contains("1 over the max price", result.Explanation, StringComparison.Ordinal);
        Assert.Contains("1 below the min accuracy", result.Explanation, StringComparison.Ordinal);

        var none = Assert.Throws<DsrsException>(() => ListingSelector.SelectOrThrow([weak], new SelectionCriteria { Filters = new ListingQuery { MinAccuracy = 0.9 } }));
        Assert.Equal(MarketErrorCodes.NoListingSelected, none.Code);
    }

    [Fact]
    public void Verified_reputation_outranks_accuracy()
    {
        var trusted = NostrKeyPair.Generate();
        var reputable = Make(0.80, 100, 10, trusted, instruction: "r");
        var accurate = Make(0.95, 100, 10, instruction: "s");
        var book = ReputationTests.BookWithVerifiedReviews(trusted.PublicKeyHex, reputable.CompiledId, 5, count: 2);
        var result = ListingSelector.Select([accurate, reputable], new SelectionCriteria { Reputation = book });
        Assert.Equal(reputable.CompiledId, result.Winner!.CompiledId);
        Assert.Contains("verified reputation", result.Explanation, StringComparison.Ordinal);
        Assert.Contains("2 verified reviews", result.Explanation, StringComparison.Ordinal);
    }
}
