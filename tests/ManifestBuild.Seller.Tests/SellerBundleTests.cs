using System.Net;
using ManifestBuild.Format;
using ManifestBuild.Format.Bundles;
using ManifestBuild.Format.Json;
using ManifestBuild.Lightning.Dev;
using ManifestBuild.Lightning.Payments;
using ManifestBuild.Market;
using ManifestBuild.Market.Buying;
using ManifestBuild.Market.L402;
using ManifestBuild.Market.Listings;
using ManifestBuild.Nostr;
using ManifestBuild.TestSupport;

namespace ManifestBuild.Seller.Tests;

/// <summary>A bundle sold over real HTTP on loopback: one invoice, one payment, every member with the one token.</summary>
public sealed class SellerBundleTests : IAsyncLifetime
{
    private const long BundlePrice = 30_000;
    private readonly TempDirectory root = new("seller-bundle");
    private readonly NostrKeyPair sellerKey = NostrKeyPair.Generate();
    private SellerServer server = null!;
    private DevNode seller = null!;
    private DevNode buyer = null!;
    private BundleDocument bundle = null!;
    private string outsider = string.Empty;

    public async Task InitializeAsync()
    {
        var folder = root.Combine("manifests");
        Directory.CreateDirectory(folder);
        var members = new List<string>();
        foreach (var instruction in new[] { "borrow checker", "lifetimes", "unsafe review" })
        {
            var m = SellerEndpointTests.Manifest(instruction);
            members.Add(m.GetString("compiled_id")!);
            File.WriteAllText(Path.Combine(folder, members[^1] + ".json"), JsonWriter.WriteFile(m));
        }

        var other = SellerEndpointTests.Manifest("not in the bundle");
        outsider = other.GetString("compiled_id")!;
        File.WriteAllText(Path.Combine(folder, "other.json"), JsonWriter.WriteFile(other));
        bundle = BundleDocument.Create("rust-systems", members);
        File.WriteAllText(Path.Combine(folder, "rust" + ManifestCatalog.BundleFileSuffix), bundle.ToText());
        File.WriteAllText(Path.Combine(folder, "prices.json"), $"{{\"default\": 20000, \"{bundle.BundleId}\": {BundlePrice}}}");
        seller = DevNode.Open("seller", root.Combine("devnet"));
        buyer = DevNode.Open("buyer", root.Combine("devnet"));
        server = await SellerServer.StartAsync(new SellerServerOptions { ManifestsDirectory = folder, Node = seller, Home = root.Combine("seller-home") });
    }

    public async Task DisposeAsync()
    {
        await server.DisposeAsync();
        await seller.DisposeAsync();
        await buyer.DisposeAsync();
        root.Dispose();
    }

    private BundleListing Listing()
    {
        var sold = server.Catalog.ForBundleListing(bundle.BundleId, null);
        var signed = BundleListingBuilder.BuildSigned(sold.Document, new ListingOptions { PriceMsat = sold.PriceMsat, L402Url = server.Url, NodeIdHex = seller.NodeId }, sellerKey, ["rust"]);
        Assert.True(BundleListingParser.TryParse(signed, out var listing, out var reason), reason);
        return listing!;
    }

    private AcquireOptions Buyer(string home, BuildBudget? budget = null) => new()
    {
        Home = home,
        Node = buyer,
        BuildBudget = budget,
        GuardOptions = new PaymentGuardOptions(),
    };

    [Fact]
    public async Task One_payment_unlocks_every_member_and_the_receipt_restores_each_on_a_clean_machine_without_paying()
    {
        var listing = Listing();
        Assert.Equal(server.Url.AbsoluteUri + "bundles/" + bundle.BundleId, listing.L402Url.AbsoluteUri);
        var home = root.Combine("buyer-home");
        var budget = new BuildBudget(100_000);
        var market = new MarketClient();

        var bought = await market.AcquireBundleAsync(listing, Buyer(home, budget));
        Assert.Equal(AcquireSource.Purchase, bought.Source);
        Assert.Equal(BundlePrice, bought.PricePaidMsat);
        Assert.Equal(bundle.Members, bought.Members.Select(m => m.CompiledId));
        Assert.All(bought.Members, m => Assert.Equal(m.CompiledId, CompiledId.Verify(m.Manifest.Json)));
        Assert.Single(seller.ListSettledInvoices());
        Assert.Equal(BundlePrice, budget.SpentMsat);
        Assert.Equal(PurchaseState.Delivered, PurchaseLedger.ForHome(home).Find(bought.PaymentHash!)!.State);

        // Again: every member is cached, nothing is asked, nothing paid.
        var again = await market.AcquireBundleAsync(listing, Buyer(home) with { AllowPay = false });
        Assert.Equal(AcquireSource.Cache, again.Source);

        // A clean machine in locked mode with the one receipt: each member restored, no payment.
        var receipt = Assert.Single(new ReceiptStore(home).List());
        Assert.Equal(bundle.BundleId, receipt.CompiledId);
        var ci = new RestoreOptions { Home = root.Combine("ci-home"), ExtraReceipts = ReceiptStore.Parse(ReceiptStore.ExportForEnvironment([receipt])) };
        foreach (var member in bundle.Members)
        {
            var restored = await market.RestoreBundleMemberAsync(bundle.BundleId, member, ci);
            Assert.Equal(member, restored.CompiledId);
            Assert.Equal(AcquireSource.Receipt, restored.Source);
        }

        // The whole bundle on another clean machine with the receipt: no payment either.
        var other = await market.AcquireBundleAsync(listing, Buyer(root.Combine("other-home")) with { AllowPay = false, ExtraReceipts = [receipt] });
        Assert.Equal(AcquireSource.Receipt, other.Source);
        Assert.Equal(3, other.Members.Count);
        Assert.Single(seller.ListSettledInvoices());
    }

    [Fact]
    public async Task The_bundle_token_opens_its_members_only_and_a_member_token_does_not_open_the_bundle()
    {
        using var http = new HttpClient();
        using var challenge = await http.GetAsync(Listing().L402Url);
        Assert.Equal(HttpStatusCode.PaymentRequired, challenge.StatusCode);
        var offer = L402Challenge.Parse(challenge.Headers.GetValues("WWW-Authenticate"));
        Assert.Equal(["bundle_id=" + bundle.BundleId], Macaroon.FromBase64(offer.Token).Caveats);
        Assert.Contains(bundle.BundleId, Lightning.Bolt11.Bolt11Decoder.Decode(offer.Invoice).Description, StringComparison.Ordinal);
        Assert.Equal(BundlePrice, Lightning.Bolt11.Bolt11Decoder.Decode(offer.Invoice).AmountMsat);
        var paid = await buyer.PayAsync(offer.Invoice, 0, CancellationToken.None);
        var authorization = $"L402 {offer.Token}:{paid.PreimageHex}";

        async Task<HttpStatusCode> Get(Uri url, string auth)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.TryAddWithoutValidation("Authorization", auth);
            using var response = await http.SendAsync(request);
            return response.StatusCode;
        }

        Assert.Equal(HttpStatusCode.OK, await Get(Listing().L402Url, authorization));
        foreach (var member in bundle.Members)
        {
            Assert.Equal(HttpStatusCode.OK, await Get(server.ManifestUrl(member), authorization));
        }

        Assert.Equal(HttpStatusCode.Unauthorized, await Get(server.ManifestUrl(outsider), authorization));

        // A single manifest's paid token opens that manifest, not the bundle it belongs to.
        using var single = await http.GetAsync(server.ManifestUrl(bundle.Members[0]));
        var singleOffer = L402Challenge.Parse(single.Headers.GetValues("WWW-Authenticate"));
        var singlePaid = await buyer.PayAsync(singleOffer.Invoice, 0, CancellationToken.None);
        Assert.Equal(HttpStatusCode.Unauthorized, await Get(Listing().L402Url, $"L402 {singleOffer.Token}:{singlePaid.PreimageHex}"));
    }

    [Fact]
    public void A_bundle_without_its_own_price_or_with_a_member_not_sold_is_not_sold()
    {
        var folder = root.Combine("unpriced");
        Directory.CreateDirectory(folder);
        var m = SellerEndpointTests.Manifest("alone");
        File.WriteAllText(Path.Combine(folder, "m.json"), JsonWriter.WriteFile(m));
        File.WriteAllText(Path.Combine(folder, "prices.json"), "{\"default\": 1000}");
        File.WriteAllText(Path.Combine(folder, "a" + ManifestCatalog.BundleFileSuffix), BundleDocument.Create("a", [m.GetString("compiled_id")!]).ToText());
        File.WriteAllText(Path.Combine(folder, "b" + ManifestCatalog.BundleFileSuffix), BundleDocument.Create("b", [new string('e', 64)]).ToText());
        var catalog = ManifestCatalog.Load(folder);
        Assert.Empty(catalog.Bundles);
        Assert.Single(catalog.Entries);
        Assert.Contains(catalog.Problems, p => p.Contains(SellerErrorCodes.BundleNoPrice, StringComparison.Ordinal));
        Assert.Contains(catalog.Problems, p => p.Contains(SellerErrorCodes.BundleMemberNotSold, StringComparison.Ordinal));
        var price = Assert.Throws<DsrsException>(() => server.Catalog.ForBundleListing(bundle.BundleId, 1));
        Assert.Equal(SellerErrorCodes.PriceDisagrees, price.Code);
    }
}
