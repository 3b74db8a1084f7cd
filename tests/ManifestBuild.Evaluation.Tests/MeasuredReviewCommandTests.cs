using System.Text;
using ManifestBuild.Cli;
using ManifestBuild.Evaluation.Running;
using ManifestBuild.Format.Json;
using ManifestBuild.Nostr;
using ManifestBuild.Relay;
using ManifestBuild.TestSupport;

namespace ManifestBuild.Evaluation.Tests;

/// <summary>Buy, evaluate, publish a measured review, and see the claim beside the measurement: all through the CLI on loopback.</summary>
public sealed class MeasuredReviewCommandTests
{
    private static readonly string Key = "test-" + "key-" + Guid.NewGuid().ToString("N");

    [Fact]
    public async Task A_buyer_measures_a_bought_manifest_and_the_market_shows_the_measurement_beside_the_claim()
    {
        using var root = new TempDirectory("eval-measured");
        string sellerHome = root.Combine("seller"), buyerHome = root.Combine("buyer"), strangerHome = root.Combine("stranger"), ledger = root.Combine("devnet");
        NostrKeyStore.Save(sellerHome, NostrKeyPair.Generate());
        NostrKeyStore.Save(buyerHome, NostrKeyPair.Generate());
        NostrKeyStore.Save(strangerHome, NostrKeyPair.Generate());
        var sellerNode = $"type=dev;name=seller;ledger={ledger}";
        var buyerNode = $"type=dev;name=buyer;ledger={ledger}";
        await using var relay = await EmbeddedRelay.StartAsync(new EmbeddedRelayOptions());
        await using var model = await OpenAiLoopbackServer.StartAsync(Key, ComplexityWorld.Answer);
        var relayUrl = relay.Url.AbsoluteUri;
        var manifestJson = ComplexityWorld.ManifestJson();
        var id = manifestJson.GetString("compiled_id")!;
        Directory.CreateDirectory(root.Combine("sell"));
        var manifestPath = root.Write(Path.Combine("sell", "complexity.json"), JsonWriter.WriteFile(manifestJson));
        root.Write(Path.Combine("sell", "prices.json"), """{"default": 4000}""");
        var examples = root.Write("dev.jsonl", ComplexityWorld.JsonLines(ComplexityWorld.Ten));

        using var stop = new CancellationTokenSource();
        var serving = new LineSignal("serving ");
        var serveTask = Program.RunAsync(["serve", "--manifests", root.Combine("sell"), "--node", sellerNode, "--listen", "127.0.0.1:0"], new CliContext { Out = serving, Error = new StringWriter(), Env = n => n == "DSRS_HOME" ? sellerHome : null }, stop.Token);
        var url = (await serving.Signal.WaitAsync(TimeSpan.FromSeconds(30))).Split(" on ")[1].Split(' ')[0];
        var published = await RunAsync(sellerHome, model, new() { ["DSRS_NODE"] = sellerNode }, "publish", manifestPath, "--relay", relayUrl, "--price", "4000", "--l402", url);
        Assert.True(published.Code == 0, published.Err);

        // Before buying there is nothing to evaluate but the claim.
        var before = await RunAsync(buyerHome, model, null, "evaluate", id, "--examples", examples);
        Assert.Equal(1, before.Code);
        Assert.Contains("buy it first", before.Err, StringComparison.Ordinal);

        var buy = await RunAsync(buyerHome, model, null, "buy", id, "--relay", relayUrl, "--node", buyerNode, "--max-price", "5000", "--yes");
        Assert.True(buy.Code == 0, buy.Err);
        var evaluated = await RunAsync(buyerHome, model, null, "evaluate", id, "--examples", examples, "--json");
        Assert.True(evaluated.Code == 0, evaluated.Err);
        var report = root.Write("report.json", evaluated.Out);

        // A stranger without the purchase cannot publish a measurement.
        var stranger = await RunAsync(strangerHome, model, null, "review", id, "--rating", "1", "--measured", report, "--relay", relayUrl);
        Assert.Equal(1, stranger.Code);
        Assert.Contains("DSRS0576", stranger.Err, StringComparison.Ordinal);

        // Nor does a report of another manifest pass for this one.
        var other = root.Write("other.json", evaluated.Out.Replace(id, new string('c', 64), StringComparison.Ordinal));
        var wrong = await RunAsync(buyerHome, model, null, "review", id, "--rating", "4", "--measured", other, "--relay", relayUrl);
        Assert.Equal(1, wrong.Code);
        Assert.Contains("DSRS0577", wrong.Err, StringComparison.Ordinal);

        var review = await RunAsync(buyerHome, model, null, "review", id, "--rating", "4", "--comment", "fine on our code", "--measured", report, "--relay", relayUrl);
        Assert.True(review.Code == 0, review.Err);
        Assert.Contains("verified-purchase review", review.Out, StringComparison.Ordinal);
        Assert.Contains("measured 0.7 over 10 example(s), metric exact, model loopback-model-1", review.Out, StringComparison.Ordinal);

        // 7 of 10 pooled: 0.70 ± 1.96·sqrt(0.21/10) = 0.28.
        const string Shown = "claimed 0.9; measured 0.70 ± 0.28 over 1 verified buyer (10 examples)";
        var search = await RunAsync(strangerHome, model, null, "search", "--family", "complexity", "--relay", relayUrl);
        Assert.True(search.Code == 0, search.Err);
        Assert.Contains(Shown, search.Out, StringComparison.Ordinal);
        var ranked = await RunAsync(strangerHome, model, null, "search", "--family", "complexity", "--relay", relayUrl, "--rank-measured", "1");
        Assert.Contains("accuracy 0.7 measured by 1 verified buyer(s), claimed 0.9", ranked.Out, StringComparison.Ordinal);
        Assert.Contains("ranked by measured accuracy where at least 1 verified buyer(s) measured it", ranked.Out, StringComparison.Ordinal);
        var searchJson = JsonParser.ParseObject((await RunAsync(strangerHome, model, null, "search", "--family", "complexity", "--relay", relayUrl, "--json")).Out);
        var measured = ((JsonArray)searchJson["listings"]!)[0].AsObject()!["measured"]!.AsObject()!;
        Assert.Equal(1, ((JsonNumber)measured["buyers"]!).Value);
        Assert.Equal(0.7, ((JsonNumber)measured["mean"]!).Value, 12);
        var reputation = await RunAsync(strangerHome, model, null, "reputation", NostrKeyStore.Load(sellerHome).PublicKeyHex, "--relay", relayUrl);
        Assert.Contains(Shown, reputation.Out, StringComparison.Ordinal);

        await stop.CancelAsync();
        Assert.Equal(0, await serveTask.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    private static async Task<(int Code, string Out, string Err)> RunAsync(string home, OpenAiLoopbackServer model, Dictionary<string, string>? extra, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var env = new Dictionary<string, string?>
        {
            ["DSRS_HOME"] = home,
            [ChatEndpoint.BaseUrlVariable] = model.BaseUrl.AbsoluteUri,
            [ChatEndpoint.ModelVariable] = "loopback-model-1",
            [ChatEndpoint.ApiKeyVariable] = Key,
        };
        foreach (var (name, value) in extra ?? [])
        {
            env[name] = value;
        }

        var code = await Program.RunAsync(args, new CliContext { Out = output, Error = error, Env = name => env.GetValueOrDefault(name) });
        Assert.DoesNotContain(Key, output.ToString() + error, StringComparison.Ordinal);
        return (code, output.ToString(), error.ToString());
    }

    /// <summary>Completes <see cref="Signal"/> with the first written line that starts with the prefix.</summary>
    private sealed class LineSignal(string prefix) : StringWriter
    {
        private readonly TaskCompletionSource<string> signal = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly StringBuilder line = new();

        public Task<string> Signal => signal.Task;

        public override void Write(char value)
        {
            lock (line)
            {
                if (value != '\n')
                {
                    line.Append(value);
                    return;
                }

                var text = line.ToString().TrimEnd('\r');
                line.Clear();
                if (text.StartsWith(prefix, StringComparison.Ordinal))
                {
                    signal.TrySetResult(text);
                }
            }
        }

        public override void Write(string? value)
        {
            foreach (var c in value ?? string.Empty)
            {
                Write(c);
            }
        }

        public override Task WriteAsync(string? value)
        {
            Write(value);
            return Task.CompletedTask;
        }

        public override Task WriteLineAsync(string? value)
        {
            Write(value + "\n");
            return Task.CompletedTask;
        }

        public override void WriteLine(string? value) => Write(value + "\n");
    }
}
