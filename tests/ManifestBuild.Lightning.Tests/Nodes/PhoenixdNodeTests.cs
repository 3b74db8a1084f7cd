using System.Text;
using ManifestBuild.Format;
using ManifestBuild.Lightning.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace ManifestBuild.Lightning.Tests.Nodes;

public sealed class PhoenixdNodeTests
{
    private const string Password = "c1a5e2f8d93b4e7aa0c6b1d2e3f4a5b6";
    // Generous limits where the fake answers (the test machine is shared and slow); tight ones where it must not.
    private static readonly NodeOptions Fast = new() { RequestTimeout = TimeSpan.FromSeconds(30), PaymentTimeout = TimeSpan.FromSeconds(1), PaymentGrace = TimeSpan.FromSeconds(30) };
    private static readonly NodeOptions Impatient = new() { RequestTimeout = TimeSpan.FromSeconds(1), PaymentTimeout = TimeSpan.FromSeconds(1), PaymentGrace = TimeSpan.FromSeconds(1) };
    private static readonly string ExpectedAuthorization = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(":" + Password));

    [Fact]
    public async Task GetInfo_uses_basic_auth_with_an_empty_user_and_reads_node_chain_and_balance()
    {
        await using var server = await FakeNodeServer.StartAsync((app, _) =>
        {
            app.MapGet("/getinfo", () => Results.Json(new { nodeId = "02" + new string('5', 64), channels = Array.Empty<object>(), chain = "testnet3", blockHeight = 2_500_000, version = "0.6.0" }));
            app.MapGet("/getbalance", () => Results.Json(new { balanceSat = 42_000, feeCreditSat = 0 }));
        });
        await using var node = new PhoenixdNode(server.BaseUri, Password, Fast);

        var info = await node.GetInfoAsync(CancellationToken.None);

        Assert.Equal(new NodeInfo("02" + new string('5', 64), "testnet", null, 42_000_000), info);
        Assert.All(server.Requests, r => Assert.Equal(ExpectedAuthorization, r.Header("Authorization")));
    }

    [Fact]
    public async Task Pay_posts_only_the_invoice_as_a_form_and_reads_the_preimage()
    {
        var invoice = TestInvoice.Create("10u");
        await using var server = await FakeNodeServer.StartAsync((app, _) => app.MapPost("/payinvoice", () => Results.Json(new
        {
            recipientAmountSat = 1000,
            routingFeeSat = 8,
            paymentId = Guid.NewGuid(),
            paymentHash = invoice.PaymentHashHex,
            paymentPreimage = invoice.PreimageHex,
        })));
        await using var node = new PhoenixdNode(server.BaseUri, Password, Fast);

        var result = await node.PayAsync(invoice.Bolt11, 10_000, CancellationToken.None);

        // routingFeeSat is truncated and this server keeps no payment record: the fee is at most 8.999 sat.
        Assert.Equal(new PaymentResult(PaymentStatus.Succeeded, invoice.PaymentHashHex, invoice.PreimageHex, 1_000_000, 8999), result);
        var request = server.To("/payinvoice").Single();
        Assert.Equal("invoice=" + invoice.Bolt11, request.Body);
        Assert.StartsWith("application/x-www-form-urlencoded", request.Header("Content-Type"));
    }

    [Fact]
    public async Task Pay_failure_reason_is_a_failed_payment()
    {
        var invoice = TestInvoice.Create("10u");
        await using var server = await FakeNodeServer.StartAsync((app, _) => app.MapPost("/payinvoice", () =>
            Results.Json(new { paymentHash = invoice.PaymentHashHex, reason = "route not found" })));
        await using var node = new PhoenixdNode(server.BaseUri, Password, Fast);

        var result = await node.PayAsync(invoice.Bolt11, 10_000, CancellationToken.None);

        Assert.Equal(PaymentStatus.Failed, result.Status);
        Assert.Contains("route not found", result.FailureReason);
    }

    [Fact]
    public async Task Pay_refuses_a_fee_cap_below_phoenix_fee_of_0_4_percent_plus_4_sat_without_calling_phoenixd()
    {
        var invoice = TestInvoice.Create("10u"); // 1_000_000 msat: 4_000 + 4_000 = 8_000 msat
        await using var server = await FakeNodeServer.StartAsync((app, _) => app.MapPost("/payinvoice", () => Results.StatusCode(500)));
        await using var node = new PhoenixdNode(server.BaseUri, Password, Fast);

        var error = await Assert.ThrowsAsync<DsrsException>(() => node.PayAsync(invoice.Bolt11, 7_999, CancellationToken.None));

        Assert.Equal(NodeErrorCodes.FeeCapBelowPhoenixdFee, error.Code);
        Assert.Contains("8000 msat", error.Message);
        Assert.Empty(server.Requests);
        Assert.Equal(8_000, PhoenixdNode.FeeFloorMsat(1_000_000));
        Assert.Equal(4_001, PhoenixdNode.FeeFloorMsat(1));
    }

    [Fact]
    public async Task Lookup_maps_outgoingbyhash_records()
    {
        var paid = TestInvoice.Create();
        var pending = TestInvoice.Create();
        var failed = TestInvoice.Create();
        await using var server = await FakeNodeServer.StartAsync((app, _) => app.MapGet("/payments/outgoingbyhash/{hash}", (string hash) =>
            hash == paid.PaymentHashHex ? Results.Json(new { paymentId = "p1", paymentHash = hash, preimage = paid.PreimageHex, isPaid = true, sent = 1000, fees = 8000, completedAt = 1_700_000_001, createdAt = 1_700_000_000 })
            : hash == pending.PaymentHashHex ? Results.Json(new { paymentId = "p2", paymentHash = hash, isPaid = false, sent = 1000, fees = 0, createdAt = 1_700_000_000 })
            : hash == failed.PaymentHashHex ? Results.Json(new { paymentId = "p3", paymentHash = hash, isPaid = false, sent = 1000, fees = 0, completedAt = 1_700_000_002, createdAt = 1_700_000_000 })
            : Results.NotFound()));
        await using var node = new PhoenixdNode(server.BaseUri, Password, Fast);

        var succeeded = await node.LookupPaymentAsync(paid.PaymentHashHex, CancellationToken.None);
        Assert.Equal((PaymentStatus.Succeeded, paid.PreimageHex, (long?)8000), (succeeded.Status, succeeded.PreimageHex, succeeded.FeeMsat));
        Assert.Equal(PaymentStatus.Pending, (await node.LookupPaymentAsync(pending.PaymentHashHex, CancellationToken.None)).Status);
        Assert.Equal(PaymentStatus.Failed, (await node.LookupPaymentAsync(failed.PaymentHashHex, CancellationToken.None)).Status);
        Assert.Equal(PaymentStatus.NotFound, (await node.LookupPaymentAsync(TestInvoice.Create().PaymentHashHex, CancellationToken.None)).Status);
    }

    [Fact]
    public async Task CreateInvoice_posts_amountSat_description_and_expirySeconds()
    {
        var hash = new string('4', 64);
        await using var server = await FakeNodeServer.StartAsync((app, _) => app.MapPost("/createinvoice", () =>
            Results.Json(new { amountSat = 21, paymentHash = hash, serialized = "lnbcrt210n1fake" })));
        await using var node = new PhoenixdNode(server.BaseUri, Password, Fast);

        var created = await node.CreateInvoiceAsync(21_000, "dsrs abc", TimeSpan.FromMinutes(2), CancellationToken.None);

        Assert.Equal(("lnbcrt210n1fake", hash), (created.Bolt11, created.PaymentHashHex));
        Assert.Equal("amountSat=21&description=dsrs+abc&expirySeconds=120", server.To("/createinvoice").Single().Body);
    }

    [Fact]
    public async Task A_wrong_password_is_refused_without_echoing_it_and_a_slow_payment_is_pending()
    {
        var invoice = TestInvoice.Create("10u");
        await using var server = await FakeNodeServer.StartAsync((app, fake) =>
        {
            app.MapGet("/getinfo", () => Results.Text("Invalid authentication (use basic auth with the http password set in phoenix.conf)", statusCode: 401));
            app.MapPost("/payinvoice", async () => { await fake.Release; return Results.Ok(); });
        });
        await using var node = new PhoenixdNode(server.BaseUri, Password, Fast);
        await using var impatient = new PhoenixdNode(server.BaseUri, Password, Impatient);

        var error = await Assert.ThrowsAsync<DsrsException>(() => node.GetInfoAsync(CancellationToken.None));
        var slow = await impatient.PayAsync(invoice.Bolt11, 10_000, CancellationToken.None);

        Assert.Equal(NodeErrorCodes.AuthenticationRefused, error.Code);
        Assert.DoesNotContain(Password, error.ToString());
        Assert.Equal(PaymentStatus.Pending, slow.Status);
    }

    [Fact]
    public async Task Pay_whose_answer_cannot_be_read_is_pending_not_refused()
    {
        var invoice = TestInvoice.Create("10u");
        await using var server = await FakeNodeServer.StartAsync((app, _) => app.MapPost("/payinvoice", () => Results.Text("<html>gateway</html>", "text/html")));
        await using var node = new PhoenixdNode(server.BaseUri, Password, Fast);

        var result = await node.PayAsync(invoice.Bolt11, 10_000, CancellationToken.None);

        Assert.Equal(PaymentStatus.Pending, result.Status);
        Assert.Contains("outcome unknown", result.FailureReason);
    }
}
