using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using ManifestBuild.Format;
using ManifestBuild.Lightning.Bolt11;
using ManifestBuild.TestSupport;
using static ManifestBuild.Lightning.Tests.Bolt11.Bolt11Vectors;

namespace ManifestBuild.Lightning.Tests.Bolt11;

public class Bolt11EncoderTests
{
    private static readonly byte[] SpecKey = Convert.FromHexString(SpecPrivateKey);

    [Fact]
    public void Re_encoding_the_coffee_beans_example_gives_the_same_invoice_signed_by_the_same_key()
    {
        var expected = ByTitle("Please send $30 for coffee beans");
        var invoice = Bolt11Encoder.Encode(
            new Bolt11InvoiceRequest
            {
                Network = "bitcoin",
                AmountMsat = 2_500_000_000,
                Timestamp = DateTimeOffset.FromUnixTimeSeconds(1496314658),
                PaymentHash = SpecHash,
                PaymentSecret = SpecSecret,
                Description = "coffee beans",
                Features = [8, 14, 99],
            },
            SpecKey);

        // Field order differs from the spec's (p d s 9 vs ours p s d 9), so compare decoded values and signer.
        var ours = Bolt11Decoder.Decode(invoice);
        var theirs = Bolt11Decoder.Decode(expected);
        Assert.Equal(
            (theirs.Network, theirs.AmountMsat, theirs.Timestamp, theirs.PaymentHash, theirs.PaymentSecret, theirs.Description, theirs.Payee, theirs.Expiry),
            (ours.Network, ours.AmountMsat, ours.Timestamp, ours.PaymentHash, ours.PaymentSecret, ours.Description, ours.Payee, ours.Expiry));
        Assert.Equal(theirs.Features, ours.Features);
    }

    [Theory]
    [InlineData("bitcoin", 2_500_000_000L, "lnbc25m1")]
    [InlineData("testnet", 250_000_000L, "lntb2500u1")]
    [InlineData("signet", 1_000L, "lntbs10n1")]
    [InlineData("regtest", 967_878_534L, "lnbcrt9678785340p1")]
    [InlineData("regtest", 100_000_000_000L, "lnbcrt11")]
    public void Round_trips_every_network_and_multiplier(string network, long amountMsat, string start)
    {
        var hash = Convert.ToHexString(RandomNumberGenerator.GetBytes(32)).ToLowerInvariant();
        var text = Bolt11Encoder.Encode(Request(network, amountMsat, hash, "dsrs " + hash), SpecKey);

        Assert.StartsWith(start, text);
        var decoded = Bolt11Decoder.Decode(text);
        Assert.Equal(network, decoded.Network);
        Assert.Equal(amountMsat, decoded.AmountMsat);
        Assert.Equal(hash, decoded.PaymentHash);
        Assert.Equal(SpecPayee, decoded.Payee);
        Assert.Equal(TimeSpan.FromMinutes(10), decoded.Expiry);
        Assert.Equal(80, decoded.MinFinalCltvExpiry);
    }

    [Fact]
    public void An_n_field_is_verified_instead_of_recovered()
    {
        var text = Bolt11Encoder.Encode(Request("regtest", 1000, SpecHash, "with n") with { IncludePayeeField = true }, SpecKey);
        var decoded = Bolt11Decoder.Decode(text);
        Assert.True(decoded.PayeeFromField);
        Assert.Equal(SpecPayee, decoded.Payee);
    }

    [Fact]
    public void Route_hints_fallbacks_and_metadata_round_trip()
    {
        var hop = new RouteHintHop("03d06758583bb5154774a6eb221b1276c9e82d65bbaceca806d90e20c108f4b1c7", "589390x3312x1", 1000, 2500, 40);
        var text = Bolt11Encoder.Encode(
            Request("bitcoin", 5000, SpecHash, "hints") with
            {
                RouteHints = [[hop, hop with { CltvExpiryDelta = 9 }]],
                Fallbacks = [(0, "751e76e8199196d454941c45d1b3a323f1433bd6")],
                Metadata = "01fafaf0",
            },
            SpecKey);
        var decoded = Bolt11Decoder.Decode(text);
        Assert.Equal([hop, hop with { CltvExpiryDelta = 9 }], Assert.Single(decoded.RouteHints));
        Assert.Equal("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4", Assert.Single(decoded.Fallbacks).Address);
        Assert.Equal("01fafaf0", decoded.Metadata);
    }

    [Fact]
    public void Writer_refuses_bad_input()
    {
        Assert.Equal("DSRS0420", Assert.Throws<DsrsException>(() => Bolt11Encoder.Encode(Request("regtest", 1000, "abcd", "x"), SpecKey)).Code);
        Assert.Equal("DSRS0420", Assert.Throws<DsrsException>(() => Bolt11Encoder.Encode(Request("regtest", 0, SpecHash, "x"), SpecKey)).Code);
        Assert.Equal("DSRS0420", Assert.Throws<DsrsException>(() => Bolt11Encoder.Encode(Request("regtest", 1000, SpecHash, "x") with { DescriptionHash = SpecHash }, SpecKey)).Code);
        Assert.Equal("DSRS0420", Assert.Throws<DsrsException>(() => Bolt11Encoder.Encode(Request("regtest", 1000, SpecHash, "x"), new byte[32])).Code);
    }

    [Fact]
    public async Task The_npm_bolt11_package_decodes_our_invoices_to_the_same_values()
    {
        var cases = new[] { ("bitcoin", 2_500_000_000L), ("testnet", 250_000_000L), ("regtest", 1_234_000L), ("regtest", 967_878_534L), ("signet", 50_000L) }
            .Select(c =>
            {
                var hash = Convert.ToHexString(RandomNumberGenerator.GetBytes(32)).ToLowerInvariant();
                var request = Request(c.Item1, c.Item2, hash, "dsrs manifest " + hash[..16] + " ünïcödé");
                return (Request: request, Text: Bolt11Encoder.Encode(request, SpecKey));
            })
            .ToList();

        const string script = """
            import bolt11 from 'bolt11';
            let input = '';
            for await (const chunk of process.stdin) input += chunk;
            const networks = {
              bitcoin: undefined,
              testnet: undefined,
              signet: { bech32: 'tbs', pubKeyHash: 0x6f, scriptHash: 0xc4, validWitnessVersions: [0, 1] },
              regtest: { bech32: 'bcrt', pubKeyHash: 0x6f, scriptHash: 0xc4, validWitnessVersions: [0, 1] },
            };
            const out = JSON.parse(input).map(c => {
              const d = bolt11.decode(c.invoice, networks[c.network]);
              const tag = name => (d.tags.find(t => t.tagName === name) || {}).data;
              return {
                amount_msat: d.millisatoshis, payment_hash: tag('payment_hash'), payee: d.payeeNodeKey,
                expiry: tag('expire_time'), description: tag('description'), timestamp: d.timestamp,
              };
            });
            process.stdout.write(JSON.stringify(out));
            """;
        var highS = ByTitle("Public-key recovery with high-S signature");
        var input = JsonSerializer.Serialize(cases.Select(c => new { invoice = c.Text, network = c.Request.Network })
            .Append(new { invoice = highS, network = "bitcoin" }));
        var result = (await NodeScript.RunInlineAsync(script, input)).EnsureSuccess();

        using var decoded = JsonDocument.Parse(result.StdOut);
        var rows = decoded.RootElement.EnumerateArray().ToList();
        Assert.Equal(cases.Count + 1, rows.Count);
        Assert.Equal(rows[^1].GetProperty("payee").GetString(), Bolt11Decoder.Decode(highS).Payee);
        for (var i = 0; i < cases.Count; i++)
        {
            var (request, _) = cases[i];
            var row = rows[i];
            Assert.Equal(request.AmountMsat!.Value.ToString(CultureInfo.InvariantCulture), row.GetProperty("amount_msat").GetString());
            Assert.Equal(request.PaymentHash, row.GetProperty("payment_hash").GetString());
            Assert.Equal(SpecPayee, row.GetProperty("payee").GetString());
            Assert.Equal(600, row.GetProperty("expiry").GetInt32());
            Assert.Equal(request.Description, row.GetProperty("description").GetString());
            Assert.Equal(request.Timestamp.ToUnixTimeSeconds(), row.GetProperty("timestamp").GetInt64());
        }
    }

    private static Bolt11InvoiceRequest Request(string network, long amountMsat, string hash, string description) => new()
    {
        Network = network,
        AmountMsat = amountMsat,
        Timestamp = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000),
        PaymentHash = hash,
        PaymentSecret = SpecSecret,
        Description = description,
        Expiry = TimeSpan.FromMinutes(10),
        MinFinalCltvExpiry = 80,
    };
}
