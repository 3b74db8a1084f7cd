using System.Security.Cryptography;
using ManifestBuild.Format;
using ManifestBuild.Market.L402;

namespace ManifestBuild.Market.Tests;

public sealed class L402HeaderTests
{
    [Fact]
    public void Challenge_round_trips_and_accepts_the_older_forms()
    {
        var header = new L402Challenge("AgEC", "lnbcrt10n1abc").ToHeaderValue();
        Assert.Equal("L402 version=\"0\", token=\"AgEC\", invoice=\"lnbcrt10n1abc\"", header);
        var parsed = L402Challenge.Parse(header);
        Assert.Equal(("AgEC", "lnbcrt10n1abc", "0"), (parsed.Token, parsed.Invoice, parsed.Version));

        var lsat = L402Challenge.Parse("LSAT macaroon=\"AgEC\", invoice=\"lnbcrt1\"");
        Assert.Equal(("AgEC", "lnbcrt1"), (lsat.Token, lsat.Invoice));

        var several = L402Challenge.Parse(["Basic realm=\"x\"", "L402 token=\"T\",invoice=\"I\""]);
        Assert.Equal("T", several.Token);
    }

    [Fact]
    public void A_seller_challenge_is_read_by_both_generations_and_joined_headers_parse()
    {
        var sent = new L402Challenge("AgEC+/==", "lnbcrt10n1abc").ToHeaderValues();
        Assert.Equal(["L402 version=\"0\", token=\"AgEC+/==\", macaroon=\"AgEC+/==\", invoice=\"lnbcrt10n1abc\"", "LSAT macaroon=\"AgEC+/==\", invoice=\"lnbcrt10n1abc\""], sent);

        // Each header alone, both in either order, and both joined into one value (as HTTP stacks do).
        foreach (var headers in new[] { [sent[0]], [sent[1]], [sent[1], sent[0]], new[] { string.Join(", ", sent) }, [string.Join(", ", sent.Reverse())] })
        {
            var parsed = L402Challenge.Parse(headers);
            Assert.Equal(("AgEC+/==", "lnbcrt10n1abc"), (parsed.Token, parsed.Invoice));
        }

        // The current scheme is preferred; an LSAT-only seller is remembered as such.
        Assert.Equal(L402Challenge.Scheme, L402Challenge.Parse(string.Join(", ", sent.Reverse())).OfferedScheme);
        Assert.Equal(L402Challenge.LegacyScheme, L402Challenge.Parse(sent[1]).OfferedScheme);
        Assert.Equal("T", L402Challenge.Parse("Basic realm=\"x\", L402 macaroon=\"T\", invoice=\"I\"").Token);
    }

    [Theory]
    [InlineData("")]
    [InlineData("L402")]
    [InlineData("invoice=\"x\", L402 token=\"T\"")]
    [InlineData("Basic realm=\"x\"")]
    [InlineData("L402 token=\"abc\"")]
    [InlineData("L402 token=\"abc, invoice=\"x")]
    public void Bad_challenges_are_refused(string header)
    {
        Assert.Equal(MarketErrorCodes.MalformedL402Header, Assert.Throws<DsrsException>(() => L402Challenge.Parse(header)).Code);
    }

    [Fact]
    public void Authorization_parses_L402_and_LSAT()
    {
        var key = RandomNumberGenerator.GetBytes(32);
        var preimage = RandomNumberGenerator.GetBytes(32);
        var token = L402Token.Mint(key, Convert.ToHexString(SHA256.HashData(preimage)), new string('c', 64));
        var credential = new L402Credential(token, preimage);
        var header = credential.ToAuthorizationHeader();
        Assert.StartsWith("L402 ", header, StringComparison.Ordinal);
        var parsed = L402Credential.ParseAuthorization(header);
        Assert.Equal(preimage, parsed.Preimage);
        Assert.Equal(token.Signature, parsed.Macaroon.Signature);
        Assert.Equal(preimage, L402Credential.ParseAuthorization("LSAT " + token.ToBase64() + ":" + Convert.ToHexString(preimage)).Preimage);
    }

    [Theory]
    [InlineData(null, MarketErrorCodes.MalformedL402Header)]
    [InlineData("Bearer abc", MarketErrorCodes.MalformedL402Header)]
    [InlineData("L402 onlytoken", MarketErrorCodes.MalformedL402Header)]
    [InlineData("L402 AgEC:zz", MarketErrorCodes.MalformedL402Header)]
    [InlineData("L402 !!!:0000000000000000000000000000000000000000000000000000000000000000", MarketErrorCodes.MalformedMacaroon)]
    public void Malformed_authorization_is_refused_with_a_code(string? header, string code)
    {
        Assert.Equal(code, Assert.Throws<DsrsException>(() => L402Credential.ParseAuthorization(header)).Code);
    }
}
