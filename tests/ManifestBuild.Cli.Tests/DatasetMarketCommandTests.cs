using ManifestBuild.Cli;
using ManifestBuild.Format;
using ManifestBuild.Format.Datasets;
using ManifestBuild.Format.Json;
using ManifestBuild.Nostr;
using ManifestBuild.Relay;
using ManifestBuild.TestSupport;

namespace ManifestBuild.Cli.Tests;

/// <summary>
/// The dataset verbs as a seller and a buyer use them, in-process on loopback: import, id, redact with
/// its report, only-public filtering and noise, export to DSPy, the publish refusal naming the JSON path,
/// `dsrs search --datasets` and `dsrs buy --dataset` paying once through `dsrs serve`.
/// </summary>
public sealed class DatasetMarketCommandTests
{
    private const string Raw = """
        {"complexity_examples": [
          {"task_description": "Add retry logic to the HTTP client, see https://git.corp/payments/ledger-core/pull/7", "file_count": 3, "estimated_tokens": 8000, "keywords": ["add","retry","http"], "expected_complexity": "Medium", "confidence": 0.89},
          {"task_description": "Rename a variable in ledger-core", "file_count": 1, "estimated_tokens": 300, "keywords": ["rename"], "expected_complexity": "Low", "confidence": 1},
          {"task_description": "Split the parser into modules", "file_count": 6, "estimated_tokens": 20000, "keywords": ["split","parser"], "expected_complexity": "High", "confidence": 0.7}
        ]}
        """;

    private static async Task<(int Code, string Out, string Err)> RunAsync(string home, IDictionary<string, string>? env, params string[] args) =>
        await CliRun.RunWithEnvironmentAsync(name => name == "DSRS_HOME" ? home : env?.TryGetValue(name, out var v) == true ? v : null, args);

    [Fact]
    public async Task A_seller_prepares_and_checks_a_dataset_and_exports_it_for_dspy()
    {
        using var root = new TempDirectory("cli-dataset-prepare");
        var home = root.Combine("home");
        var raw = root.Write("raw.json", Raw);
        var imported = root.Combine("ds.json");
        Assert.Equal(0, (await RunAsync(home, null, "dataset", "import", raw, "-o", imported, "--domain", "rust", "--public-repo", "https://github.com/acme/oss-tools")).Code);

        // id prints the recomputed id; a file that states another one gets a note naming the way to store it.
        var id = await RunAsync(home, null, "dataset", "id", imported);
        Assert.Equal(Dataset.Load(imported).StatedId, id.Out.Trim());
        Assert.Empty(id.Err);
        var json = JsonParser.ParseObject(File.ReadAllText(imported));
        ((JsonObject)((JsonObject)((JsonArray)json["examples"]!)[1].AsObject()!)["provenance"]!).Set("public", JsonBool.False);
        File.WriteAllText(imported, JsonWriter.WriteFile(json));
        var stale = await RunAsync(home, null, "dataset", "id", imported);
        Assert.Equal(0, stale.Code);
        Assert.Contains("`dsrs dataset id --write " + imported + "` stores this one", stale.Err, StringComparison.Ordinal);
        Assert.Equal(FormatErrorCodes.DatasetIdMismatch, DsrsCode((await RunAsync(home, null, "dataset", "verify", imported)).Err));
        var written = await RunAsync(home, null, "dataset", "id", imported, "--write");
        Assert.Contains("wrote " + imported + ": dataset_id ", written.Err, StringComparison.Ordinal);
        var verified = await RunAsync(home, null, "dataset", "verify", imported);
        Assert.Equal($"ok {stale.Out.Trim()} complexity 3 example(s)", verified.Out.Trim());

        // Redact with --report: kinds and counts, no values; --show adds them.
        var redacted = root.Combine("redacted.json");
        var report = await RunAsync(home, null, "redact", imported, "-o", redacted, "--report");
        Assert.True(report.Code == 0, report.Err);
        Assert.Matches(@"url\s+1 occurrence\(s\)", report.Out);
        Assert.Matches(@"name\s+\d+ occurrence\(s\)", report.Out);
        Assert.DoesNotContain("ledger-core", report.Out, StringComparison.Ordinal);
        var shown = await RunAsync(home, null, "redact", imported, "-o", root.Combine("shown.json"), "--report", "--show");
        Assert.Contains("<- \"ledger-core\"", shown.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("ledger-core", File.ReadAllText(redacted), StringComparison.Ordinal);

        // --only-public drops the example whose provenance is private; noise moves numbers and keeps labels.
        var filtered = await RunAsync(home, null, "dataset", "filter", redacted, "--only-public", "-o", root.Combine("public.json"));
        Assert.Contains("kept 2 public example(s), removed 1", filtered.Out, StringComparison.Ordinal);
        var noised = await RunAsync(home, null, "dataset", "noise", root.Combine("public.json"), "--field", "estimated_tokens:0.5:1000:0", "-o", root.Combine("noised.json"));
        Assert.True(noised.Code == 0, noised.Err);
        Assert.Contains("estimated_tokens: Laplace noise, scale 2000 (epsilon 0.5, sensitivity 1000)", noised.Out, StringComparison.Ordinal);
        var noisy = Dataset.Load(root.Combine("noised.json"));
        noisy.VerifyId();
        var tokens = noisy.Examples.Select(e => ((JsonNumber)((JsonObject)e["inputs"]!)["estimated_tokens"]!).Value).ToList();
        Assert.All(tokens, t => Assert.True(t >= 0));
        Assert.NotEqual([8000.0, 20000.0], tokens);
        Assert.Equal(["Medium", "High"], noisy.Examples.Select(e => ((JsonObject)e["outputs"]!).GetString("expected_complexity")));

        // Export to DSPy: a JSON list of flat example dicts, and the line that loads it with its inputs marked.
        var dspyPath = root.Combine("train.json");
        var export = await RunAsync(home, null, "dataset", "export", root.Combine("noised.json"), "--to", "dspy", "-o", dspyPath);
        Assert.True(export.Code == 0, export.Err);
        Assert.Contains($"wrote {dspyPath} (2 example(s) from {noisy.StatedId})", export.Out, StringComparison.Ordinal);
        Assert.Contains("dspy.Example(**d).with_inputs(\"task_description\"", export.Out, StringComparison.Ordinal);
        var rows = (JsonArray)JsonParser.Parse(File.ReadAllText(dspyPath));
        Assert.Equal(2, rows.Count);
        Assert.All(rows.Select(r => r.AsObject()!), row =>
        {
            Assert.NotNull(row.GetString("task_description"));
            Assert.NotNull(row.GetString("expected_complexity"));
        });

        // JSONL for `dsrs evaluate`: one {inputs, outputs} line per example.
        Assert.Equal(0, (await RunAsync(home, null, "dataset", "export", root.Combine("noised.json"), "--to", "jsonl", "-o", root.Combine("eval.jsonl"))).Code);
        Assert.All(File.ReadAllLines(root.Combine("eval.jsonl")), line => Assert.NotNull(JsonParser.ParseObject(line)["outputs"]));
    }

    [Fact]
    public async Task A_dataset_is_refused_unredacted_then_listed_found_and_bought_once_through_the_cli()
    {
        using var root = new TempDirectory("cli-dataset-market");
        string sellerHome = root.Combine("seller"), buyerHome = root.Combine("buyer"), ledger = root.Combine("devnet");
        NostrKeyStore.Save(sellerHome, NostrKeyPair.Generate());
        NostrKeyStore.Save(buyerHome, NostrKeyPair.Generate());
        var sellerNode = $"type=dev;name=seller;ledger={ledger}";
        var buyerNode = $"type=dev;name=buyer;ledger={ledger}";
        await using var relay = await EmbeddedRelay.StartAsync(new EmbeddedRelayOptions());
        var relayUrl = relay.Url.AbsoluteUri;

        var imported = root.Combine("ds.json");
        Assert.Equal(0, (await RunAsync(sellerHome, null, "dataset", "import", root.Write("raw.json", Raw), "-o", imported, "--domain", "rust", "--public-repo", "https://github.com/acme/oss-tools")).Code);

        // The scanner names where the private URL and the name learned from it stand; nothing is listed.
        var refused = await RunAsync(sellerHome, null, "publish", imported, "--relay", relayUrl);
        Assert.Equal(1, refused.Code);
        Assert.Equal(Market.MarketErrorCodes.SecretsFound, DsrsCode(refused.Err));
        Assert.Contains("url at $.examples[0].inputs.task_description", refused.Err, StringComparison.Ordinal);
        Assert.Contains("name at $.examples[1].inputs.task_description", refused.Err, StringComparison.Ordinal);

        Directory.CreateDirectory(root.Combine("sell"));
        var sold = root.Combine("sell", "complexity.json");
        Assert.Equal(0, (await RunAsync(sellerHome, null, "redact", imported, "-o", sold)).Code);
        var datasetId = Dataset.Load(sold).VerifyId();
        File.WriteAllText(root.Combine("sell", "prices.json"), $$"""{"{{datasetId}}": 4000}""");

        using var stop = new CancellationTokenSource();
        var serving = new SignalWriter("serving ");
        var serveTask = Program.RunAsync(["serve", "--manifests", root.Combine("sell"), "--node", sellerNode, "--listen", "127.0.0.1:0"], new CliContext { Out = serving, Error = new StringWriter(), Env = n => n == "DSRS_HOME" ? sellerHome : null }, stop.Token);
        var url = (await serving.Signal.WaitAsync(TimeSpan.FromSeconds(30))).Split(" on ")[1].Split(' ')[0];

        var published = await RunAsync(sellerHome, new Dictionary<string, string> { ["DSRS_NODE"] = sellerNode }, "publish", sold, "--relay", relayUrl, "--l402", url, "--json");
        Assert.True(published.Code == 0, published.Err);
        var listing = JsonParser.ParseObject(published.Out);
        Assert.Equal(datasetId, listing.GetString("dataset_id"));
        Assert.Equal("4000", ((JsonNumber)listing["price_msat"]!).Text);

        // search --datasets finds it (and a manifest search does not); the table names it by dataset_id.
        var found = await RunAsync(buyerHome, null, "search", "--datasets", "--family", "complexity", "--domain", "rust", "--relay", relayUrl, "--json");
        Assert.True(found.Code == 0, found.Err);
        var result = JsonParser.ParseObject(found.Out);
        var row = Assert.Single((JsonArray)result["datasets"]!).AsObject()!;
        Assert.Equal((datasetId, "3"), (row.GetString("dataset_id"), ((JsonNumber)row["examples"]!).Text));
        Assert.Equal(datasetId, result.GetString("selected"));
        var table = await RunAsync(buyerHome, null, "search", "--datasets", "--relay", relayUrl);
        Assert.Contains("1 dataset listing(s); 0 left out", table.Out, StringComparison.Ordinal);
        Assert.Contains(datasetId, table.Out, StringComparison.Ordinal);
        Assert.Contains("0 listing(s)", (await RunAsync(buyerHome, null, "search", "--family", "complexity", "--relay", relayUrl)).Out, StringComparison.Ordinal);

        // buy --dataset: a cap below the price refuses before paying; then one payment, then the cache.
        var capped = await RunAsync(buyerHome, null, "buy", datasetId, "--dataset", "--relay", relayUrl, "--node", buyerNode, "--yes", "--max-price", "3999");
        Assert.Equal(1, capped.Code);
        Assert.StartsWith("DSRS0472: ", capped.Err, StringComparison.Ordinal);
        var bought = await RunAsync(buyerHome, null, "buy", datasetId, "--dataset", "--relay", relayUrl, "--node", buyerNode, "--yes", "--max-price", "5000", "--json");
        Assert.True(bought.Code == 0, bought.Err);
        var outcome = JsonParser.ParseObject(bought.Out);
        Assert.Equal(("purchase", "4000"), (outcome.GetString("source"), ((JsonNumber)outcome["price_paid_msat"]!).Text));
        Assert.Equal(datasetId, Dataset.Load(outcome.GetString("cache_path")!).VerifyId());
        var again = await RunAsync(buyerHome, null, "buy", datasetId, "--dataset", "--relay", relayUrl, "--node", buyerNode, "--yes");
        Assert.True(again.Code == 0, again.Err);
        Assert.Contains($"dataset {datasetId} (3 examples) from cache; nothing paid", again.Out, StringComparison.Ordinal);
        Assert.Single((JsonArray)JsonParser.Parse((await RunAsync(buyerHome, null, "payments", "--json")).Out)); // paid once, never for the cap or the cache

        await stop.CancelAsync();
        Assert.Equal(0, await serveTask.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    private static string DsrsCode(string err) => err.Length >= 8 && err.StartsWith("DSRS", StringComparison.Ordinal) ? err[..8] : err;
}
