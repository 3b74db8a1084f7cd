using System.Net;
using System.Text;
using ManifestBuild.Format;
using ManifestBuild.Format.Json;
using ManifestBuild.Lightning.Dev;
using ManifestBuild.Lightning.Nodes;
using ManifestBuild.Lightning.Payments;
using ManifestBuild.Market.Buying;
using ManifestBuild.Market.L402;
using ManifestBuild.Market.Listings;
using ManifestBuild.Market.Reviews;
using ManifestBuild.Nostr;
using ManifestBuild.TestSupport;

namespace ManifestBuild.Market.Tests;

/// <summary>Sellers that cheat: the buyer must pay nothing, or pay once and prove the fraud.</summary>
public sealed class BuyerAbuseTests : IDisposable
{
    private const long Price = 3000;
    private readonly TempDirectory root = new("market-abuse");
    private readonly DevNode seller;
    private readonly DevNode buyer;
    private readonly NostrKeyPair sellerKey = NostrKeyPair.Generate();
    private readonly JsonObject manifest = MarketSamples.Manifest(instruction: "the real one");
    private readonly Listing listing;

    public BuyerAbuseTests()
    {
        seller = DevNode.Open("seller", root.Combine("devnet"));
        buyer = DevNode.Open("buyer", root.Combine("devnet"));
        listing = ListingParser.Parse(Verified.Of(ListingBuilder.BuildSigned(manifest, new ListingOptions { PriceMsat = Price, L402Url = new Uri("https://rogue.test/"), NodeIdHex = seller.NodeId }, sellerKey)));
    }

    private string Id => listing.CompiledId;

    private string Home => root.Combine("buyer-home");

    public static TheoryData<string, string> Cheats => new()
    {
        { "overpriced", PaymentErrorCodes.AmountMismatch },
        { "other-node", PaymentErrorCodes.WrongPayee },
        { "expired", PaymentErrorCodes.Expired },
        { "no-compiled-id", PaymentErrorCodes.DescriptionWithoutCompiledId },
    };

    [Theory]
    [MemberData(nameof(Cheats))]
    public async Task Invoices_that_break_a_check_are_refused_before_paying(string cheat, string code)
    {
        var invoiceNode = cheat switch
        {
            "other-node" => DevNode.Open("mallory", root.Combine("devnet")),
            "expired" => DevNode.Open("seller", root.Combine("devnet"), new ShiftedTime(TimeSpan.FromHours(-2))),
            _ => seller,
        };
        var amount = cheat == "overpriced" ? Price * 2 : Price;
        var description = cheat == "no-compiled-id" ? "dsrs manifest" : "dsrs manifest " + Id;
        var invoice = await invoiceNode.CreateInvoiceAsync(amount, description, TimeSpan.FromMinutes(10), CancellationToken.None);
        var rogue = new RogueSeller(invoice, Id, _ => JsonWriter.WriteFile(manifest));
        var client = new MarketClient(new HttpClient(rogue));

        var e = await Assert.ThrowsAsync<DsrsException>(() => client.AcquireAsync(listing, new AcquireOptions { Home = Home, Node = buyer }));
        Assert.Equal(code, e.Code);
        Assert.Equal(0, buyer.CountPaymentAttempts(invoice.PaymentHashHex));
        Assert.Empty(seller.ListSettledInvoices());
        Assert.Equal(0, rogue.CredentialRequests);
    }

    [Fact]
    public async Task Price_over_the_item_cap_or_budget_pays_nothing()
    {
        var invoice = await seller.CreateInvoiceAsync(Price, "dsrs manifest " + Id, TimeSpan.FromMinutes(10), CancellationToken.None);
        var client = new MarketClient(new HttpClient(new RogueSeller(invoice, Id, _ => JsonWriter.WriteFile(manifest))));
        var overCap = await Assert.ThrowsAsync<DsrsException>(() => client.AcquireAsync(listing, new AcquireOptions { Home = Home, Node = buyer, ItemMaxPriceMsat = Price - 1 }));
        Assert.Equal(PaymentErrorCodes.OverItemCap, overCap.Code);
        var overBudget = await Assert.ThrowsAsync<DsrsException>(() => client.AcquireAsync(listing, new AcquireOptions { Home = Home, Node = buyer, BuildBudget = new BuildBudget(Price - 1) }));
        Assert.Equal(PaymentErrorCodes.OverBudget, overBudget.Code);
        var noPay = await Assert.ThrowsAsync<DsrsException>(() => client.AcquireAsync(listing, new AcquireOptions { Home = Home, Node = buyer, AllowPay = false }));
        Assert.Equal(MarketErrorCodes.PaymentNotAllowed, noPay.Code);
        Assert.Equal(0, buyer.CountPaymentAttempts(invoice.PaymentHashHex));
    }

    [Fact]
    public async Task Wrong_content_is_refused_recorded_as_fraud_and_provable_in_a_review()
    {
        var invoice = await seller.CreateInvoiceAsync(Price, "dsrs manifest " + Id, TimeSpan.FromMinutes(10), CancellationToken.None);
        var other = MarketSamples.Manifest(instruction: "a cheaper imitation");
        var client = new MarketClient(new HttpClient(new RogueSeller(invoice, Id, _ => JsonWriter.WriteFile(other))));

        var e = await Assert.ThrowsAsync<ContentMismatchException>(() => client.AcquireAsync(listing, new AcquireOptions { Home = Home, Node = buyer }));
        Assert.Equal(MarketErrorCodes.ContentMismatch, e.Code);
        Assert.Equal(1, buyer.CountPaymentAttempts(invoice.PaymentHashHex));
        var record = PurchaseLedger.ForHome(Home).Find(invoice.PaymentHashHex)!;
        Assert.True(record.Fraud);
        Assert.False(new ManifestBuild.Format.Caching.ManifestCache(Home).TryGet(Id, out _));

        // The review carries the purchase proof; anyone can check it against the listing's node.
        var review = ReviewComposer.Compose(NostrKeyPair.Generate(), sellerKey.PublicKeyHex, Id, 5, null, Home);
        Assert.True(ReviewParser.TryParse(Verified.Of(review), seller.NodeId, out var parsed, out var reason), reason);
        Assert.True(parsed!.IsVerified);
        Assert.Equal(1, parsed.Rating);
        Assert.Equal(e.Evidence.DeliveredSha256, parsed.FraudDeliveredSha256);
        var fromEvidence = ReviewComposer.ComposeFraud(NostrKeyPair.Generate(), e.Evidence);
        Assert.True(ReviewParser.TryParse(Verified.Of(fromEvidence), seller.NodeId, out _, out _));

        // Trying again never pays a second time: the fraudulent purchase is not a receipt, and the
        // guard keeps the manifest's payment.
        await Assert.ThrowsAnyAsync<DsrsException>(() => client.AcquireAsync(listing, new AcquireOptions { Home = Home, Node = buyer }));
        Assert.Single(seller.ListSettledInvoices());
    }

    [Fact]
    public async Task A_seller_that_gives_garbage_instead_of_a_challenge_is_a_protocol_violation()
    {
        var handler = new FixedResponse(HttpStatusCode.PaymentRequired, "WWW-Authenticate", "Basic realm=\"x\"");
        var client = new MarketClient(new HttpClient(handler));
        var e = await Assert.ThrowsAsync<DsrsException>(() => client.AcquireAsync(listing, new AcquireOptions { Home = Home, Node = buyer }));
        Assert.Equal(MarketErrorCodes.SellerProtocolViolation, e.Code);
    }

    public void Dispose() => root.Dispose();

    private sealed class ShiftedTime(TimeSpan shift) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + shift;
    }

    /// <summary>An L402 seller over an in-memory handler: answers with the given invoice, then with whatever content it likes.</summary>
    private sealed class RogueSeller(CreatedInvoice invoice, string compiledId, Func<string, string> deliver) : HttpMessageHandler
    {
        private readonly byte[] rootKey = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);

        public int CredentialRequests { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Headers.Authorization is null)
            {
                var token = L402Token.Mint(rootKey, invoice.PaymentHashHex, compiledId).ToBase64();
                var challenge = new HttpResponseMessage(HttpStatusCode.PaymentRequired) { Content = new StringContent("{}") };
                challenge.Headers.TryAddWithoutValidation("WWW-Authenticate", new L402Challenge(token, invoice.Bolt11).ToHeaderValue());
                return Task.FromResult(challenge);
            }

            CredentialRequests++;
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(deliver(compiledId), Encoding.UTF8, "application/json") });
        }
    }

    private sealed class FixedResponse(HttpStatusCode status, string header, string value) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = new HttpResponseMessage(status) { Content = new StringContent("no") };
            response.Headers.TryAddWithoutValidation(header, value);
            return Task.FromResult(response);
        }
    }
}
