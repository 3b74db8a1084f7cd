using System.Net;
using System.Security.Cryptography;
using ManifestBuild.Lightning.Dev;
using ManifestBuild.Lightning.Payments;
using ManifestBuild.Market;
using ManifestBuild.Market.Buying;
using ManifestBuild.Market.L402;
using ManifestBuild.TestSupport;

namespace ManifestBuild.Seller.Tests.Subscriptions;

/// <summary>The seller's checks of a subscription token over real HTTP: signature, line, expiry; each refusal names its code.</summary>
public sealed class SubscriptionTokenRefusalTests : IAsyncLifetime
{
    private readonly TempDirectory root = new("seller-subscription-refusals");
    private readonly HttpClient http = new();
    private SubscriptionSeller seller = null!;
    private DevNode buyer = null!;

    public async Task InitializeAsync()
    {
        seller = await SubscriptionSeller.StartAsync(root);
        buyer = DevNode.Open("buyer", root.Combine("devnet"));
    }

    public async Task DisposeAsync()
    {
        http.Dispose();
        await seller.DisposeAsync();
        await buyer.DisposeAsync();
        root.Dispose();
    }

    private async Task<(HttpStatusCode Status, string Body)> GetAsync(Uri url, Macaroon token, string preimageHex)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.TryAddWithoutValidation("Authorization", $"L402 {token.ToBase64()}:{preimageHex}");
        using var response = await http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Forged_tampered_widened_wrong_line_and_expired_tokens_are_refused_with_their_codes()
    {
        var (_, v1) = await seller.PublishVersionAsync("first version");
        var (_, other) = await seller.PublishVersionAsync("another line's version", line: "go-services");
        var held = (await new MarketClient().SubscribeAsync(seller.SubscriptionListing(), new AcquireOptions { Home = root.Combine("buyer"), Node = buyer, GuardOptions = new PaymentGuardOptions() })).Subscription;
        var token = Macaroon.FromBase64(held.Token);
        Assert.Equal(["line=" + seller.Line, "expires=" + held.ExpiresAt], token.Caveats);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(v1.L402Url!, token, held.PreimageHex)).Status);

        // Minted under another root key (forged), or its expiry rewritten without re-signing (tampered).
        var forged = SubscriptionToken.Mint(RandomNumberGenerator.GetBytes(32), held.PaymentHash, seller.Line, held.ExpiresAt + 86_400 * 365);
        var forgedAnswer = await GetAsync(v1.L402Url!, forged, held.PreimageHex);
        Assert.Equal((HttpStatusCode.Unauthorized, true), (forgedAnswer.Status, forgedAnswer.Body.Contains(MarketErrorCodes.MacaroonSignatureInvalid, StringComparison.Ordinal)));
        var tampered = new Macaroon(token.Identifier, token.Location, ["line=" + seller.Line, "expires=" + (held.ExpiresAt + 86_400 * 365)], token.Signature);
        Assert.Contains(MarketErrorCodes.MacaroonSignatureInvalid, (await GetAsync(v1.L402Url!, tampered, held.PreimageHex)).Body, StringComparison.Ordinal);

        // The right token with a wrong preimage.
        Assert.Contains(MarketErrorCodes.PreimageMismatch, (await GetAsync(v1.L402Url!, token, new string('0', 64))).Body, StringComparison.Ordinal);

        // Another line's version, and a second line caveat added by the holder: DSRS0570.
        var wrongLine = await GetAsync(other.L402Url!, token, held.PreimageHex);
        Assert.Equal((HttpStatusCode.Unauthorized, true), (wrongLine.Status, wrongLine.Body.Contains(MarketErrorCodes.SubscriptionWrongLine, StringComparison.Ordinal)));
        Assert.Contains(MarketErrorCodes.SubscriptionWrongLine, (await GetAsync(other.L402Url!, token.WithCaveat("line=go-services"), held.PreimageHex)).Body, StringComparison.Ordinal);

        // Published after the expiry: 402 DSRS0569; a later expires caveat added by the holder only narrows.
        seller.Time.Now += TimeSpan.FromDays(2);
        var (_, late) = await seller.PublishVersionAsync("published after the term");
        var expired = await GetAsync(late.L402Url!, token, held.PreimageHex);
        Assert.Equal((HttpStatusCode.PaymentRequired, true), (expired.Status, expired.Body.Contains(MarketErrorCodes.SubscriptionExpired, StringComparison.Ordinal)));
        Assert.Equal(HttpStatusCode.PaymentRequired, (await GetAsync(late.L402Url!, token.WithCaveat("expires=99999999999"), held.PreimageHex)).Status);

        // A single version's own token never opens the subscription document.
        using var single = await http.GetAsync(v1.L402Url);
        var offer = L402Challenge.Parse(single.Headers.GetValues("WWW-Authenticate"));
        var paid = await buyer.PayAsync(offer.Invoice, 0, CancellationToken.None);
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync(seller.SubscriptionListing().L402Url, Macaroon.FromBase64(offer.Token), paid.PreimageHex!)).Status);

        // Without a term the seller makes no subscription invoice.
        using var noTerm = await http.GetAsync(seller.SubscriptionListing().L402Url);
        Assert.Equal(HttpStatusCode.BadRequest, noTerm.StatusCode);
    }
}
