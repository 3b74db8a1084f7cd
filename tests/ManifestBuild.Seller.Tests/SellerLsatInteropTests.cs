using ManifestBuild.Format;
using ManifestBuild.Format.Json;
using ManifestBuild.Lightning.Bolt11;
using ManifestBuild.Lightning.Dev;
using ManifestBuild.Market.L402;
using ManifestBuild.TestSupport;

namespace ManifestBuild.Seller.Tests;

/// <summary>lsat-js (an LSAT-era client that knows only macaroon=) and the macaroon package against the real seller.</summary>
public sealed class SellerLsatInteropTests
{
    [Fact]
    public async Task Lsat_js_reads_the_challenge_and_its_credential_is_accepted()
    {
        using var root = new TempDirectory("seller-lsat");
        var folder = root.Combine("sell");
        Directory.CreateDirectory(folder);
        var manifest = SellerEndpointTests.Manifest("read by lsat-js");
        var id = manifest.GetString("compiled_id")!;
        File.WriteAllText(Path.Combine(folder, "m.json"), JsonWriter.WriteFile(manifest));
        File.WriteAllText(Path.Combine(folder, "prices.json"), "{\"default\": 2100}");
        var home = root.Combine("home");
        await using var server = await SellerServer.StartAsync(new SellerServerOptions { ManifestsDirectory = folder, Node = DevNode.Open("seller", root.Combine("devnet")), Home = home });
        var url = server.ManifestUrl(id).AbsoluteUri;
        var rootKey = Convert.ToHexString(L402RootKey.LoadOrCreate(home)).ToLowerInvariant();

        var read = JsonParser.ParseObject((await NodeScript.RunFileAsync("lsat-client.mjs", ["challenge", url, rootKey])).EnsureSuccess().StdOut);
        Assert.Equal(402, ((JsonNumber)read["status"]!).Value);
        var invoice = Bolt11Decoder.Decode(read.GetString("invoice")!);
        Assert.Equal(2100, invoice.AmountMsat);
        Assert.Equal(invoice.PaymentHash, read.GetString("paymentHash"));
        var identifier = L402Identifier.Decode(Convert.FromHexString(read.GetString("macaroonIdentifier")!));
        Assert.Equal(invoice.PaymentHash, identifier.PaymentHashHex);
        Assert.Equal(["compiled_id=" + id], ((JsonArray)read["caveats"]!).Select(c => ((JsonString)c).Value));
        Assert.Equal("yes", read.GetString("verified"));

        var paid = await DevNode.Open("buyer", root.Combine("devnet")).PayAsync(read.GetString("invoice")!, 0, CancellationToken.None);
        var redeemed = JsonParser.ParseObject((await NodeScript.RunFileAsync("lsat-client.mjs", ["redeem", url, read.GetString("header")!, paid.PreimageHex!])).EnsureSuccess().StdOut);
        Assert.Equal("LSAT", redeemed.GetString("scheme"));
        Assert.Equal(200, ((JsonNumber)redeemed["status"]!).Value);
        Assert.Equal(id, CompiledId.Verify(JsonParser.ParseObject(redeemed.GetString("body")!)));
    }
}
