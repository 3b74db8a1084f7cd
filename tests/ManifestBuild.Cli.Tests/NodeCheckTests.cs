using System.Net;
using System.Text.Json;
using ManifestBuild.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ManifestBuild.Cli.Tests;

public sealed class NodeCheckTests
{
    private const string Password = "pw-7c1d9e0a4b5f6a7b8c9d0e1f";

    [Fact]
    public async Task Node_check_prints_kind_id_network_and_balance_of_a_phoenixd_node_and_never_the_password()
    {
        await using var phoenixd = await StartFakePhoenixdAsync(authorized: true);
        using var home = new TempDirectory("nodes-cli");
        var env = Env(home, $"type=phoenixd;server={phoenixd.Url};password={Password}");

        var (exit, output, error) = await RunAsync(env, "node", "check");

        Assert.Equal(0, exit);
        Assert.Contains("kind: phoenixd", output);
        Assert.Contains("node id: 02" + new string('7', 64), output);
        Assert.Contains("network: regtest", output);
        Assert.Contains("spendable: 5000000 msat", output);
        Assert.DoesNotContain(Password, output + error);
    }

    [Fact]
    public async Task Node_check_json_uses_snake_case_names()
    {
        await using var phoenixd = await StartFakePhoenixdAsync(authorized: true);
        using var home = new TempDirectory("nodes-cli");
        home.Write("config.json", JsonSerializer.Serialize(new { node = $"type=phoenixd;server={phoenixd.Url};password={Password}" }));

        var (exit, output, _) = await RunAsync(Env(home, null), "node", "check", "--json");

        Assert.Equal(0, exit);
        using var json = JsonDocument.Parse(output);
        Assert.Equal("phoenixd", json.RootElement.GetProperty("kind").GetString());
        Assert.Equal("02" + new string('7', 64), json.RootElement.GetProperty("node_id").GetString());
        Assert.Equal("regtest", json.RootElement.GetProperty("network").GetString());
        Assert.Equal(5_000_000, json.RootElement.GetProperty("spendable_msat").GetInt64());
    }

    [Fact]
    public async Task Node_check_of_a_refusing_node_exits_non_zero_without_the_password()
    {
        await using var phoenixd = await StartFakePhoenixdAsync(authorized: false);
        using var home = new TempDirectory("nodes-cli");

        var (exit, output, error) = await RunAsync(Env(home, $"type=phoenixd;server={phoenixd.Url};password={Password}"), "node", "check");

        Assert.Equal(1, exit);
        Assert.Contains("DSRS0442", error);
        Assert.DoesNotContain(Password, output + error);
    }

    [Fact]
    public async Task Node_check_reports_a_malformed_or_missing_configuration_without_echoing_secrets()
    {
        using var home = new TempDirectory("nodes-cli");

        var (missingExit, _, missingError) = await RunAsync(Env(home, null), "node", "check");
        var (badExit, _, badError) = await RunAsync(Env(home, $"type=phoenixd;server=https://x;password={Password};colour=blue"), "node", "check");

        Assert.Equal((1, 1), (missingExit, badExit));
        Assert.Contains("DSRS0436", missingError);
        Assert.Contains("DSRS0433", badError);
        Assert.Contains("'colour'", badError);
        Assert.DoesNotContain(Password, badError);
    }

    [Fact]
    public async Task Node_check_works_with_the_dev_node()
    {
        using var home = new TempDirectory("nodes-cli");

        var (exit, output, error) = await RunAsync(Env(home, "type=dev;name=buyer"), "node", "check");

        Assert.True(exit == 0, error);
        Assert.Contains("kind: dev", output);
        Assert.Contains("network: regtest", output);
        Assert.Matches("node id: 0[23][0-9a-f]{64}", output);
    }

    private static Func<string, string?> Env(TempDirectory home, string? node)
    {
        var values = new Dictionary<string, string?> { ["DSRS_HOME"] = home.Path, ["DSRS_NODE"] = node };
        return key => values.GetValueOrDefault(key);
    }

    private static async Task<(int Exit, string Output, string Error)> RunAsync(Func<string, string?> env, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await Program.RunAsync(args, new CliContext { Out = output, Error = error, Env = env });
        return (exit, output.ToString(), error.ToString());
    }

    /// <summary>A loopback phoenixd that answers getinfo and getbalance, or refuses the password.</summary>
    private static async Task<FakePhoenixd> StartFakePhoenixdAsync(bool authorized)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var expected = "Basic " + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(":" + Password));
        app.Use(async (context, next) =>
        {
            if (!authorized || context.Request.Headers.Authorization != expected)
            {
                context.Response.StatusCode = 401;
                await context.Response.WriteAsync("Invalid authentication (use basic auth with the http password set in phoenix.conf)");
                return;
            }

            await next(context);
        });
        app.MapGet("/getinfo", () => Results.Json(new { nodeId = "02" + new string('7', 64), channels = Array.Empty<object>(), chain = "regtest", blockHeight = 101, version = "0.6.0" }));
        app.MapGet("/getbalance", () => Results.Json(new { balanceSat = 5000, feeCreditSat = 0 }));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new FakePhoenixd(app, address);
    }

    private sealed record FakePhoenixd(WebApplication App, string Url) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await App.StopAsync(stopping.Token);
            await App.DisposeAsync();
        }
    }
}
