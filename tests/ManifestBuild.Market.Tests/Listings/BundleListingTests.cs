using ManifestBuild.Format;
using ManifestBuild.Format.Bundles;
using ManifestBuild.Market.Buying;
using ManifestBuild.Market.L402;
using ManifestBuild.Market.Listings;
using ManifestBuild.Market.Selection;
using ManifestBuild.Nostr;

namespace ManifestBuild.Market.Tests.Listings;

public sealed class BundleListingTests
{
    private const string NodeId = "02" + "ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12";
    private static readonly NostrKeyPair Seller = NostrKeyPair.Generate();
    private static readonly string A = new('a', 64);
    private static readonly string B = new('b', 64);
    private static readonly string C = new('c', 64);
    private static readonly BundleDocument Rust = BundleDocument.Create("rust-systems", [A, B, C]);

    private static NostrEvent Signed(BundleDocument bundle, long price, NostrKeyPair? seller = null, long? createdAt = null) =>
        BundleListingBuilder.BuildSigned(bundle, new ListingOptions { PriceMsat = price, L402Url = new Uri("https://seller.example/"), NodeIdHex = NodeId, CreatedAt = createdAt }, seller ?? Seller, ["rust"]);

    [Fact]
    public void A_bundle_listing_has_its_own_d_tag_an_x_tag_per_member_one_price_and_the_document_as_content()
    {
        var e = Signed(Rust, 30_000);
        Assert.Equal(31990, e.Kind);
        Assert.Equal("dsrs-bundle:" + Rust.BundleId, e.FirstTagValue("d"));
        Assert.Equal("dsrs-bundle", e.FirstTagValue("k"));
        Assert.Equal([A, B, C], e.TagValues("x"));
        Assert.Equal("30000", e.FirstTagValue("price"));
        Assert.Equal("https://seller.example/bundles/" + Rust.BundleId, e.FirstTagValue("l402"));
        Assert.Equal(Rust.BundleId, BundleDocument.Parse(e.Content).BundleId);

        Assert.True(BundleListingParser.TryParse(e, out var listing, out var reason), reason);
        Assert.Equal(Rust.Members, listing!.Members);
        Assert.Equal(new Uri("https://seller.example/manifests/" + B), listing.MemberUrl(B));
        Assert.Equal($"31990:{Seller.PublicKeyHex}:dsrs-bundle:{Rust.BundleId}", listing.Address);

        // A manifest search never takes a bundle listing for a manifest's, nor reports it as a bad one.
        var set = ListingParser.ParseAll([NostrEventVerifier.EnsureVerified(e)]);
        Assert.Empty(set.Accepted);
        Assert.Empty(set.Rejected);
        Assert.Equal(MarketErrorCodes.BundleListingBuildFailed, Assert.Throws<DsrsException>(() => Signed(Rust, 0)).Code);
    }

    [Fact]
    public void A_manifest_search_neither_takes_nor_reports_a_subscription_listing()
    {
        var e = SubscriptionListingBuilder.BuildSigned("rust-systems", 7 * 86_400, new ListingOptions { PriceMsat = 10_000, L402Url = new Uri("https://seller.example/"), NodeIdHex = NodeId }, Seller);
        Assert.True(SubscriptionListingParser.TryParse(NostrEventVerifier.EnsureVerified(e), out _, out var reason), reason);

        var set = ListingParser.ParseAll([NostrEventVerifier.EnsureVerified(e)]);

        Assert.Empty(set.Accepted);
        Assert.Empty(set.Rejected);
    }

    [Fact]
    public void Tampered_bundle_listings_are_rejected_with_the_reason()
    {
        static string Reason(NostrEvent e) => BundleListingParser.TryParse(e, out _, out var why) ? "accepted" : why;
        var good = Signed(Rust, 30_000);
        NostrEvent Resign(Func<IReadOnlyList<IReadOnlyList<string>>, IEnumerable<IReadOnlyList<string>>> tags, string? content = null) =>
            Seller.Sign(good.Kind, tags(good.Tags).ToList(), content ?? good.Content, good.CreatedAt);

        Assert.Contains("x tags", Reason(Resign(t => t.Where(tag => !(tag[0] == "x" && tag[1] == C)))));
        Assert.Contains("x tags", Reason(Resign(t => t.Append(["x", new string('d', 64)]))));
        Assert.Contains("bundle_id is not the d tag", Reason(Resign(t => t, BundleDocument.Create("rust-systems", [A, B]).ToText())));
        Assert.Contains("price", Reason(Resign(t => t.Select(tag => tag[0] == "price" ? (IReadOnlyList<string>)["price", "0"] : tag))));
        Assert.Contains("/bundles/", Reason(Resign(t => t.Select(tag => tag[0] == "l402" ? (IReadOnlyList<string>)["l402", "https://seller.example/manifests/" + A] : tag))));
        var forged = good with { Content = BundleDocument.Create("rust-systems", [A]).ToText() };
        Assert.Contains("verification", Reason(forged));
    }

    [Fact]
    public void Selection_takes_the_cheapest_per_member_then_explains_every_other()
    {
        var other = NostrKeyPair.Generate();
        var small = BundleDocument.Create("rust-systems", [A]);
        var listings = BundleListingParser.ParseAll([Signed(Rust, 30_000), Signed(small, 20_000, other), Signed(BundleDocument.Create("go", [A]), 1)]).Accepted;
        var selection = BundleSelector.Select(listings, new BundleCriteria { Name = "rust-systems", MaxPriceMsat = 50_000 });
        Assert.Equal(Rust.BundleId, selection.Winner!.BundleId);
        Assert.Contains("10000 msat per manifest, one payment for all 3", selection.Explanation, StringComparison.Ordinal);
        Assert.Contains("not bundle rust-systems (1 manifests, 20000 msat)", selection.Explanation, StringComparison.Ordinal);
        Assert.Contains("its name is go, not rust-systems", selection.Explanation, StringComparison.Ordinal);

        var capped = BundleSelector.Select(listings, new BundleCriteria { Name = "rust-systems", MaxPriceMsat = 25_000 });
        Assert.Equal(small.BundleId, capped.Winner!.BundleId);
        Assert.Null(BundleSelector.Select(listings, new BundleCriteria { BundleId = C }).Winner);
    }

    [Fact]
    public void A_bundle_token_grants_what_the_sellers_catalog_says_and_nothing_else()
    {
        var root = new byte[32];
        var preimage = new byte[32];
        preimage[0] = 7;
        var hash = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(preimage)).ToLowerInvariant();
        var token = L402Token.MintForBundle(root, hash, Rust.BundleId);
        var credential = L402Credential.From(token.ToBase64(), Convert.ToHexString(preimage).ToLowerInvariant());
        bool Grants(string bundleId, string id) => bundleId == Rust.BundleId && (id == Rust.BundleId || Rust.Members.Contains(id));

        Assert.Equal(hash, L402Token.Verify(root, credential, B, b => Grants(b, B)).PaymentHashHex);
        Assert.Equal(MarketErrorCodes.BundleDoesNotGrant, Assert.Throws<DsrsException>(() => L402Token.Verify(root, credential, new string('e', 64), b => Grants(b, new string('e', 64)))).Code);
        Assert.Equal(MarketErrorCodes.BundleDoesNotGrant, Assert.Throws<DsrsException>(() => L402Token.Verify(root, credential, B)).Code);

        // A manifest's caveat added to a bundle token narrows it: it opens that member only.
        var narrowed = L402Credential.From(token.WithCaveat("compiled_id=" + A).ToBase64(), Convert.ToHexString(preimage).ToLowerInvariant());
        L402Token.Verify(root, narrowed, A, b => Grants(b, A));
        Assert.Equal(MarketErrorCodes.TokenCaveatMismatch, Assert.Throws<DsrsException>(() => L402Token.Verify(root, narrowed, B, b => Grants(b, B))).Code);
    }
}
