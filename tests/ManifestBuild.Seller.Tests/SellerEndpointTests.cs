using System.Net;
using System.Security.Cryptography;
using ManifestBuild.Format;
using ManifestBuild.Format.Json;
using ManifestBuild.Lightning.Bolt11;
using ManifestBuild.Lightning.Dev;
using ManifestBuild.Lightning.Payments;
using ManifestBuild.Market.L402;
using ManifestBuild.TestSupport;

namespace ManifestBuild.Seller.Tests;

/// <summary>The L402 endpoint over real HTTP on loopback, with a dev seller node and a dev buyer node.</summary>
public sealed class SellerEndpointTests : IAsyncLifetime
{
    private const long Price = 2500;
    private readonly TempDirectory root = new("seller-endpoint");
    private readonly HttpClient http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private SellerServer server = null!;
    private DevNode buyer = null!;
    private string id = string.Empty;
    private string otherId = string.Empty;

    internal static JsonObject Manifest(string instruction)
    {
        var m = new JsonObject()
            .Add("signature_name", "SellerTestSignature")
            .Add("family", "complexity")
            .Add("instruction", instruction)
            .Add("demos", new JsonArray());
        m.Add("compiled_id", CompiledId.Compute(m));
        return m;
    }

    public async Task InitializeAsync()
    {
        var manifests = root.Combine("manifests");
        Directory.CreateDirectory(manifests);
        var first = Manifest("the one");
        var second = Manifest("the other");
        id = first.GetString("compiled_id")!;
        otherId = second.GetString("compiled_id")!;
        File.WriteAllText(Path.Combine(manifests, "a.json"), JsonWriter.WriteFile(first));
        File.WriteAllText(Path.Combine(manifests, "b.json"), JsonWriter.WriteFile(second));
        File.WriteAllText(Path.Combine(manifests, "broken.json"), "{\"signature_name\":\"X\",\"compiled_id\":\"" + new string('0', 64) + "\"}");
        File.WriteAllText(Path.Combine(manifests, "prices.json"), $"{{\"{otherId}\": 9000}}");
        var seller = DevNode.Open("seller", root.Combine("devnet"));
        buyer = DevNode.Open("buyer", root.Combine("devnet"));
        server = await SellerServer.StartAsync(new SellerServerOptions { ManifestsDirectory = manifests, Node = seller, Home = root.Combine("home"), DefaultPriceMsat = Price, RateLimitPerWindow = 200 });
    }

    public async Task DisposeAsync()
    {
        await server.DisposeAsync();
        http.Dispose();
        root.Dispose();
    }

    private async Task<(L402Challenge Challenge, string Preimage)> BuyAsync(string compiledId)
    {
        using var response = await http.GetAsync(server.ManifestUrl(compiledId));
        Assert.Equal(HttpStatusCode.PaymentRequired, response.StatusCode);
        var challenge = L402Challenge.Parse(response.Headers.GetValues("WWW-Authenticate"));
        var paid = await buyer.PayAsync(challenge.Invoice, 0, CancellationToken.None);
        return (challenge, paid.PreimageHex!);
    }

    private async Task<(HttpStatusCode Status, string Body)> GetAsync(string compiledId, string? authorization)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, server.ManifestUrl(compiledId));
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        using var response = await http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Challenge_carries_an_invoice_for_the_price_naming_the_compiled_id_and_a_committed_token()
    {
        using var response = await http.GetAsync(server.ManifestUrl(otherId));
        Assert.Equal(HttpStatusCode.PaymentRequired, response.StatusCode);
        var headers = response.Headers.GetValues("WWW-Authenticate").ToList();
        Assert.Equal(2, headers.Count);
        Assert.StartsWith("L402 version=\"0\", token=\"", headers[0], StringComparison.Ordinal);
        Assert.StartsWith("LSAT macaroon=\"", headers[1], StringComparison.Ordinal);
        var challenge = L402Challenge.Parse(headers[0]);
        Assert.Equal(challenge with { OfferedScheme = L402Challenge.LegacyScheme }, L402Challenge.Parse(headers[1]) with { Version = "0" });
        var invoice = Bolt11Decoder.Decode(challenge.Invoice);
        Assert.Equal(9000, invoice.AmountMsat);
        Assert.Contains(otherId, invoice.Description, StringComparison.Ordinal);
        var token = Macaroon.FromBase64(challenge.Token);
        Assert.Equal(invoice.PaymentHash, L402Identifier.Decode(token.Identifier).PaymentHashHex);
        Assert.Equal(["compiled_id=" + otherId], token.Caveats);
        Assert.Equal(2, server.Catalog.Entries.Count);
        Assert.Single(server.Catalog.Problems);
    }

    [Fact]
    public async Task Valid_credential_gets_the_whole_manifest_again_and_again()
    {
        var (challenge, preimage) = await BuyAsync(id);
        var authorization = $"L402 {challenge.Token}:{preimage}";
        for (var i = 0; i < 3; i++)
        {
            var (status, body) = await GetAsync(id, authorization);
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal(id, CompiledId.Verify(JsonParser.ParseObject(body)));
            Assert.Equal("the one", JsonParser.ParseObject(body).GetString("instruction"));
        }

        Assert.Equal(HttpStatusCode.OK, (await GetAsync(id, $"LSAT {challenge.Token}:{preimage}")).Status);
    }

    [Fact]
    public async Task Every_bad_credential_is_a_401_with_a_reason_never_a_500()
    {
        var (challenge, preimage) = await BuyAsync(id);
        var token = Macaroon.FromBase64(challenge.Token);
        var forged = Macaroon.Mint(RandomNumberGenerator.GetBytes(32), token.Identifier, null, token.Caveats).ToBase64();
        var altered = new Macaroon(token.Identifier, null, ["compiled_id=" + otherId], token.Signature).ToBase64();
        var cases = new (string Compiled, string Header, string Reason)[]
        {
            (otherId, $"L402 {challenge.Token}:{preimage}", MarketErrorCodesForTests.TokenCaveatMismatch),
            (id, $"L402 {challenge.Token}:{Convert.ToHexString(RandomNumberGenerator.GetBytes(32))}", MarketErrorCodesForTests.PreimageMismatch),
            (id, $"L402 {forged}:{preimage}", MarketErrorCodesForTests.MacaroonSignatureInvalid),
            (otherId, $"L402 {altered}:{preimage}", MarketErrorCodesForTests.MacaroonSignatureInvalid),
            (id, "L402 not-a-token", MarketErrorCodesForTests.MalformedL402Header),
            (id, "Bearer abc", MarketErrorCodesForTests.MalformedL402Header),
            (id, $"L402 AAAA{challenge.Token}:{preimage}", MarketErrorCodesForTests.MalformedMacaroon),
            (id, "L402 " + new string('A', 2000) + ":" + preimage, MarketErrorCodesForTests.MalformedMacaroon),
        };
        foreach (var (compiled, header, reason) in cases)
        {
            var (status, body) = await GetAsync(compiled, header);
            Assert.True(status == HttpStatusCode.Unauthorized, $"{header[..Math.Min(40, header.Length)]} -> {status}: {body}");
            Assert.Contains(reason, JsonParser.ParseObject(body).GetString("error"), StringComparison.Ordinal);
            Assert.DoesNotContain(preimage, body, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task Health_unknown_ids_methods_and_bodies_are_answered_plainly()
    {
        using var health = await http.GetAsync(new Uri(server.Url, "health"));
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(2, ((JsonNumber)JsonParser.ParseObject(await health.Content.ReadAsStringAsync())["manifests"]!).Value);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(new string('f', 64), null)).Status);
        using var badId = await http.GetAsync(new Uri(server.Url, "manifests/../../etc/passwd"));
        Assert.True(badId.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.NotFound);
        using var post = await http.PostAsync(server.ManifestUrl(id), new StringContent("x"));
        Assert.True(post.StatusCode is HttpStatusCode.MethodNotAllowed or HttpStatusCode.RequestEntityTooLarge);
        using var huge = new HttpRequestMessage(HttpMethod.Get, server.ManifestUrl(id));
        huge.Headers.TryAddWithoutValidation("X-Padding", new string('a', 64 * 1024));
        using var hugeResponse = await http.SendAsync(huge);
        Assert.Equal(HttpStatusCode.RequestHeaderFieldsTooLarge, hugeResponse.StatusCode);
    }

    [Fact]
    public async Task Rate_limit_answers_429_beyond_the_window()
    {
        await using var limited = await SellerServer.StartAsync(new SellerServerOptions { ManifestsDirectory = root.Combine("manifests"), Node = DevNode.Open("seller2", root.Combine("devnet")), Home = root.Combine("home2"), RateLimitPerWindow = 3, RateLimitWindow = TimeSpan.FromHours(1) });
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            using var response = await http.GetAsync(new Uri(limited.Url, "health"));
            statuses.Add(response.StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, (HttpStatusCode)429, (HttpStatusCode)429], statuses);
    }
}

/// <summary>The market's codes as the seller reports them (kept literal so a renumbering fails here).</summary>
internal static class MarketErrorCodesForTests
{
    public const string MalformedMacaroon = "DSRS0500";
    public const string MacaroonSignatureInvalid = "DSRS0501";
    public const string TokenCaveatMismatch = "DSRS0503";
    public const string PreimageMismatch = "DSRS0504";
    public const string MalformedL402Header = "DSRS0505";
}
