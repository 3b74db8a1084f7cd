using ManifestBuild.Evaluation.Examples;
using ManifestBuild.Evaluation.Reporting;
using ManifestBuild.Evaluation.Running;
using ManifestBuild.Evaluation.Statistics;
using ManifestBuild.TestSupport;

namespace ManifestBuild.Evaluation.Tests;

/// <summary>The evaluator end to end: the official OpenAI adapter against a loopback chat completions server.</summary>
public sealed class EvaluatorTests
{
    private const string Model = "loopback-model-1";
    private static readonly string Key = "test-" + "key-" + Guid.NewGuid().ToString("N");

    private static ExampleSet Examples(IEnumerable<(string Code, string Label)> rows) => ExampleSet.Parse(ComplexityWorld.JsonLines(rows), ["code"], ["complexity"]);

    private static EvaluationOptions Options(OpenAiLoopbackServer server, string home, bool baseline = false, int parallelism = 4, double timeoutSeconds = 30)
    {
        var endpoint = ChatEndpoint.FromEnvironment(name => name switch
        {
            ChatEndpoint.BaseUrlVariable => server.BaseUrl.AbsoluteUri,
            ChatEndpoint.ModelVariable => Model,
            ChatEndpoint.ApiKeyVariable => Key,
            _ => null,
        });
        return new EvaluationOptions
        {
            Client = endpoint.CreateClient(TimeSpan.FromSeconds(timeoutSeconds)),
            ModelId = endpoint.Model,
            Cache = ResponseCache.ForHome(home),
            Baseline = baseline,
            MaxParallelism = parallelism,
            Retry = new RetryPolicy { BaseDelay = TimeSpan.FromMilliseconds(20) },
        };
    }

    [Fact]
    public async Task Reports_exactly_the_accuracy_the_model_earns_and_holds_the_claim_to_account()
    {
        using var home = new TempDirectory("eval");
        await using var server = await OpenAiLoopbackServer.StartAsync(Key, ComplexityWorld.Answer);
        var report = await ManifestEvaluator.EvaluateAsync(ComplexityWorld.Manifest(), Examples(ComplexityWorld.Ten), Options(server, home.Path));

        var expected = ComplexityWorld.Ten.Count(r => ComplexityWorld.Rule(r.Code) == r.Label);
        Assert.Equal(7, expected);
        Assert.Equal(10, report.N);
        Assert.Equal(expected / 10.0, report.Accuracy, 12);
        Assert.Equal(WilsonInterval.Compute(7, 10), report.Measured.Interval);
        Assert.Equal(0.9, report.ClaimedAccuracy);
        Assert.Equal(200, report.ClaimedHoldoutSize);

        // P(X <= 7 | 10, 0.9) = 0.0702: seven of ten does not show a 0.9 claim false.
        Assert.Equal(VerdictKind.Consistent, report.Verdict.Kind);
        Assert.Equal(0.0701908264, report.Verdict.PValue!.Value, 9);
        Assert.Equal(10, server.Requests.Count);
        Assert.All(server.Requests, r => Assert.Equal(Model, r.Model));
        Assert.All(server.Requests, r => Assert.Equal("Bearer " + Key, r.Authorization));
        Assert.DoesNotContain(Key, report.ToText() + report.ToJson() + report.ResultsJsonLines(), StringComparison.Ordinal);
        Assert.All(Directory.GetFiles(home.Combine(ResponseCache.FolderName)), f => Assert.DoesNotContain(Key, File.ReadAllText(f), StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_clearly_lower_accuracy_is_reported_below_the_claim_with_the_test()
    {
        using var home = new TempDirectory("eval");
        await using var server = await OpenAiLoopbackServer.StartAsync(Key, ComplexityWorld.Answer);
        var forty = Enumerable.Range(0, 4).SelectMany(copy => ComplexityWorld.Ten.Select(r => (r.Code + " # " + copy, r.Label))).ToArray();
        var report = await ManifestEvaluator.EvaluateAsync(ComplexityWorld.Manifest(), Examples(forty), Options(server, home.Path));

        Assert.Equal(28 / 40.0, report.Accuracy, 12);
        Assert.Equal(VerdictKind.Below, report.Verdict.Kind);
        Assert.Equal(0.000380834267, report.Verdict.PValue!.Value, 9);
        Assert.Contains("one-sided exact binomial test", report.Verdict.Summary, StringComparison.Ordinal);
        Assert.Contains("below the claimed 0.9", report.ToText(), StringComparison.Ordinal);
        var gate = Assert.Throws<ManifestBuild.Format.DsrsException>(() => report.EnsureAtLeast(0.8));
        Assert.Equal(EvaluationErrorCodes.BelowMinimum, gate.Code);
        report.EnsureAtLeast(0.7);
    }

    [Fact]
    public async Task The_baseline_runs_with_dspys_default_instruction_and_no_demos_and_the_lift_is_reported()
    {
        using var home = new TempDirectory("eval");
        await using var server = await OpenAiLoopbackServer.StartAsync(Key, ComplexityWorld.Answer);
        var report = await ManifestEvaluator.EvaluateAsync(ComplexityWorld.Manifest(), Examples(ComplexityWorld.Ten), Options(server, home.Path, baseline: true));

        Assert.Equal(0.7, report.Accuracy, 12);
        Assert.Equal(0.6, report.Baseline!.Accuracy, 12);
        Assert.Equal(0.1, report.Lift!.Value, 12);
        Assert.Equal(0, report.Baseline.DemoCount);
        var baselineRequests = server.Requests.Where(r => !r.System.Contains(ComplexityWorld.Instruction, StringComparison.Ordinal)).ToList();
        Assert.Equal(10, baselineRequests.Count);
        Assert.All(baselineRequests, r => Assert.Contains("Given the fields `code`, produce the fields `complexity`.", r.System, StringComparison.Ordinal));
        Assert.Contains("lift +0.1", report.ToText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_second_run_answers_from_the_cache_and_sends_no_request()
    {
        using var home = new TempDirectory("eval");
        await using var server = await OpenAiLoopbackServer.StartAsync(Key, ComplexityWorld.Answer);
        var first = await ManifestEvaluator.EvaluateAsync(ComplexityWorld.Manifest(), Examples(ComplexityWorld.Ten), Options(server, home.Path));
        Assert.Equal(10, server.Requests.Count);
        Assert.Equal(0, first.Measured.FromCache);

        var second = await ManifestEvaluator.EvaluateAsync(ComplexityWorld.Manifest(), Examples(ComplexityWorld.Ten), Options(server, home.Path));
        Assert.Equal(10, server.Requests.Count);
        Assert.Equal(10, second.Measured.FromCache);
        Assert.Equal(first.Accuracy, second.Accuracy);
        Assert.Contains("0 sent, 10 answered from the cache", second.ToText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rate_limits_and_server_errors_are_retried_honouring_retry_after()
    {
        using var home = new TempDirectory("eval");
        await using var server = await OpenAiLoopbackServer.StartAsync(Key, ComplexityWorld.Answer);
        var rows = ComplexityWorld.Ten.ToArray();
        rows[0] = (rows[0].Code + " # " + ComplexityWorld.RateLimitOnce, rows[0].Label);
        rows[2] = (rows[2].Code + " # " + ComplexityWorld.FailOnce, rows[2].Label);
        var report = await ManifestEvaluator.EvaluateAsync(ComplexityWorld.Manifest(), Examples(rows), Options(server, home.Path));

        Assert.Equal(0.7, report.Accuracy, 12);
        Assert.Equal(2, report.Retries);
        Assert.Equal(12, server.Requests.Count);
        var limited = server.Requests.Where(r => r.LastUser.Contains(ComplexityWorld.RateLimitOnce, StringComparison.Ordinal)).ToList();
        Assert.Equal(2, limited.Count);

        // The server asked for one second (Retry-After: 1); the backoff alone would have been 20 ms.
        Assert.True(limited[1].At - limited[0].At >= TimeSpan.FromMilliseconds(950), $"retried after {(limited[1].At - limited[0].At).TotalMilliseconds} ms");
    }

    [Fact]
    public async Task An_answer_slower_than_the_timeout_is_asked_again()
    {
        using var home = new TempDirectory("eval");
        await using var server = await OpenAiLoopbackServer.StartAsync(Key, ComplexityWorld.Answer);
        var rows = ComplexityWorld.Ten.ToArray();
        rows[3] = (rows[3].Code + " # " + ComplexityWorld.Slow, rows[3].Label); // the gate stays shut: the first attempt never answers
        var report = await ManifestEvaluator.EvaluateAsync(ComplexityWorld.Manifest(), Examples(rows), Options(server, home.Path, timeoutSeconds: 2));

        // On a loaded machine another answer may also miss the short timeout and be asked again: that is the point.
        Assert.Equal(0.7, report.Accuracy, 12);
        Assert.True(report.Retries >= 1);
        Assert.True(server.Requests.Count(r => r.LastUser.Contains(ComplexityWorld.Slow, StringComparison.Ordinal)) >= 2);
    }

    [Fact]
    public async Task A_malformed_choice_scores_zero_with_the_reason_and_is_not_cached()
    {
        using var home = new TempDirectory("eval");
        await using var server = await OpenAiLoopbackServer.StartAsync(Key, ComplexityWorld.Answer);
        var rows = ComplexityWorld.Ten.ToArray();
        rows[0] = (rows[0].Code + " # " + ComplexityWorld.Malformed, rows[0].Label); // a row the rule gets right
        var report = await ManifestEvaluator.EvaluateAsync(ComplexityWorld.Manifest(), Examples(rows), Options(server, home.Path));

        Assert.Equal(0.6, report.Accuracy, 12);
        var failed = Assert.Single(report.Measured.Results, r => r.Error is not null);
        Assert.Equal(0, failed.Index);
        Assert.Contains("\"error\"", report.ResultsJsonLines(), StringComparison.Ordinal);

        var again = await ManifestEvaluator.EvaluateAsync(ComplexityWorld.Manifest(), Examples(rows), Options(server, home.Path));
        Assert.Equal(11, server.Requests.Count);
        Assert.Equal(9, again.Measured.FromCache);
    }

    [Fact]
    public async Task A_cancelled_run_resumes_without_asking_again_what_was_answered()
    {
        using var home = new TempDirectory("eval");
        await using var server = await OpenAiLoopbackServer.StartAsync(Key, ComplexityWorld.Answer);
        var rows = ComplexityWorld.Ten.ToArray();
        rows[4] = (rows[4].Code + " # " + ComplexityWorld.Slow, rows[4].Label);
        using var cancel = new CancellationTokenSource();
        var run = ManifestEvaluator.EvaluateAsync(ComplexityWorld.Manifest(), Examples(rows), Options(server, home.Path, parallelism: 1), cancel.Token);
        await server.SlowRequestArrived.WaitAsync(TimeSpan.FromSeconds(30));
        cancel.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        Assert.Equal(5, server.Requests.Count);

        server.OpenGate();
        var resumed = await ManifestEvaluator.EvaluateAsync(ComplexityWorld.Manifest(), Examples(rows), Options(server, home.Path, parallelism: 1));
        Assert.Equal(0.7, resumed.Accuracy, 12);
        Assert.Equal(4, resumed.Measured.FromCache);
        Assert.Equal(11, server.Requests.Count);
        Assert.All(server.Requests.GroupBy(r => r.LastUser), g => Assert.True(g.Count() == 1 || g.Key.Contains(ComplexityWorld.Slow, StringComparison.Ordinal), "asked twice: " + g.Key));
    }

    [Fact]
    public async Task An_untyped_manifest_takes_its_fields_from_the_examples_and_compares_text()
    {
        using var home = new TempDirectory("eval");
        await using var server = await OpenAiLoopbackServer.StartAsync(Key, ComplexityWorld.Answer);
        var json = new ManifestBuild.Format.Json.JsonObject().Add("format", "dsrs.manifest/1").Add("signature_name", "Untyped").Add("instruction", ComplexityWorld.Instruction);
        json.Add("compiled_id", ManifestBuild.Format.CompiledId.Compute(json));

        // The model capitalises its labels; with no schema they are text, so only capitalised labels match.
        var rows = ComplexityWorld.Ten.Select((r, i) => (r.Code, i < 5 ? char.ToUpperInvariant(r.Label[0]) + r.Label[1..] : r.Label));
        var report = await ManifestEvaluator.EvaluateAsync(ManifestBuild.Format.Manifest.FromJson(json), ExampleSet.Parse(ComplexityWorld.JsonLines(rows), null, null), Options(server, home.Path));

        Assert.Equal(0.5, report.Accuracy, 12);
        Assert.Null(report.ClaimedAccuracy);
        Assert.Equal(VerdictKind.NoClaim, report.Verdict.Kind);
        Assert.All(server.Requests, r => Assert.Contains("`complexity` (str)", r.System, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_refused_key_fails_the_run_without_showing_the_key()
    {
        using var home = new TempDirectory("eval");
        await using var server = await OpenAiLoopbackServer.StartAsync("another-" + "key", ComplexityWorld.Answer);
        var e = await Assert.ThrowsAsync<ManifestBuild.Format.DsrsException>(() => ManifestEvaluator.EvaluateAsync(ComplexityWorld.Manifest(), Examples(ComplexityWorld.Ten), Options(server, home.Path)));
        Assert.Equal(EvaluationErrorCodes.EndpointFailed, e.Code);
        Assert.Contains("HTTP 401", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, e.ToString(), StringComparison.Ordinal);
    }
}
