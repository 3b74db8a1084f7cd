using System.Security.Cryptography;
using System.Text;
using ManifestBuild.Format;
using ManifestBuild.Lightning.Bolt11;
using ManifestBuild.Nostr;
using static ManifestBuild.Lightning.Tests.Bolt11.Bolt11Vectors;

namespace ManifestBuild.Lightning.Tests.Bolt11;

public class Bolt11DecoderTests
{
    private const string ChocolateList = "One piece of chocolate cake, one icecream cone, one pickle, one slice of swiss cheese, one slice of salami, one lollypop, one piece of cherry pie, one sausage, one cupcake, and one slice of watermelon";
    private const string Timestamp = "2017-06-01T10:57:38+00:00";

    // title start, network, amount msat, description (or null for a hash), expiry seconds
    public static TheoryData<string, string, long?, string?, int> Valid => new()
    {
        { "Please make a donation of any amount", "bitcoin", null, "Please consider supporting this project", 3600 },
        { "Please send $3 for a cup of coffee", "bitcoin", 250_000_000, "1 cup coffee", 60 },
        { "Please send 0.0025 BTC for a cup of nonsense", "bitcoin", 250_000_000, "ナンセンス 1杯", 60 },
        { "Now send $24 for an entire list of things", "bitcoin", 2_000_000_000, null, 3600 },
        { "The same, on testnet", "testnet", 2_000_000_000, null, 3600 },
        { "On mainnet, with fallback address 1RustyRX2oai4EYYDpQGWvEL62BBGqN9T", "bitcoin", 2_000_000_000, null, 3600 },
        { "On mainnet, with fallback (P2SH)", "bitcoin", 2_000_000_000, null, 3600 },
        { "On mainnet, with fallback (P2WPKH)", "bitcoin", 2_000_000_000, null, 3600 },
        { "On mainnet, with fallback (P2WSH)", "bitcoin", 2_000_000_000, null, 3600 },
        { "On mainnet, with fallback (P2TR)", "bitcoin", 2_000_000_000, null, 3600 },
        { "Please send $30 for coffee beans", "bitcoin", 2_500_000_000, "coffee beans", 3600 },
        { "Same, but all upper case.", "bitcoin", 2_500_000_000, "coffee beans", 3600 },
        { "Please send 0.01 BTC with payment metadata", "bitcoin", 1_000_000_000, "payment metadata inside", 3600 },
        { "Public-key recovery with high-S signature", "bitcoin", null, "Please consider supporting this project", 3600 },
    };

    [Theory]
    [MemberData(nameof(Valid))]
    public void Valid_vectors_decode_to_the_documented_values(string title, string network, long? amountMsat, string? description, int expirySeconds)
    {
        var invoice = Bolt11Decoder.Decode(ByTitle(title));

        Assert.Equal(network, invoice.Network);
        Assert.Equal(amountMsat, invoice.AmountMsat);
        Assert.Equal(SpecHash, invoice.PaymentHash);
        Assert.Equal(SpecSecret, invoice.PaymentSecret);
        if (!title.StartsWith("Public-key recovery with high-S", StringComparison.Ordinal))
        {
            // The high-S example's S is negated but its recovery id kept, so recovery (which BOLT #11
            // requires to accept high S) yields another key: Bolt11EncoderTests cross-checks it with npm.
            Assert.Equal(SpecPayee, invoice.Payee);
        }

        Assert.Equal(TimeSpan.FromSeconds(expirySeconds), invoice.Expiry);
        Assert.Equal(DateTimeOffset.Parse(Timestamp, System.Globalization.CultureInfo.InvariantCulture), invoice.Timestamp);
        if (description is null)
        {
            Assert.Null(invoice.Description);
            Assert.Equal(Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(ChocolateList))).ToLowerInvariant(), invoice.DescriptionHash);
        }
        else
        {
            Assert.Equal(description, invoice.Description);
            Assert.Null(invoice.DescriptionHash);
        }
    }

    [Fact]
    public void Every_valid_vector_but_the_must_be_ignored_one_is_covered_and_decodes()
    {
        var valid = Entries.Where(e => e.Section == "valid").ToList();
        Assert.Equal(16, valid.Count);
        foreach (var entry in valid.Where(e => !e.Title.StartsWith("Same, but including fields which must be ignored", StringComparison.Ordinal)))
        {
            Assert.Equal(SpecHash.Length, Bolt11Decoder.Decode(entry.Invoice).PaymentHash.Length);
        }

        Assert.Equal(15, Valid.Count + 1); // 14 with documented values + the pico-BTC one below
    }

    [Fact]
    public void Pico_amount_with_route_hint_expiry_and_cltv()
    {
        var invoice = Bolt11Decoder.Decode(ByTitle("Please send 0.00967878534 BTC"));

        Assert.Equal(967_878_534, invoice.AmountMsat);
        Assert.Equal("462264ede7e14047e9b249da94fefc47f41f7d02ee9b091815a5506bc8abf75f", invoice.PaymentHash);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1572468703), invoice.Timestamp);
        Assert.Equal(TimeSpan.FromSeconds(604800), invoice.Expiry);
        Assert.Equal(10, invoice.MinFinalCltvExpiry);
        Assert.Equal(SpecPayee, invoice.Payee);
        Assert.StartsWith("Blockstream Store: 88.85 USD for Blockstream Ledger Nano S x 1", invoice.Description);
        var hop = Assert.Single(Assert.Single(invoice.RouteHints));
        Assert.Equal(new RouteHintHop("03d06758583bb5154774a6eb221b1276c9e82d65bbaceca806d90e20c108f4b1c7", "589390x3312x1", 1000, 2500, 40), hop);
    }

    [Fact]
    public void Route_hints_with_two_hops()
    {
        var invoice = Bolt11Decoder.Decode(ByTitle("On mainnet, with fallback address 1RustyRX2oai4EYYDpQGWvEL62BBGqN9T"));

        var route = Assert.Single(invoice.RouteHints);
        Assert.Equal(2, route.Count);
        Assert.Equal("029e03a901b85534ff1e92c43c74431f7ce72046060fcf7a95c37e148f78c77255", route[0].Pubkey);
        Assert.Equal((1u, 20u, (ushort)3), (route[0].FeeBaseMsat, route[0].FeeProportionalMillionths, route[0].CltvExpiryDelta));
        Assert.Equal("039e03a901b85534ff1e92c43c74431f7ce72046060fcf7a95c37e148f78c77255", route[1].Pubkey);
        Assert.Equal((2u, 30u, (ushort)4), (route[1].FeeBaseMsat, route[1].FeeProportionalMillionths, route[1].CltvExpiryDelta));
        Assert.Equal("1RustyRX2oai4EYYDpQGWvEL62BBGqN9T", Assert.Single(invoice.Fallbacks).Address);
    }

    [Theory]
    [InlineData("The same, on testnet", "mk2QpYatsKicvFVuTAQLBryyccRXMUaGHP")]
    [InlineData("On mainnet, with fallback (P2SH)", "3EktnHQD7RiAE6uzMj2ZifT9YgRrkSgzQX")]
    [InlineData("On mainnet, with fallback (P2WPKH)", "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4")]
    [InlineData("On mainnet, with fallback (P2WSH)", "bc1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3qccfmv3")]
    [InlineData("On mainnet, with fallback (P2TR)", "bc1pptdvg0d2nj99568qn6ssdy4cygnwuxgw2ukmnwgwz7jpqjz2kszse2s3lm")]
    public void Fallback_addresses_spell_the_documented_address(string title, string address)
    {
        Assert.Equal(address, Assert.Single(Bolt11Decoder.Decode(ByTitle(title)).Fallbacks).Address);
    }

    [Fact]
    public void Features_and_metadata()
    {
        Assert.Equal([8, 14, 99], Bolt11Decoder.Decode(ByTitle("Please send $30 for coffee beans")).Features);
        var withMetadata = Bolt11Decoder.Decode(ByTitle("Please send 0.01 BTC with payment metadata"));
        Assert.Equal("01fafaf0", withMetadata.Metadata);
        Assert.Equal([8, 14, 48], withMetadata.Features);
    }

    [Theory]
    [InlineData("Same, but adding invalid unknown feature 100", "DSRS0415")]
    [InlineData("Bech32 checksum is invalid.", "DSRS0401")]
    [InlineData("Malformed bech32 string (no 1)", "DSRS0400")]
    [InlineData("Malformed bech32 string (mixed case)", "DSRS0400")]
    [InlineData("Signature is not recoverable.", "DSRS0406")]
    [InlineData("String is too short.", "DSRS0405")]
    [InlineData("Invalid multiplier", "DSRS0403")]
    [InlineData("Invalid sub-millisatoshi precision.", "DSRS0404")]
    [InlineData("Missing required `s` field.", "DSRS0410")]
    [InlineData("Non canonical signature (high-S) with 'n' field defined", "DSRS0408")]
    [InlineData("Same, but including fields which must be ignored.", "DSRS0411")]
    public void Invalid_vectors_are_refused_with_their_rule(string title, string code)
    {
        var error = Assert.Throws<DsrsException>(() => Bolt11Decoder.Decode(ByTitle(title)));
        Assert.Equal(code, error.Code);
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
    }

    [Fact]
    public void Every_invalid_vector_is_covered()
    {
        Assert.Equal(10, Entries.Count(e => e.Section == "invalid"));
        foreach (var entry in Entries.Where(e => e.Section == "invalid"))
        {
            Assert.False(Bolt11Decoder.TryDecode(entry.Invoice, out _, out var error));
            Assert.StartsWith("DSRS04", error!.Code);
        }
    }

    [Fact]
    public void Description_hash_is_checked_against_the_description()
    {
        var invoice = Bolt11Decoder.Decode(ByTitle("Now send $24 for an entire list of things"));
        Bolt11Decoder.CheckDescriptionHash(invoice, ChocolateList);
        Assert.Equal("DSRS0421", Assert.Throws<DsrsException>(() => Bolt11Decoder.CheckDescriptionHash(invoice, ChocolateList + ".")).Code);
        var withD = Bolt11Decoder.Decode(ByTitle("Please send $3 for a cup of coffee"));
        Assert.Equal("DSRS0421", Assert.Throws<DsrsException>(() => Bolt11Decoder.CheckDescriptionHash(withD, "1 cup coffee")).Code);
    }

    [Theory]
    [InlineData("lnbc")]
    [InlineData("lnxy2500u")]
    public void Unknown_prefixes_are_refused(string hrp)
    {
        var (_, words, _) = Bech32.Decode(ByTitle("Please send $3 for a cup of coffee"), int.MaxValue);
        var error = Assert.Throws<DsrsException>(() => Bolt11Decoder.Decode(Bech32.Encode(hrp.Replace("lnbc", "xnbc", StringComparison.Ordinal), words)));
        Assert.Equal("DSRS0402", error.Code);
    }

    [Fact]
    public void Lightning_uri_prefix_and_surrounding_space_are_accepted()
    {
        var invoice = Bolt11Decoder.Decode("  lightning:" + ByTitle("Please send $3 for a cup of coffee") + "\n");
        Assert.Equal(250_000_000, invoice.AmountMsat);
    }

    [Fact]
    public void A_flipped_bit_in_the_signed_data_changes_the_recovered_payee()
    {
        // Same invoice re-encoded with a different amount but the original signature: the checksum is
        // valid, the signature no longer belongs to the spec's key.
        var original = ByTitle("Please send $3 for a cup of coffee");
        var (hrp, words, _) = Bech32.Decode(original, int.MaxValue);
        var tampered = Bech32.Encode(hrp.Replace("2500u", "2501u", StringComparison.Ordinal), words);
        var decoded = Bolt11Decoder.TryDecode(tampered, out var invoice, out var error);
        Assert.True(!decoded || invoice!.Payee != SpecPayee, error?.ToString());
    }
}
