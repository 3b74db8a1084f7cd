using ManifestBuild.Format;
using ManifestBuild.Format.Locking;
using ManifestBuild.Tasks.Tests.Support;
using ManifestBuild.TestSupport;

namespace ManifestBuild.Cli.Tests.GettingStarted;

/// <summary>
/// docs/getting-started.md followed as a new user would, with only the .NET SDK: pack the clone into
/// the folder feed, install the dsrs tool from it, `dotnet new console`, `dsrs init`, a market on this
/// machine (relay, seller, listing), `dotnet build` (which pays from the buyer's dev node) and a typed
/// call. The only departures from the page: the tool goes into a private --tool-path instead of
/// --global, the relay and the seller listen on free ports instead of 7777 and 8402, and the build
/// restores into a private NuGet folder (reading third-party packages from the global one), so that
/// the user's machine keeps no trace of the test.
/// </summary>
public sealed class GettingStartedTests
{
    private static readonly TimeSpan Short = TimeSpan.FromMinutes(2);

    [Fact]
    [Trait("Category", "EndToEnd")]
    public async Task A_new_user_goes_from_dotnet_new_console_to_a_paid_typed_call()
    {
        using var root = new TempDirectory("dsrs-getting-started");
        var home = root.Combine("home");
        var feed = Path.Combine(home, "feed");
        var tools = root.Combine("tools");
        var work = root.Combine("work");
        Directory.CreateDirectory(work);
        var global = Environment.GetEnvironmentVariable("NUGET_PACKAGES") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var env = new Dictionary<string, string?> { ["DSRS_HOME"] = home };
        var dsrsEnv = new Dictionary<string, string> { ["DSRS_HOME"] = home };

        // §1: dotnet pack ManifestBuild.sln -c Release -o ~/.dsrs/feed (the Release build in its own folder, one test run at a time).
        var artifacts = Path.Combine(Path.GetTempPath(), "dsrs-getting-started-pack");
        using (var gate = await FileLock.TryAcquireAsync(artifacts + ".lock", TimeSpan.FromMinutes(20), CancellationToken.None))
        {
            Assert.NotNull(gate);
            (await DotnetProcess.RunAsync(RepoPaths.Root, ["pack", "ManifestBuild.sln", "-c", "Release", "-nodeReuse:false", "-v:q", "-o", feed], new Dictionary<string, string?>(env) { ["DSRS_ARTIFACTS"] = artifacts }, TimeSpan.FromMinutes(20)))
                .EnsureSuccess("dotnet pack ManifestBuild.sln");
        }

        Assert.True(File.Exists(Path.Combine(feed, "ManifestBuild.0.1.0.nupkg")), string.Join(", ", Directory.GetFiles(feed)));

        // §1: dotnet tool install --global ManifestBuild.Cli --add-source ~/.dsrs/feed (here into a private tool path).
        (await DotnetProcess.RunAsync(work, ["tool", "install", "--tool-path", tools, "ManifestBuild.Cli", "--add-source", feed], env, Short)).EnsureSuccess("dotnet tool install");
        var dsrs = Path.Combine(tools, "dsrs");

        // §2: dotnet new console -n MyAgent && cd MyAgent
        (await DotnetProcess.RunAsync(work, ["new", "console", "-n", "MyAgent"], env, Short)).EnsureSuccess("dotnet new console");
        var project = Path.Combine(work, "MyAgent");

        // §2, a market on this machine: relay, key, redact, prices.json, serve, publish.
        using var relay = BackgroundTool.Start(dsrs, root.Path, dsrsEnv, "relay", "--port", "0");
        var relayUrl = (await relay.WaitForLineAsync("relay listening on ", Short))["relay listening on ".Length..].Trim();
        await RunDsrsAsync(dsrs, root.Path, dsrsEnv, "key", "new");
        await RunDsrsAsync(dsrs, root.Path, dsrsEnv, "redact", Path.Combine(RepoPaths.Root, "samples", "seller", "complexity.json"), "-o", root.Combine("sell", "complexity.json"));
        File.WriteAllText(root.Combine("sell", "prices.json"), "{\"default\": 50000}\n");
        using var seller = BackgroundTool.Start(dsrs, root.Path, dsrsEnv, "serve", "--manifests", "sell", "--node", "type=dev;name=seller", "--listen", "127.0.0.1:0");
        var sellerUrl = (await seller.WaitForLineAsync("serving ", Short)).Split(" on ")[1].Split(' ')[0];
        await RunDsrsAsync(dsrs, root.Path, new Dictionary<string, string>(dsrsEnv) { ["DSRS_NODE"] = "type=dev;name=seller" }, "publish", root.Combine("sell", "complexity.json"), "--relay", relayUrl, "--l402", sellerUrl);

        // §2: dsrs init --budget 100000 (with the relay's free port).
        var init = await RunDsrsAsync(dsrs, project, dsrsEnv, "init", "--budget", "100000", "--relay", relayUrl);
        Assert.Contains("added PackageReference ManifestBuild 0.1.0", init, StringComparison.Ordinal);

        // §5: the typed call (with a scripted IChatClient standing in for a model).
        File.WriteAllText(Path.Combine(project, "Program.cs"), TypedCallProgram);

        // §4: dotnet build pays from the buyer's node and writes the lockfile.
        var buildEnv = new Dictionary<string, string?>(env)
        {
            ["DSRS_NODE"] = "type=dev;name=buyer",
            ["NUGET_PACKAGES"] = root.Combine("nuget-packages"),
            ["RestoreAdditionalProjectFallbackFolders"] = global,
        };
        var build = (await DotnetProcess.RunAsync(project, ["build", "-nodeReuse:false"], buildEnv, TimeSpan.FromMinutes(10))).EnsureSuccess("dotnet build");
        Assert.Contains("dsrs: ComplexityClassification <- ", build.Output, StringComparison.Ordinal);
        Assert.Contains("50000 msat", build.Output, StringComparison.Ordinal);
        var entry = LockFile.Read(Path.Combine(project, LockFile.FileName)).Manifests["ComplexityClassification"];
        Assert.Equal(50000, entry.PriceMsat);
        Assert.NotNull(entry.PaymentHash);

        var run = (await DotnetProcess.RunAsync(project, ["run", "--no-build"], buildEnv, Short)).EnsureSuccess("dotnet run");
        Assert.Contains($"id={entry.CompiledId}", run.Output, StringComparison.Ordinal);
        Assert.Contains("decision=Complex", run.Output, StringComparison.Ordinal);

        // Paid exactly once, and the next build pays nothing.
        var payments = await RunDsrsAsync(dsrs, project, dsrsEnv, "payments", "--json");
        Assert.Single(Format.Json.JsonParser.Parse(payments).AsArray()!);
        (await DotnetProcess.RunAsync(project, ["build", "-nodeReuse:false"], buildEnv, TimeSpan.FromMinutes(10))).EnsureSuccess("second dotnet build");
        Assert.Single(Format.Json.JsonParser.Parse(await RunDsrsAsync(dsrs, project, dsrsEnv, "payments", "--json")).AsArray()!);
    }

    private static async Task<string> RunDsrsAsync(string dsrs, string directory, IReadOnlyDictionary<string, string> env, params string[] args)
    {
        var (exit, output) = await BackgroundTool.RunAsync(dsrs, directory, env, Short, args);
        Assert.True(exit == 0, $"dsrs {string.Join(' ', args)} exited {exit}:\n{output}");
        return output;
    }

    private const string TypedCallProgram = """
        using Microsoft.Extensions.AI;
        using MyAgent.Manifests;

        Console.WriteLine($"id={ComplexityClassification.CompiledId}");
        var decision = await ComplexityClassification.PredictAsync(new ScriptedClient(), new ComplexityClassification.Input("refactor the pool"));
        Console.WriteLine($"decision={decision.Complexity}");

        sealed class ScriptedClient : IChatClient
        {
            public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
                Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "[[ ## complexity ## ]]\ncomplex\n\n[[ ## completed ## ]]")));

            public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
                throw new NotSupportedException();

            public object? GetService(Type serviceType, object? serviceKey = null) => null;

            public void Dispose()
            {
            }
        }

        """;
}
