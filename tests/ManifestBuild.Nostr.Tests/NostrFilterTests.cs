namespace ManifestBuild.Nostr.Tests;

public class NostrFilterTests
{
    private static readonly NostrKeyPair Key = NostrKeyPair.Generate();
    private static readonly NostrEvent Listing = Key.Sign(31990, [["d", "dsrs-manifest:1"], ["k", "complexity"], ["t", "rust"], ["t", "systems"], ["domain", "rust"]], "{}", 1000);

    [Fact]
    public void EmptyFilterMatchesEverything() => Assert.True(new NostrFilter().Matches(Listing));

    [Fact]
    public void EachConditionIsApplied()
    {
        Assert.True(new NostrFilter { Ids = [Listing.Id] }.Matches(Listing));
        Assert.False(new NostrFilter { Ids = [new string('0', 64)] }.Matches(Listing));
        Assert.False(new NostrFilter { Ids = [] }.Matches(Listing)); // an empty list matches nothing
        Assert.True(new NostrFilter { Authors = [new string('0', 64), Key.PublicKeyHex] }.Matches(Listing));
        Assert.False(new NostrFilter { Authors = [new string('0', 64)] }.Matches(Listing));
        Assert.True(new NostrFilter { Kinds = [1, 31990] }.Matches(Listing));
        Assert.False(new NostrFilter { Kinds = [1] }.Matches(Listing));
        Assert.True(new NostrFilter { Since = 1000, Until = 1000 }.Matches(Listing)); // both inclusive
        Assert.False(new NostrFilter { Since = 1001 }.Matches(Listing));
        Assert.False(new NostrFilter { Until = 999 }.Matches(Listing));
        Assert.True(new NostrFilter { Limit = 0 }.Matches(Listing)); // limit does not affect matching
    }

    [Fact]
    public void TagFiltersAreOrWithinAndAndAcross()
    {
        Assert.True(new NostrFilter().WithTag("t", "go", "systems").Matches(Listing));
        Assert.False(new NostrFilter().WithTag("t", "go").Matches(Listing));
        Assert.True(new NostrFilter().WithTag("t", "rust").WithTag("k", "complexity").Matches(Listing));
        Assert.False(new NostrFilter().WithTag("t", "rust").WithTag("k", "planning").Matches(Listing));
        Assert.True(new NostrFilter().WithTag("#d", "dsrs-manifest:1").Matches(Listing));
        Assert.False(new NostrFilter().WithTag("x", "anything").Matches(Listing));

        // Multi-letter tag filters, which relays ignore, are still enforced on the client.
        Assert.True(new NostrFilter().WithTag("domain", "rust").Matches(Listing));
        Assert.False(new NostrFilter().WithTag("domain", "go").Matches(Listing));
    }

    [Fact]
    public void MatchesAnyIsTheUnionOfFilters()
    {
        NostrFilter[] filters = [new NostrFilter { Kinds = [1] }, new NostrFilter { Authors = [Key.PublicKeyHex] }];
        Assert.True(NostrFilter.MatchesAny(filters, Listing));
        Assert.False(NostrFilter.MatchesAny([new NostrFilter { Kinds = [1] }], Listing));
    }
}
