using ManifestBuild.Format;
using ManifestBuild.Format.Json;
using ManifestBuild.Market.Listings;
using ManifestBuild.Nostr;

namespace ManifestBuild.Market.Tests;

public sealed class ListingTests
{
    private const string NodeId = "02" + "ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12";
    private static readonly NostrKeyPair Seller = NostrKeyPair.Generate();

    [Fact]
    public void Free_listing_has_every_tag_of_section_2_and_the_whole_manifest()
    {
        var manifest = MarketSamples.Manifest();
        var id = MarketSamples.Id(manifest);
        var e = ListingBuilder.BuildSigned(manifest, new ListingOptions(), Seller);
        Assert.Equal(31990, e.Kind);
        Assert.Equal("dsrs-manifest:" + id, e.FirstTagValue("d"));
        Assert.Equal("complexity", e.FirstTagValue("k"));
        Assert.Equal(["rust", "systems"], e.TagValues("t"));
        Assert.Equal(["rust", "systems"], e.TagValues("domain"));
        Assert.Equal(id, e.FirstTagValue("x"));
        Assert.Equal("ComplexityClassificationSignature", e.FirstTagValue("name"));
        Assert.Equal("847", e.FirstTagValue("examples"));
        Assert.Equal("0.91", e.FirstTagValue("accuracy"));
        Assert.Equal("0", e.FirstTagValue("price"));
        Assert.Null(e.FirstTagValue("l402"));
        Assert.NotNull(e.FirstTagValue("alt"));
        Assert.Equal(id, CompiledId.Compute(JsonParser.ParseObject(e.Content)));

        var listing = ListingParser.Parse(Verified.Of(e));
        Assert.True(listing.IsFree);
        Assert.Equal(0.91, listing.Accuracy);
        Assert.Equal($"31990:{Seller.PublicKeyHex}:dsrs-manifest:{id}", listing.Address);
    }

    [Fact]
    public void Paid_listing_withholds_instruction_and_demos()
    {
        var manifest = MarketSamples.Manifest();
        var id = MarketSamples.Id(manifest);
        var e = ListingBuilder.BuildSigned(manifest, new ListingOptions { PriceMsat = 5000, L402Url = new Uri("https://seller.test/"), NodeIdHex = NodeId }, Seller);
        var content = JsonParser.ParseObject(e.Content);
        Assert.False(content.ContainsKey("instruction"));
        Assert.False(content.ContainsKey("demos"));
        Assert.Equal(id, content.GetString("compiled_id"));
        Assert.Equal("5000", e.FirstTagValue("price"));
        Assert.Equal("https://seller.test/manifests/" + id, e.FirstTagValue("l402"));
        Assert.Equal(NodeId, e.FirstTagValue("node"));
        var listing = ListingParser.Parse(Verified.Of(e));
        Assert.False(listing.IsFree);
        Assert.Equal(NodeId, listing.NodeIdHex);
    }

    [Theory]
    [InlineData(0L, null, null, "cannot build")]
    [InlineData(10L, "https://s.test/", null, "node id")]
    [InlineData(10L, "http://seller.example/", NodeId, "https")]
    [InlineData(-1L, null, null, "negative")]
    public void Builder_refuses_incomplete_paid_listings(long price, string? url, string? node, string fragment)
    {
        var manifest = MarketSamples.Manifest();
        if (fragment == "cannot build")
        {
            manifest.Remove("family");
            manifest.Set("compiled_id", new JsonString(CompiledId.Compute(manifest)));
        }

        var e = Assert.Throws<DsrsException>(() => ListingBuilder.Build(manifest, new ListingOptions { PriceMsat = price, L402Url = url is null ? null : new Uri(url), NodeIdHex = node }));
        Assert.Equal(MarketErrorCodes.ListingBuildFailed, e.Code);
        Assert.Contains(fragment, e.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, string> Forgeries => new()
    {
        { "d", "the d tag" },
        { "x", "x tag" },
        { "content-id", "content's compiled_id" },
        { "free-hash", "does not hash" },
        { "price", "price tag" },
        { "node", "node tag" },
        { "l402", "l402 tag" },
        { "name", "name tag" },
        { "accuracy", "accuracy tag" },
        { "signature", "verification failed" },
    };

    [Theory]
    [MemberData(nameof(Forgeries))]
    public void Parser_rejects_each_forgery_with_a_reason(string forgery, string reason)
    {
        var manifest = MarketSamples.Manifest();
        var id = MarketSamples.Id(manifest);
        var paid = forgery is "node" or "l402";
        var (tags, content) = ListingBuilder.Build(manifest, paid ? new ListingOptions { PriceMsat = 10, L402Url = new Uri("https://s.test/"), NodeIdHex = NodeId } : new ListingOptions());
        var list = tags.Select(t => t.ToArray()).ToList();
        void SetTag(string name, string value) => list.First(t => t[0] == name)[1] = value;
        switch (forgery)
        {
            case "d": SetTag("d", "dsrs-manifest:" + new string('0', 64)); break;
            case "x": SetTag("x", new string('0', 64)); break;
            case "content-id":
                var other = JsonParser.ParseObject(content);
                other.Set("compiled_id", new JsonString(new string('1', 64)));
                content = JsonWriter.Write(other, false);
                break;
            case "free-hash":
                var changed = JsonParser.ParseObject(content);
                changed.Set("instruction", new JsonString("something else"));
                content = JsonWriter.Write(changed, false);
                break;
            case "price": SetTag("price", "-5"); break;
            case "node": SetTag("node", "04" + NodeId[2..]); break;
            case "l402": SetTag("l402", "http://seller.example/x"); break;
            case "name": SetTag("name", "OtherSignature"); break;
            case "accuracy": SetTag("accuracy", "1.5"); break;
        }

        var e = Seller.Sign(31990, list, content);
        if (forgery == "signature")
        {
            // Id and signature are the verifier's check where the event enters (the relay pool, a file,
            // the CLI): the type keeps an event that fails it away from the parser altogether.
            e = e with { Content = e.Content + " " };
            Assert.False(NostrEventVerifier.TryVerify(e, out var none, out var verification));
            Assert.Null(none);
            Assert.NotEqual(EventVerification.Valid, verification);
            Assert.Contains(reason, "event verification failed: " + verification, StringComparison.Ordinal);
            return;
        }

        Assert.False(ListingParser.TryParse(Verified.Of(e), out _, out var why));
        Assert.Contains(reason, why, StringComparison.Ordinal);
        _ = id;
    }

    [Fact]
    public void ParseAll_dedupes_refilters_and_keeps_the_newest_per_seller_and_signature()
    {
        var older = ListingBuilder.BuildSigned(MarketSamples.Manifest(accuracy: 0.80), new ListingOptions { CreatedAt = 1000 }, Seller);
        var newer = ListingBuilder.BuildSigned(MarketSamples.Manifest(accuracy: 0.90), new ListingOptions { CreatedAt = 2000 }, Seller);
        var otherFamily = ListingBuilder.BuildSigned(MarketSamples.Manifest(family: "planning"), new ListingOptions(), NostrKeyPair.Generate());
        var set = ListingParser.ParseAll(Verified.All([older, newer, newer, otherFamily]), new ListingQuery { Family = "complexity", Domains = ["rust"] });
        var kept = Assert.Single(set.Accepted);
        Assert.Equal(newer.Id, kept.Event.Id);
        Assert.Contains(set.Rejected, r => r.EventId == older.Id && r.Reason.Contains("superseded", StringComparison.Ordinal));
        Assert.Contains(set.Rejected, r => r.EventId == otherFamily.Id && r.Reason.Contains("family", StringComparison.Ordinal));
        Assert.Equal(2, set.Rejected.Count);
    }

    [Fact]
    public void Query_filter_uses_single_letter_tags()
    {
        var filter = new ListingQuery { Family = "complexity", Domains = ["Rust"], CompiledId = new string('a', 64) }.ToFilter();
        Assert.Equal([31990], filter.Kinds);
        Assert.Equal(["complexity"], filter.Tags["k"]);
        Assert.Equal(["rust"], filter.Tags["t"]);
        Assert.Equal([new string('a', 64)], filter.Tags["x"]);
    }
}
