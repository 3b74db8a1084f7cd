using ManifestBuild.Format;
using ManifestBuild.Lightning.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace ManifestBuild.Lightning.Tests.Nodes;

/// <summary>
/// Every secret a connection string can carry is fed a canary; no message, ToString or exception text
/// may ever contain it, whatever the node answers (a node that echoes everything back included).
/// </summary>
public sealed class SecretCanaryTests
{
    private const string HexCanary = "cafe0123456789abcdefcafe0123456789abcdefcafe0123456789abcdef0042";
    private const string TextCanary = "canary-Zq81xV";
    private const string WalletPubkey = "abababababababababababababababababababababababababababababababab";
    private static readonly NodeOptions Fast = new() { RequestTimeout = TimeSpan.FromSeconds(20), PaymentTimeout = TimeSpan.FromSeconds(1), PaymentGrace = TimeSpan.FromSeconds(20) };

    public static TheoryData<string, int> EchoCases()
    {
        var data = new TheoryData<string, int>();
        foreach (var type in new[] { "lnd-rest", "clightning-rest", "lnbits", "phoenixd" })
        {
            foreach (var status in new[] { 200, 400, 401, 404, 500 })
            {
                data.Add(type, status);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EchoCases))]
    public async Task A_node_that_echoes_every_request_back_never_gets_a_secret_into_a_message(string type, int status)
    {
        await using var server = await FakeNodeServer.StartAsync((app, _) => app.Run(async context =>
        {
            var body = await new StreamReader(context.Request.Body).ReadToEndAsync();
            var headers = string.Join("; ", context.Request.Headers.Select(h => h.Key + ": " + h.Value));
            context.Response.StatusCode = status;
            await context.Response.WriteAsync($"{{\"message\": \"echo {Escape(headers)} {Escape(body)}\", \"code\": 2, \"detail\": \"{Escape(headers)}\"}}");
        }));
        var connection = NodeConnectionString.Parse(ConnectionString(type, server.BaseUri.ToString()));
        await using var node = LightningNodeFactory.Create(connection, "/nonexistent-home", Fast);

        var texts = new List<string> { connection.ToString() };
        foreach (var call in Calls(node))
        {
            texts.Add(await OutcomeTextAsync(call));
        }

        Assert.All(texts, text => AssertClean(text));
    }

    [Theory]
    [InlineData("lnd-rest")]
    [InlineData("clightning-rest")]
    [InlineData("lnbits")]
    [InlineData("phoenixd")]
    public async Task An_unreachable_node_is_named_without_its_secrets(string type)
    {
        var connection = NodeConnectionString.Parse(ConnectionString(type, $"http://127.0.0.1:{ManifestBuild.TestSupport.Loopback.ClosedPort()}/"));
        await using var node = LightningNodeFactory.Create(connection, "/nonexistent-home", Fast);

        foreach (var call in Calls(node))
        {
            AssertClean(await OutcomeTextAsync(call));
        }
    }

    [Theory]
    [InlineData("type=lnbits;server=http://127.0.0.1:1/?api-key=" + TextCanary + ";api-key=k")]
    [InlineData("type=lnbits;server=http://127.0.0.1:1/#" + TextCanary + ";api-key=k")]
    [InlineData("type=phoenixd;server=http://u:" + TextCanary + "@127.0.0.1:1/;password=p")]
    [InlineData("type=lnd-rest;server=https://127.0.0.1:1/;macaroon=zz" + TextCanary)]
    [InlineData("type=lnbits;server=https://127.0.0.1:1/;api-key=k;" + TextCanary + "=1")]
    [InlineData("type=lnbits;server=https://127.0.0.1:1/;api-key=k;reserve-fee-percent=" + TextCanary)]
    [InlineData("type=lnbits;server=https://127.0.0.1:1/;api-key=k;api-key=" + TextCanary)]
    [InlineData("type=" + TextCanary + ";api-key=" + TextCanary)]
    [InlineData("type=dev;name=b;latency_ms=" + TextCanary)]
    [InlineData("nostr+walletconnect://" + WalletPubkey + "?relay=ws://127.0.0.1:1&secret=" + TextCanary)]
    [InlineData("nostr+walletconnect://" + WalletPubkey + "?relay=" + TextCanary + "&secret=" + HexCanary)]
    [InlineData("nostr+walletconnect://" + WalletPubkey + "?relay=ws://127.0.0.1:1&secret=" + HexCanary + "&secret=" + HexCanary)]
    public void A_refused_connection_string_never_echoes_a_value(string text)
    {
        var error = Assert.Throws<DsrsException>(() => NodeConnectionString.Parse(text));

        AssertClean(error.ToString());
    }

    private static string ConnectionString(string type, string server) => type switch
    {
        "lnd-rest" => $"type=lnd-rest;server={server};macaroon={HexCanary}",
        "clightning-rest" => $"type=clightning-rest;server={server};rune={TextCanary}",
        "lnbits" => $"type=lnbits;server={server};api-key={TextCanary}",
        _ => $"type=phoenixd;server={server};password={TextCanary}",
    };

    private static IEnumerable<Func<Task>> Calls(ILightningNode node)
    {
        var invoice = TestInvoice.Create("10u");
        yield return () => node.GetInfoAsync(default);
        yield return () => node.PayAsync(invoice.Bolt11, 1_000_000, default);
        yield return () => node.LookupPaymentAsync(invoice.PaymentHashHex, default);
        yield return () => node.CreateInvoiceAsync(21_000, "d", TimeSpan.FromMinutes(1), default);
    }

    /// <summary>What the caller can see of a call: its result or its exception, in full.</summary>
    private static async Task<string> OutcomeTextAsync(Func<Task> call)
    {
        try
        {
            var task = call();
            await task;
            return task.GetType().GetProperty("Result")?.GetValue(task)?.ToString() ?? string.Empty;
        }
        catch (Exception e)
        {
            return e.ToString();
        }
    }

    private static void AssertClean(string text)
    {
        Assert.DoesNotContain(TextCanary, text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(HexCanary, text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(":" + TextCanary)), text, StringComparison.Ordinal);
    }

    private static string Escape(string text) => text.Replace("\\", "\\\\").Replace("\"", "\\\"");
}
