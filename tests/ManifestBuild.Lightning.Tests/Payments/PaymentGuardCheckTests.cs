using System.Security.Cryptography;
using ManifestBuild.Format;
using ManifestBuild.Lightning.Bolt11;
using ManifestBuild.Nostr;
using ManifestBuild.Lightning.Payments;
using ManifestBuild.Lightning.Tests.Bolt11;
using NBitcoin.Secp256k1;
using SHA256 = System.Security.Cryptography.SHA256;

namespace ManifestBuild.Lightning.Tests.Payments;

/// <summary>Each check of protocol §4 step 2 refuses with its own code, and a good invoice passes all of them.</summary>
public class PaymentGuardCheckTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);
    private static readonly TimeSpan Margin = TimeSpan.FromSeconds(120);
    private static readonly byte[] SellerKey = RandomKey();
    private static readonly string SellerNode = NodeIdOf(SellerKey);
    private static readonly string CompiledId = Convert.ToHexString(SHA256.HashData("manifest"u8)).ToLowerInvariant();

    [Fact]
    public void A_good_invoice_passes_every_check()
    {
        var invoice = PaymentGuard.Check(Request(Invoice()), Now, Margin);
        Assert.Equal(50_000, invoice.AmountMsat);
        Assert.Equal(SellerNode, invoice.Payee);
    }

    [Fact]
    public void No_amount() => Refused("DSRS0470", Request(Invoice(i => i with { AmountMsat = null })));

    [Fact]
    public void Amount_differs_from_the_listing_price() => Refused("DSRS0471", Request(Invoice(i => i with { AmountMsat = 50_001 })));

    [Fact]
    public void Over_the_item_cap() => Refused("DSRS0472", Request(Invoice()) with { MaxPriceMsat = 49_999 });

    [Fact]
    public void Over_the_build_budget()
    {
        var budget = new BuildBudget(100_000);
        Assert.True(budget.TryReserve(60_000));
        Refused("DSRS0473", Request(Invoice()) with { Budget = budget });
        budget.Release(60_000);
        PaymentGuard.Check(Request(Invoice()) with { Budget = budget }, Now, Margin);
    }

    [Fact]
    public void Wrong_network() => Refused("DSRS0474", Request(Invoice(i => i with { Network = "testnet" })));

    [Fact]
    public void Payee_is_not_the_listing_node() => Refused("DSRS0475", Request(Invoice()) with { ListingNodeId = NodeIdOf(RandomKey()) });

    [Fact]
    public void Expired_or_expiring_within_the_margin()
    {
        Refused("DSRS0476", Request(Invoice(i => i with { Timestamp = Now - TimeSpan.FromHours(2) })));
        Refused("DSRS0476", Request(Invoice(i => i with { Expiry = TimeSpan.FromSeconds(129) })));
        PaymentGuard.Check(Request(Invoice(i => i with { Expiry = TimeSpan.FromSeconds(131) })), Now, Margin);
    }

    [Fact]
    public void Missing_payment_secret() =>
        Refused("DSRS0477", Request(Bolt11Vectors.ByTitle("Missing required `s` field.")));

    [Fact]
    public void Description_without_the_compiled_id()
    {
        Refused("DSRS0478", Request(Invoice(i => i with { Description = "some other manifest" })));
        Refused("DSRS0478", Request(Invoice(i => i with { Description = null, DescriptionHash = CompiledId })));
    }

    [Fact]
    public void Bad_signature()
    {
        // Signed by one key but naming another in `n`: the signature does not verify against `n`.
        var other = RandomKey();
        var text = Bolt11Encoder.Encode(Fields() with { IncludePayeeField = true }, other);
        var (hrp, words, _) = Bech32.Decode(text, int.MaxValue);
        var forged = Bolt11Encoder.Encode(Fields() with { IncludePayeeField = true }, SellerKey);
        var (_, sellerWords, _) = Bech32.Decode(forged, int.MaxValue);
        var spliced = Bech32.Encode(hrp, [.. sellerWords[..^104], .. words[^104..]]);
        Refused("DSRS0479", Request(spliced));
        Refused("DSRS0479", Request(Bolt11Vectors.ByTitle("Non canonical signature (high-S)")));
    }

    [Fact]
    public void Not_an_invoice() => Refused("DSRS0480", Request("lnbcrt1notaninvoice"));

    [Fact]
    public void Malformed_requests()
    {
        Refused("DSRS0481", Request(Invoice()) with { CompiledId = "abc" });
        Refused("DSRS0481", Request(Invoice()) with { ListingNodeId = "02" });
        Refused("DSRS0481", Request(Invoice()) with { PriceMsat = 0 });
    }

    internal static byte[] RandomKey()
    {
        while (true)
        {
            var key = RandomNumberGenerator.GetBytes(32);
            if (ECPrivKey.TryCreate(key, out _))
            {
                return key;
            }
        }
    }

    internal static string NodeIdOf(byte[] key) =>
        Convert.ToHexString(ECPrivKey.Create(key).CreatePubKey().ToBytes(compressed: true)).ToLowerInvariant();

    private static void Refused(string code, PurchaseRequest request)
    {
        var error = Assert.Throws<DsrsException>(() => PaymentGuard.Check(request, Now, Margin));
        Assert.Equal(code, error.Code);
    }

    private static Bolt11InvoiceRequest Fields() => new()
    {
        Network = "regtest",
        AmountMsat = 50_000,
        Timestamp = Now - TimeSpan.FromSeconds(10),
        PaymentHash = Convert.ToHexString(RandomNumberGenerator.GetBytes(32)).ToLowerInvariant(),
        PaymentSecret = Convert.ToHexString(RandomNumberGenerator.GetBytes(32)).ToLowerInvariant(),
        Description = "dsrs manifest " + CompiledId,
        Expiry = TimeSpan.FromMinutes(10),
    };

    private static string Invoice(Func<Bolt11InvoiceRequest, Bolt11InvoiceRequest>? change = null) =>
        Bolt11Encoder.Encode((change ?? (i => i))(Fields()), SellerKey);

    private static PurchaseRequest Request(string bolt11) => new()
    {
        CompiledId = CompiledId,
        PriceMsat = 50_000,
        ListingNodeId = SellerNode,
        ExpectedNetwork = "regtest",
        MaxPriceMsat = 100_000,
        Token = "token",
        Bolt11 = bolt11,
    };
}
