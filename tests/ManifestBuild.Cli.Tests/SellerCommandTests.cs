using System.Net;
using ManifestBuild.Cli;
using ManifestBuild.Format;
using ManifestBuild.Format.Json;
using ManifestBuild.Lightning.Bolt11;
using ManifestBuild.Market.L402;
using ManifestBuild.Nostr;
using ManifestBuild.Relay;
using ManifestBuild.TestSupport;

namespace ManifestBuild.Cli.Tests;

/// <summary>dsrs serve and dsrs publish: one price (the catalog's), and a public bind only when asked for.</summary>
public sealed class SellerCommandTests
{
    private static JsonObject Manifest(string instruction)
    {
        var m = new JsonObject()
            .Add("format", "dsrs.manifest/1")
            .Add("signature_name", "PricedSignature")
            .Add("family", "complexity")
            .Add("instruction", instruction)
            .Add("inputs", new JsonArray().Add(new JsonObject().Add("name", "code").Add("type", "string")))
            .Add("outputs", new JsonArray().Add(new JsonObject().Add("name", "complexity").Add("type", "enum").Add("values", JsonArray.OfStrings(["simple", "complex"]))))
            .Add("demos", new JsonArray())
            .Add("scorecard", new JsonObject().Add("median_score", 0.9).Add("rollouts", 8).Add("accuracy", 0.9))
            .Add("domain_tags", JsonArray.OfStrings(["rust"]))
            .Add("example_count", 50L);
        m.Add("compiled_id", CompiledId.Compute(m));
        return m;
    }

    private static async Task<(int Code, string Out, string Err)> RunAsync(string home, IDictionary<string, string>? env, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await Program.RunAsync(args, new CliContext { Out = output, Error = error, Env = name => name == "DSRS_HOME" ? home : env?.TryGetValue(name, out var v) == true ? v : null });
        return (code, output.ToString(), error.ToString());
    }

    [Theory]
    [InlineData("0.0.0.0:0")]
    [InlineData("[::]:0")]
    [InlineData("192.0.2.7:8402")]
    public async Task A_non_loopback_listen_address_needs_public_and_is_a_usage_error(string listen)
    {
        using var root = new TempDirectory("cli-serve-public");
        Directory.CreateDirectory(root.Combine("sell"));
        var result = await RunAsync(root.Combine("home"), null, "serve", "--manifests", root.Combine("sell"), "--node", "type=dev;name=s;ledger=" + root.Combine("devnet"), "--listen", listen);
        Assert.Equal(2, result.Code);
        Assert.Contains("DSRS0580", result.Err, StringComparison.Ordinal);
        Assert.Contains("--public", result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_takes_no_price_of_its_own()
    {
        using var root = new TempDirectory("cli-serve-price");
        Directory.CreateDirectory(root.Combine("sell"));
        var result = await RunAsync(root.Combine("home"), null, "serve", "--manifests", root.Combine("sell"), "--listen", "127.0.0.1:0", "--price", "1000");
        Assert.Equal(2, result.Code);
        Assert.Contains("DSRS0580", result.Err, StringComparison.Ordinal);
        Assert.Contains("prices.json", result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Publish_and_serve_cannot_disagree_on_the_price()
    {
        using var root = new TempDirectory("cli-one-price");
        string sellerHome = root.Combine("seller"), buyerHome = root.Combine("buyer"), ledger = root.Combine("devnet");
        NostrKeyStore.Save(sellerHome, NostrKeyPair.Generate());
        var sellerNode = $"type=dev;name=seller;ledger={ledger}";
        await using var relay = await EmbeddedRelay.StartAsync(new EmbeddedRelayOptions());
        var relayUrl = relay.Url.AbsoluteUri;
        var sell = root.Combine("sell");
        Directory.CreateDirectory(sell);
        var manifest = Manifest("Classify the complexity.");
        var id = manifest.GetString("compiled_id")!;
        var path = Path.Combine(sell, "m.json");
        File.WriteAllText(path, JsonWriter.WriteFile(manifest));
        File.WriteAllText(Path.Combine(sell, "prices.json"), $"{{\"{id}\": 20000}}");

        using var stop = new CancellationTokenSource();
        var serving = new LineSignal("serving ");
        var serveTask = Program.RunAsync(["serve", "--manifests", sell, "--node", sellerNode, "--listen", "127.0.0.1:0"], new CliContext { Out = serving, Error = new StringWriter(), Env = n => n == "DSRS_HOME" ? sellerHome : null }, stop.Token);
        var line = await serving.Signal.WaitAsync(TimeSpan.FromSeconds(60));
        var url = line.Split(" on ")[1].Split(' ')[0];
        var sellerEnv = new Dictionary<string, string> { ["DSRS_NODE"] = sellerNode };

        // The issue's mistake, made on purpose: a listing at another price than the one served.
        var wrong = await RunAsync(sellerHome, sellerEnv, "publish", path, "--relay", relayUrl, "--price", "1000", "--l402", url);
        Assert.Equal(1, wrong.Code);
        Assert.Contains("DSRS0585", wrong.Err, StringComparison.Ordinal);
        Assert.Contains("20000", wrong.Err, StringComparison.Ordinal);

        // A manifest outside the catalog cannot be listed as paid either.
        var elsewhere = root.Write("other.json", JsonWriter.WriteFile(Manifest("Another one.")));
        var outside = await RunAsync(sellerHome, sellerEnv, "publish", elsewhere, "--relay", relayUrl, "--l402", url);
        Assert.Equal(1, outside.Code);
        Assert.Contains("DSRS0586", outside.Err, StringComparison.Ordinal);

        // Without --price the listing takes the catalog's price, and a buyer pays exactly that.
        var published = await RunAsync(sellerHome, sellerEnv, "publish", path, "--relay", relayUrl, "--l402", url);
        Assert.True(published.Code == 0, published.Err);
        Assert.Contains("(20000 msat)", published.Out, StringComparison.Ordinal);
        var buy = await RunAsync(buyerHome, null, "buy", id, "--relay", relayUrl, "--node", $"type=dev;name=buyer;ledger={ledger}", "--max-price", "25000", "--yes");
        Assert.True(buy.Code == 0, buy.Err);
        Assert.Contains("paid 20000 msat", buy.Out, StringComparison.Ordinal);

        // And the seller invoices that same price.
        using var http = new HttpClient();
        using var challenged = await http.GetAsync(new Uri(new Uri(url), "manifests/" + id));
        Assert.Equal(HttpStatusCode.PaymentRequired, challenged.StatusCode);
        Assert.Equal(20000, Bolt11Decoder.Decode(L402Challenge.Parse(challenged.Headers.GetValues("WWW-Authenticate")).Invoice).AmountMsat);

        await stop.CancelAsync();
        Assert.Equal(0, await serveTask.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    /// <summary>Completes <see cref="Signal"/> with the first written line that starts with the prefix.</summary>
    private sealed class LineSignal(string prefix) : StringWriter
    {
        private readonly TaskCompletionSource<string> signal = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<string> Signal => signal.Task;

        public override Task WriteLineAsync(string? value)
        {
            if (value is not null && value.StartsWith(prefix, StringComparison.Ordinal))
            {
                signal.TrySetResult(value);
            }

            return base.WriteLineAsync(value);
        }
    }
}
