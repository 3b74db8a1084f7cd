using ManifestBuild.Cli;
using ManifestBuild.Format;
using ManifestBuild.Format.Json;
using ManifestBuild.Nostr;
using ManifestBuild.Relay;
using ManifestBuild.TestSupport;

namespace ManifestBuild.Cli.Tests;

/// <summary>The market commands in-process, end to end on loopback: redact, serve, publish, search, buy, review, reputation, receipts.</summary>
public sealed class MarketCommandTests
{
    // An obviously fake token in the shape of a GitHub one, for the secret scanner to find (split
    // here so that scanners run over this repository do not take the source for a leak).
    private const string Secret = "ghp_" + "TESTabcdefghijklmnopqrstuvwxyz0123456789";

    private static JsonObject Manifest(string instruction, string name = "ComplexityClassificationSignature", double accuracy = 0.9)
    {
        var m = new JsonObject()
            .Add("format", "dsrs.manifest/1")
            .Add("signature_name", name)
            .Add("family", "complexity")
            .Add("instruction", instruction)
            .Add("inputs", new JsonArray().Add(new JsonObject().Add("name", "code").Add("type", "string")))
            .Add("outputs", new JsonArray().Add(new JsonObject().Add("name", "complexity").Add("type", "enum").Add("values", JsonArray.OfStrings(["simple", "complex"]))))
            .Add("demos", new JsonArray().Add(new JsonObject().Add("inputs", new JsonObject().Add("code", "fn main() {} // /home/dev/acme/src/main.rs")).Add("outputs", new JsonObject().Add("complexity", "simple"))))
            .Add("scorecard", new JsonObject().Add("median_score", accuracy).Add("rollouts", 8).Add("accuracy", accuracy))
            .Add("domain_tags", JsonArray.OfStrings(["rust"]))
            .Add("example_count", 200L);
        m.Add("compiled_id", CompiledId.Compute(m));
        return m;
    }

    private static Task<(int Code, string Out, string Err)> RunAsync(string home, IDictionary<string, string>? env, params string[] args) =>
        RunAtTerminalAsync(home, env, null, args);

    /// <summary>Runs dsrs; with <paramref name="typed"/> it runs as at a terminal where the user types that line.</summary>
    private static async Task<(int Code, string Out, string Err)> RunAtTerminalAsync(string home, IDictionary<string, string>? env, string? typed, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var context = new CliContext
        {
            Out = output,
            Error = error,
            In = new StringReader(typed ?? string.Empty),
            Interactive = typed is not null,
            Env = name => name == "DSRS_HOME" ? home : env?.TryGetValue(name, out var v) == true ? v : null,
        };
        var code = await Program.RunAsync(args, context);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Seller_and_buyers_trade_through_the_cli()
    {
        using var root = new TempDirectory("cli-market");
        string sellerHome = root.Combine("seller"), buyerHome = root.Combine("buyer"), ciHome = root.Combine("ci"), ledger = root.Combine("devnet");
        NostrKeyStore.Save(sellerHome, NostrKeyPair.Generate());
        NostrKeyStore.Save(buyerHome, NostrKeyPair.Generate());
        var sellerNode = $"type=dev;name=seller;ledger={ledger}";
        var buyerNode = $"type=dev;name=buyer;ledger={ledger}";
        await using var relay = await EmbeddedRelay.StartAsync(new EmbeddedRelayOptions());
        var relayUrl = relay.Url.AbsoluteUri;

        // Redact: the secret and the path go, the report counts them, the id changes.
        var raw = root.Write("raw.json", JsonWriter.WriteFile(Manifest("Classify. CI token " + Secret)));
        Directory.CreateDirectory(root.Combine("sell"));
        var paidPath = root.Combine("sell", "paid.json");
        var redact = await RunAsync(sellerHome, null, "redact", raw, "--mode", "paths", "-o", paidPath);
        Assert.True(redact.Code == 0, redact.Err);
        Assert.Contains("secret: 1", redact.Out, StringComparison.Ordinal);
        Assert.Contains("path: 1", redact.Out, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, redact.Out + File.ReadAllText(paidPath), StringComparison.Ordinal);
        var paidId = CompiledId.Verify(JsonParser.ParseObject(File.ReadAllText(paidPath)));

        // Publishing the unredacted file is refused.
        var refused = await RunAsync(sellerHome, null, "publish", raw, "--relay", relayUrl);
        Assert.Equal(1, refused.Code);
        Assert.Contains("DSRS0510", refused.Err, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, refused.Err, StringComparison.Ordinal);

        // Serve in-process until cancelled, at the catalog's price.
        File.WriteAllText(root.Combine("sell", "prices.json"), "{\"default\": 4000}");
        using var stop = new CancellationTokenSource();
        var serving = new SignalWriter("serving ");
        var serveTask = Program.RunAsync(["serve", "--manifests", root.Combine("sell"), "--node", sellerNode, "--listen", "127.0.0.1:0"], new CliContext { Out = serving, Error = new StringWriter(), Env = n => n == "DSRS_HOME" ? sellerHome : null }, stop.Token);
        var line = await serving.Signal.WaitAsync(TimeSpan.FromSeconds(30));
        var url = line.Split(" on ")[1].Split(' ')[0];

        var sellerEnv = new Dictionary<string, string> { ["DSRS_NODE"] = sellerNode };
        var publishPaid = await RunAsync(sellerHome, sellerEnv, "publish", paidPath, "--relay", relayUrl, "--price", "4000", "--l402", url);
        Assert.True(publishPaid.Code == 0, publishPaid.Err);
        Assert.Contains("OK", publishPaid.Out, StringComparison.Ordinal);
        var freePath = root.Write("free.json", JsonWriter.WriteFile(Manifest("A free one.", "FreeComplexitySignature", 0.8)));
        var publishFree = await RunAsync(sellerHome, null, "publish", freePath, "--relay", relayUrl, "--allow-unredacted", "--json");
        Assert.True(publishFree.Code == 0, publishFree.Err);
        var publishedJson = JsonParser.ParseObject(publishFree.Out);
        Assert.Equal(0, ((JsonNumber)publishedJson["price_msat"]!).Value);
        Assert.StartsWith("naddr1", publishedJson.GetString("naddr"), StringComparison.Ordinal);
        Assert.True(((JsonObject)((JsonArray)publishedJson["relays"]!)[0]).AsObject()!["accepted"] is JsonBool { Value: true });

        // Search.
        var search = await RunAsync(buyerHome, null, "search", "--family", "complexity", "--domain", "rust", "--relay", relayUrl, "--json");
        Assert.Equal(0, search.Code);
        var listings = (JsonArray)JsonParser.ParseObject(search.Out)["listings"]!;
        Assert.Equal(2, listings.Count);
        Assert.Equal(paidId, listings[0].AsObject()!.GetString("compiled_id"));
        var table = await RunAsync(buyerHome, null, "search", "--family", "complexity", "--relay", relayUrl, "--min-accuracy", "0.85", "--show-rejected");
        Assert.Contains("1 listing(s); 1 left out", table.Out, StringComparison.Ordinal);
        Assert.Contains("accuracy 0.8 is below 0.85", table.Out, StringComparison.Ordinal);

        // Left-out listings are named as the table names listings (compiled_id), sellers as npub.
        var freeId = CompiledId.Verify(JsonParser.ParseObject(File.ReadAllText(freePath)));
        var sellerNpubShort = Nip19.EncodeNpub(NostrKeyStore.Load(sellerHome).PublicKeyHex)[..19];
        Assert.Contains($"left out FreeComplexitySignature {freeId} from {sellerNpubShort}", table.Out, StringComparison.Ordinal);
        Assert.Contains("from seller " + sellerNpubShort, table.Out, StringComparison.Ordinal);
        Assert.DoesNotContain(NostrKeyStore.Load(sellerHome).PublicKeyHex[..12], table.Out, StringComparison.Ordinal);

        // Without --family nothing is "selected" across families.
        var across = await RunAsync(buyerHome, null, "search", "--relay", relayUrl);
        Assert.Contains("no --family given", across.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("selected ", across.Out, StringComparison.Ordinal);

        // Nothing is paid without a yes: no terminal and no --yes refuses (usage, exit 2), "n" declines, a cap below the price refuses first.
        var noTerminal = await RunAsync(buyerHome, null, "buy", paidId, "--relay", relayUrl, "--node", buyerNode);
        Assert.Equal(2, noTerminal.Code);
        Assert.StartsWith("DSRS0903: ", noTerminal.Err, StringComparison.Ordinal);
        var declined = await RunAtTerminalAsync(buyerHome, null, "n\n", "buy", paidId, "--relay", relayUrl, "--node", buyerNode);
        Assert.Equal(1, declined.Code);
        Assert.Contains("pay 4000 msat (plus routing fee) to seller npub1", declined.Err, StringComparison.Ordinal);
        Assert.Contains("DSRS0904: ", declined.Err, StringComparison.Ordinal);
        // The no-pay switch refuses before the question, even with --yes and a node (DSRS0942).
        var noPay = await RunAtTerminalAsync(buyerHome, new Dictionary<string, string> { ["DSRS_NO_PAY"] = "1" }, "y\n", "buy", paidId, "--relay", relayUrl, "--node", buyerNode, "--yes");
        Assert.Equal(1, noPay.Code);
        Assert.StartsWith("DSRS0942: ", noPay.Err, StringComparison.Ordinal);
        Assert.Contains("DSRS_NO_PAY", noPay.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("pay 4000 msat", noPay.Err, StringComparison.Ordinal);
        var capped = await RunAtTerminalAsync(buyerHome, null, "y\n", "buy", paidId, "--relay", relayUrl, "--node", buyerNode, "--max-price", "3999");
        Assert.Equal(1, capped.Code);
        Assert.StartsWith("DSRS0472: ", capped.Err, StringComparison.Ordinal);
        Assert.Equal("[]", (await RunAsync(buyerHome, null, "payments", "--json")).Out.Trim());

        // The default cap (100 000 msat) refuses a dearer listing before any question or request.
        var dearPath = root.Write(Path.Combine("dear", "dear.json"), JsonWriter.WriteFile(Manifest("A dear one.", "DearComplexitySignature")));
        root.Write(Path.Combine("dear", "prices.json"), """{"default": 150000}""");
        var dearListed = await RunAsync(sellerHome, sellerEnv, "publish", dearPath, "--relay", relayUrl, "--l402", url, "--allow-unredacted");
        Assert.True(dearListed.Code == 0, dearListed.Err);
        var dear = await RunAsync(buyerHome, null, "buy", CompiledId.Verify(JsonParser.ParseObject(File.ReadAllText(dearPath))), "--relay", relayUrl, "--node", buyerNode, "--yes");
        Assert.Equal(1, dear.Code);
        Assert.Contains("above the cap of 100000 msat (the default; raise it with --max-price)", dear.Err, StringComparison.Ordinal);

        // Buy after a yes at the terminal (JSON outcome), then buy again for nothing and without a question.
        var buy = await RunAtTerminalAsync(buyerHome, null, "y\n", "buy", paidId, "--relay", relayUrl, "--node", buyerNode, "--max-price", "5000", "--json");
        Assert.True(buy.Code == 0, buy.Err);
        var bought = JsonParser.ParseObject(buy.Out);
        Assert.Equal("purchase", bought.GetString("source"));
        Assert.Equal("4000", ((JsonNumber)bought["price_paid_msat"]!).Text);
        Assert.Equal("ComplexityClassificationSignature", bought.GetString("signature_name"));
        var again = await RunAsync(buyerHome, null, "buy", paidId, "--relay", relayUrl, "--node", buyerNode);
        Assert.True(again.Code == 0, again.Err);
        Assert.Contains("already in the cache; nothing paid", again.Out, StringComparison.Ordinal);
        var payments = await RunAsync(buyerHome, null, "payments");
        Assert.Contains("ComplexityClassificationSignature", payments.Out, StringComparison.Ordinal);
        var cached = await RunAsync(buyerHome, null, "cache", "list", "--json");
        Assert.Equal(paidId, ((JsonArray)JsonParser.Parse(cached.Out)).Single().AsObject()!.GetString("compiled_id"));

        // Review (verified) and reputation as another user sees it.
        var review = await RunAsync(buyerHome, null, "review", paidId, "--rating", "5", "--comment", "great", "--relay", relayUrl);
        Assert.True(review.Code == 0, review.Err);
        Assert.Contains("verified-purchase review", review.Out, StringComparison.Ordinal);
        var sellerNpub = Nip19.EncodeNpub(NostrKeyStore.Load(sellerHome).PublicKeyHex);
        var reputation = await RunAsync(ciHome, null, "reputation", sellerNpub, "--relay", relayUrl);
        Assert.Contains("seller " + sellerNpub + ": 1 verified review(s), mean 5.0", reputation.Out, StringComparison.Ordinal);
        // The same seller as an nprofile and as NIP-21 URIs: the same answer (an nprofile used to be "not found").
        var sellerHex = NostrKeyStore.Load(sellerHome).PublicKeyHex;
        foreach (var spelling in new[] { Nip19.EncodeNprofile(sellerHex, [relayUrl]), "nostr:" + Nip19.EncodeNprofile(sellerHex), "nostr:" + sellerNpub })
        {
            var bySpelling = await RunAsync(ciHome, null, "reputation", spelling, "--relay", relayUrl);
            Assert.True(bySpelling.Code == 0, bySpelling.Err);
            Assert.Contains("seller " + sellerNpub + ": 1 verified review(s), mean 5.0", bySpelling.Out, StringComparison.Ordinal);
        }

        // Receipts: a CI machine with no node downloads the paid manifest through DSRS_RECEIPTS.
        var exported = await RunAsync(buyerHome, null, "receipts", "export", "--env");
        Assert.Equal(0, exported.Code);
        var ciEnv = new Dictionary<string, string> { ["DSRS_RECEIPTS"] = exported.Out.Trim() };
        var ciBuy = await RunAsync(ciHome, ciEnv, "buy", paidId, "--relay", relayUrl);
        Assert.True(ciBuy.Code == 0, ciBuy.Err);
        Assert.Contains("downloaded with a stored receipt; nothing paid", ciBuy.Out, StringComparison.Ordinal);
        var file = root.Combine("receipts.json");
        Assert.Equal(0, (await RunAsync(buyerHome, null, "receipts", "export", "-o", file)).Code);
        var imported = await RunAsync(root.Combine("ci2"), null, "receipts", "import", file);
        Assert.Contains("imported 1 receipt(s)", imported.Out, StringComparison.Ordinal);

        // The seller's view: what the buyers above bought, from the journal `dsrs serve` wrote, with the review.
        var sales = await RunAsync(sellerHome, null, "sales", "--relay", relayUrl, "--json");
        Assert.True(sales.Code == 0, sales.Err);
        var report = JsonParser.ParseObject(sales.Out);
        var paidRow = ((JsonArray)report["rows"]!).Select(x => x.AsObject()!).Single(x => x.GetString("key") == paidId);
        Assert.Equal(("1", "1", "1", "4000"), (Num(paidRow, "sales"), Num(paidRow, "redownloads"), Num(paidRow, "buyers"), Num(paidRow, "revenue_msat")));
        var paidInvoices = ((JsonArray)JsonParser.Parse((await RunAsync(buyerHome, null, "payments", "--json")).Out)).Count;
        Assert.Equal(paidInvoices, int.Parse(Num(paidRow, "buyers"), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(("1", "5"), (Num(paidRow["reviews"]!.AsObject()!, "verified"), Num(paidRow["reviews"]!.AsObject()!, "verified_mean_rating")));
        Assert.Equal("4000", Num(report["total"]!.AsObject()!, "revenue_msat"));
        var journal = File.ReadAllText(Seller.Sales.SalesJournal.PathFor(sellerHome));
        var receipt = new Market.Buying.ReceiptStore(buyerHome).List().Single();
        Assert.DoesNotContain(receipt.PreimageHex, journal, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(receipt.Token, journal, StringComparison.Ordinal);
        var byDay = await RunAsync(sellerHome, null, "sales", "--by", "day", "--since", "1d");
        Assert.Contains("1 sale(s), 1 re-download(s), 1 buyer(s), 4000 msat", byDay.Out, StringComparison.Ordinal);
        var badBy = await RunAsync(sellerHome, null, "sales", "--by", "week");
        Assert.Equal(2, badBy.Code);
        Assert.Contains("DSRS0901", badBy.Err, StringComparison.Ordinal);

        await stop.CancelAsync();
        var served = await serveTask.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(served == 0, serving.ToString());
    }

    private static string Num(JsonObject o, string name) => ((JsonNumber)o[name]!).Text;
}
