using System.Security.Cryptography;
using System.Text.Json;
using ManifestBuild.Lightning.Dev;
using ManifestBuild.Lightning.Payments;
using ManifestBuild.TestSupport;

namespace ManifestBuild.Cli.Tests;

public sealed class LightningCommandsTests
{
    // BOLT #11 example "Please send $3 for a cup of coffee to the same peer, within one minute".
    private const string Coffee = "lnbc2500u1pvjluezsp5zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zygspp5qqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqypqdq5xysxxatsyp3k7enxv4jsxqzpu9qrsgquk0rl77nj30yxdy8j9vdx85fkpmdla2087ne0xh8nhedh8w27kyke0lp53ut353s06fv3qfegext0eh0ymjpf39tuven09sam30g4vgpfna3rh";

    [Fact]
    public async Task Invoice_decode_json_has_exactly_the_documented_names()
    {
        using var home = new TempDirectory("lightning-cli");
        var (exit, output, _) = await RunAsync(home, "invoice", "decode", Coffee, "--json");

        Assert.Equal(0, exit);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        Assert.Equal(
            ["network", "amount_msat", "payment_hash", "payee", "timestamp", "expiry", "description", "payment_secret", "features"],
            root.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal("bitcoin", root.GetProperty("network").GetString());
        Assert.Equal(250_000_000, root.GetProperty("amount_msat").GetInt64());
        Assert.Equal("0001020304050607080900010203040506070809000102030405060708090102", root.GetProperty("payment_hash").GetString());
        Assert.Equal("03e7156ae33b0a208d0744199163177e909e80176e55d97a2f221ede0f934dd9ad", root.GetProperty("payee").GetString());
        Assert.Equal(1496314658, root.GetProperty("timestamp").GetInt64());
        Assert.Equal(60, root.GetProperty("expiry").GetInt64());
        Assert.Equal("1 cup coffee", root.GetProperty("description").GetString());
        Assert.True(root.GetProperty("payment_secret").GetBoolean());
        Assert.Equal([8, 14], root.GetProperty("features").EnumerateArray().Select(e => e.GetInt32()).ToArray());
    }

    [Fact]
    public async Task Invoice_decode_text_and_refusal()
    {
        using var home = new TempDirectory("lightning-cli");
        var (exit, output, _) = await RunAsync(home, "invoice", "decode", Coffee);
        Assert.Equal(0, exit);
        Assert.Contains("amount_msat       250000000", output);
        Assert.Contains("description       1 cup coffee", output);
        Assert.Contains("payment_secret    present", output);

        var broken = Coffee[..^1] + (Coffee[^1] == 'q' ? 'p' : 'q');
        var (badExit, badOutput, error) = await RunAsync(home, "invoice", "decode", broken);
        Assert.Equal(1, badExit);
        Assert.Equal(string.Empty, badOutput);
        Assert.StartsWith("DSRS0401: the invoice is not bech32: ", error);
        Assert.Contains("checksum", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Payments_lists_the_ledger_and_shows_preimages_only_when_asked()
    {
        using var home = new TempDirectory("lightning-cli");
        var devnet = Path.Combine(home.Path, "devnet");
        var seller = DevNode.Open("seller", devnet);
        var compiledId = Convert.ToHexString(RandomNumberGenerator.GetBytes(32)).ToLowerInvariant();
        var invoice = await seller.CreateInvoiceAsync(42_000, "dsrs " + compiledId, TimeSpan.FromMinutes(10), default);
        var paid = await new PaymentGuard(DevNode.Open("buyer", devnet), PurchaseLedger.ForHome(home.Path)).PayAsync(
            new PurchaseRequest
            {
                CompiledId = compiledId,
                PriceMsat = 42_000,
                ListingNodeId = seller.NodeId,
                ExpectedNetwork = "regtest",
                Token = "macaroon-token-value",
                Bolt11 = invoice.Bolt11,
            },
            default);

        var (exit, output, _) = await RunAsync(home, "payments");
        Assert.Equal(0, exit);
        Assert.Contains(paid.PaymentHash, output);
        Assert.Contains("paid", output);
        Assert.Contains("42000", output);
        Assert.DoesNotContain(paid.Preimage, output);
        Assert.DoesNotContain("macaroon-token-value", output);

        var (_, json, _) = await RunAsync(home, "payments", "--json");
        using var doc = JsonDocument.Parse(json);
        Assert.Equal(compiledId, doc.RootElement[0].GetProperty("compiled_id").GetString());
        Assert.False(doc.RootElement[0].TryGetProperty("preimage", out _));

        var (_, revealed, _) = await RunAsync(home, "payments", "--show-preimages");
        Assert.Contains(paid.Preimage, revealed);
    }

    [Fact]
    public async Task Payments_on_an_empty_ledger()
    {
        using var home = new TempDirectory("lightning-cli");
        var (exit, output, _) = await RunAsync(home, "payments");
        Assert.Equal(0, exit);
        Assert.Equal("no payments in the ledger", output.Trim());
    }

    private static async Task<(int Exit, string Output, string Error)> RunAsync(TempDirectory home, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var context = new CliContext
        {
            Out = output,
            Error = error,
            Env = name => name == "DSRS_HOME" ? home.Path : null,
        };
        var exit = await Program.RunAsync(args, context);
        return (exit, output.ToString(), error.ToString());
    }
}
