using ManifestBuild.Cli;
using ManifestBuild.Format;
using ManifestBuild.Format.Json;
using ManifestBuild.Market;
using ManifestBuild.Market.Buying;
using ManifestBuild.Market.Listings;
using ManifestBuild.Nostr;
using ManifestBuild.Relay;
using ManifestBuild.TestSupport;

namespace ManifestBuild.Cli.Tests;

/// <summary>`dsrs sellers` and what `dsrs search` / `dsrs buy` print for a listing whose name attacks the terminal.</summary>
public sealed class SellerStandingCommandTests
{

    [Fact]
    public async Task Sellers_block_list_and_unblock_round_trip_and_a_bad_key_is_a_usage_error()
    {
        using var root = new TempDirectory("cli-sellers");
        var home = root.Combine("home");
        var seller = NostrKeyPair.Generate().PublicKeyHex;
        var npub = Nip19.EncodeNpub(seller);

        var block = await CliRun.RunAsync(home, "sellers", "block", npub, "--reason", "took the money\u001b[2K");
        Assert.True(block.Code == 0, block.Err);
        Assert.NotNull(SellerStanding.ForHome(home).Load().Find(seller));

        var list = await CliRun.RunAsync(home, "sellers", "list");
        Assert.Contains(npub, list.Out, StringComparison.Ordinal);
        Assert.Contains("took the money\\u001b[2K", list.Out, StringComparison.Ordinal);
        Assert.True(UntrustedText.IsDisplaySafe(list.Out.Replace("\n", string.Empty, StringComparison.Ordinal)));
        var json = await CliRun.RunAsync(home, "sellers", "list", "--json");
        Assert.Equal(seller, ((JsonObject)((JsonArray)((JsonObject)JsonParser.Parse(json.Out))["blocked"]!)[0]).GetString("seller"));

        var unblock = await CliRun.RunAsync(home, "sellers", "unblock", seller);
        Assert.True(unblock.Code == 0, unblock.Err);
        Assert.Null(SellerStanding.ForHome(home).Load().Find(seller));
        Assert.Contains("0 blocked seller(s)", (await CliRun.RunAsync(home, "sellers", "list")).Out, StringComparison.Ordinal);

        var bad = await CliRun.RunAsync(home, "sellers", "block", "npub1nope");
        Assert.Equal(2, bad.Code);
        Assert.StartsWith("DSRS0930", bad.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Search_and_buy_print_a_hostile_listing_name_escaped()
    {
        using var root = new TempDirectory("cli-hostile-name");
        var home = root.Combine("buyer");
        await using var relay = await EmbeddedRelay.StartAsync(new EmbeddedRelayOptions());
        var manifest = new JsonObject()
            .Add("format", "dsrs.manifest/1")
            .Add("signature_name", "Evil\u001b[2K\r\u0007\u202eemaN")
            .Add("family", "complexity")
            .Add("instruction", "free")
            .Add("inputs", new JsonArray().Add(new JsonObject().Add("name", "code").Add("type", "string")))
            .Add("outputs", new JsonArray().Add(new JsonObject().Add("name", "complexity").Add("type", "string")))
            .Add("scorecard", new JsonObject().Add("accuracy", 0.9))
            .Add("domain_tags", JsonArray.OfStrings(["rust"]));
        manifest.Add("compiled_id", CompiledId.Compute(manifest));
        var published = await new MarketClient().PublishAsync(ListingBuilder.BuildSigned(manifest, new ListingOptions(), NostrKeyPair.Generate()), [relay.Url], TimeSpan.FromSeconds(10));
        Assert.All(published, r => Assert.True(r.Success, r.Message));

        foreach (var args in new[]
                 {
                     new[] { "search", "--family", "complexity", "--relay", relay.Url.AbsoluteUri, "--show-rejected" },
                     new[] { "search", "--family", "complexity", "--relay", relay.Url.AbsoluteUri, "--json" },
                     new[] { "buy", manifest.GetString("compiled_id")!, "--relay", relay.Url.AbsoluteUri },
                 })
        {
            var run = await CliRun.RunAsync(home, args);
            Assert.True(run.Code == 0, run.Err);
            Assert.Contains("Evil\\u001b", run.Out.Replace("\\\\u", "\\u", StringComparison.Ordinal), StringComparison.Ordinal);
            Assert.True(UntrustedText.IsDisplaySafe(run.Out.Replace("\n", string.Empty, StringComparison.Ordinal)), run.Out);
            Assert.True(UntrustedText.IsDisplaySafe(run.Err.Replace("\n", string.Empty, StringComparison.Ordinal)), run.Err);
        }
    }
}
