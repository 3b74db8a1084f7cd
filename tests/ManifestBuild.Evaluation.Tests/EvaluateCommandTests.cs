using ManifestBuild.Cli;
using ManifestBuild.Evaluation.Running;
using ManifestBuild.Format;
using ManifestBuild.Format.Caching;
using ManifestBuild.Format.Json;
using ManifestBuild.Format.Locking;
using ManifestBuild.TestSupport;

namespace ManifestBuild.Evaluation.Tests;

/// <summary>`dsrs evaluate` in-process against the loopback chat completions server.</summary>
public sealed class EvaluateCommandTests
{
    private static readonly string Key = "test-" + "key-" + Guid.NewGuid().ToString("N");

    private static async Task<(int Code, string Out, string Err)> RunAsync(string home, OpenAiLoopbackServer? server, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var env = new Dictionary<string, string?>
        {
            ["DSRS_HOME"] = home,
            [ChatEndpoint.BaseUrlVariable] = server?.BaseUrl.AbsoluteUri,
            [ChatEndpoint.ModelVariable] = server is null ? null : "loopback-model-1",
            [ChatEndpoint.ApiKeyVariable] = Key,
        };
        var code = await Program.RunAsync(args, new CliContext { Out = output, Error = error, Env = name => env.GetValueOrDefault(name) });
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Evaluate_reports_the_exact_accuracy_as_json_and_a_rerun_costs_nothing()
    {
        using var dir = new TempDirectory("eval-cli");
        await using var server = await OpenAiLoopbackServer.StartAsync(Key, ComplexityWorld.Answer);
        var manifest = dir.Write("complexity.json", JsonWriter.WriteFile(ComplexityWorld.ManifestJson()));
        var examples = dir.Write("dev.jsonl", ComplexityWorld.JsonLines(ComplexityWorld.Ten));
        var results = dir.Combine("results.jsonl");

        var run = await RunAsync(dir.Combine("home"), server, "evaluate", manifest, "--examples", examples, "--json", "--results", results, "--baseline");
        Assert.True(run.Code == 0, run.Err);
        var report = JsonParser.ParseObject(run.Out);
        Assert.Equal(0.7, ((JsonNumber)report["accuracy"]!).Value, 12);
        Assert.Equal(10, ((JsonNumber)report["n"]!).Value);
        Assert.Equal(0.3967781474611, ((JsonNumber)((JsonArray)report["wilson95"]!)[0]).Value, 9);
        Assert.Equal(0.8922087325937, ((JsonNumber)((JsonArray)report["wilson95"]!)[1]).Value, 9);
        Assert.Equal(0.9, ((JsonNumber)report["claimed"]!.AsObject()!["accuracy"]!).Value);
        Assert.Equal(200, ((JsonNumber)report["claimed"]!.AsObject()!["holdout_size"]!).Value);
        Assert.Equal("consistent", report["verdict"]!.AsObject()!.GetString("result"));
        Assert.Equal(0.1, ((JsonNumber)report["lift"]!).Value, 12);
        Assert.Equal("loopback-model-1", report.GetString("model"));
        Assert.Equal(20, File.ReadAllLines(results).Length);
        Assert.Contains("manifest: 10/10", run.Err, StringComparison.Ordinal);
        Assert.Equal(20, server.Requests.Count);

        var again = await RunAsync(dir.Combine("home"), server, "evaluate", manifest, "--examples", examples, "--baseline");
        Assert.True(again.Code == 0, again.Err);
        Assert.Equal(20, server.Requests.Count);
        Assert.Contains("accuracy 0.7 (7/10)", again.Out, StringComparison.Ordinal);
        Assert.Contains("0 sent, 20 answered from the cache", again.Out, StringComparison.Ordinal);

        // The key went to the server and nowhere else.
        Assert.All(server.Requests, r => Assert.Equal("Bearer " + Key, r.Authorization));
        var written = Directory.GetFiles(dir.Path, "*", SearchOption.AllDirectories).Select(File.ReadAllText);
        Assert.DoesNotContain(Key, run.Out + run.Err + again.Out + again.Err + string.Concat(written), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Evaluate_finds_a_project_item_through_obj_dsrs_or_the_lockfile_and_the_cache()
    {
        using var dir = new TempDirectory("eval-cli");
        await using var server = await OpenAiLoopbackServer.StartAsync(Key, ComplexityWorld.Answer);
        var home = dir.Combine("home");
        var manifest = Manifest.FromJson(ComplexityWorld.ManifestJson());
        var id = manifest.VerifyCompiledId();
        new ManifestCache(home).Put(manifest);
        var project = dir.Combine("agent");
        Directory.CreateDirectory(project);
        var lockFile = new LockFile();
        lockFile.Manifests["Complexity"] = new LockEntry { SignatureName = manifest.SignatureName, CompiledId = id };
        await lockFile.WriteAsync(Path.Combine(project, LockFile.FileName));
        var examples = dir.Write("dev.jsonl", ComplexityWorld.JsonLines(ComplexityWorld.Ten));

        var byLock = await RunAsync(home, server, "evaluate", "Complexity", "--project", project, "--examples", examples);
        Assert.True(byLock.Code == 0, byLock.Err);
        Assert.Contains($"item Complexity of {Path.Combine(project, LockFile.FileName)}, from the cache", byLock.Err, StringComparison.Ordinal);
        Assert.Contains("accuracy 0.7", byLock.Out, StringComparison.Ordinal);

        var byId = await RunAsync(home, server, "evaluate", id, "--examples", examples);
        Assert.True(byId.Code == 0, byId.Err);

        dir.Write(Path.Combine("agent", "obj", "dsrs", "Planner.json"), manifest.ToFileText());
        var byObj = await RunAsync(home, server, "evaluate", "Planner", "--project", project, "--examples", examples);
        Assert.True(byObj.Code == 0, byObj.Err);
        Assert.Contains("item Planner", byObj.Err, StringComparison.Ordinal);

        var missing = await RunAsync(home, server, "evaluate", "Nothing", "--project", project, "--examples", examples);
        Assert.Equal(1, missing.Code);
        Assert.Contains(EvaluationErrorCodes.ManifestNotFound, missing.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_minimum_gate_usage_errors_and_a_missing_endpoint_are_refused_with_their_codes()
    {
        using var dir = new TempDirectory("eval-cli");
        await using var server = await OpenAiLoopbackServer.StartAsync(Key, ComplexityWorld.Answer);
        var manifest = dir.Write("complexity.json", JsonWriter.WriteFile(ComplexityWorld.ManifestJson()));
        var examples = dir.Write("dev.jsonl", ComplexityWorld.JsonLines(ComplexityWorld.Ten));

        var gate = await RunAsync(dir.Combine("home"), server, "evaluate", manifest, "--examples", examples, "--min-accuracy", "0.8");
        Assert.Equal(1, gate.Code);
        Assert.Contains("DSRS1206", gate.Err, StringComparison.Ordinal);
        Assert.Contains("accuracy 0.7", gate.Out, StringComparison.Ordinal);

        var usage = await RunAsync(dir.Combine("home"), server, "evaluate", manifest, "--examples", examples, "--parallel", "0");
        Assert.Equal(2, usage.Code);
        Assert.Contains("DSRS1208", usage.Err, StringComparison.Ordinal);
        var metric = await RunAsync(dir.Combine("home"), server, "evaluate", manifest, "--examples", examples, "--metric", "field:nope");
        Assert.Equal(1, metric.Code);
        Assert.Contains("DSRS1203", metric.Err, StringComparison.Ordinal);

        var noEndpoint = await RunAsync(dir.Combine("home"), null, "evaluate", manifest, "--examples", examples);
        Assert.Equal(1, noEndpoint.Code);
        Assert.Contains("DSRS1204", noEndpoint.Err, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, gate.Out + gate.Err + usage.Err + metric.Err + noEndpoint.Err, StringComparison.Ordinal);
    }
}
