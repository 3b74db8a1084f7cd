using System.Text.Json.Nodes;
using ManifestBuild.Format;
using ManifestBuild.Lightning.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace ManifestBuild.Lightning.Tests.Nodes;

public sealed class LnbitsNodeTests
{
    private const string ApiKey = "4f0c6a1b1e8d4b0a9c3e2f6d7a8b9c0d";
    // Generous limits where the fake answers (the test machine is shared and slow); tight ones where it must not.
    private static readonly NodeOptions Fast = new() { RequestTimeout = TimeSpan.FromSeconds(30), PaymentTimeout = TimeSpan.FromSeconds(1), PaymentGrace = TimeSpan.FromSeconds(30) };

    [Fact]
    public async Task GetInfo_reads_the_wallet_balance_in_msat()
    {
        await using var server = await FakeNodeServer.StartAsync((app, _) => app.MapGet("/api/v1/wallet", () => Results.Json(new { id = "w1", name = "buyer", balance = 123_456 })));
        await using var node = new LnbitsNode(server.BaseUri, ApiKey, Fast, network: "regtest");

        var info = await node.GetInfoAsync(CancellationToken.None);

        Assert.Equal(new NodeInfo(string.Empty, "regtest", "buyer", 123_456), info);
        Assert.Equal(ApiKey, server.Requests.Single().Header("X-Api-Key"));
    }

    [Fact]
    public async Task Pay_posts_out_true_with_only_the_invoice_and_confirms_from_the_payment_record()
    {
        var invoice = TestInvoice.Create("10u");
        await using var server = await FakeNodeServer.StartAsync((app, _) =>
        {
            app.MapPost("/api/v1/payments", () => Results.Json(new { payment_hash = invoice.PaymentHashHex, checking_id = invoice.PaymentHashHex }, statusCode: 201));
            app.MapGet("/api/v1/payments/{hash}", (string hash) => hash == invoice.PaymentHashHex
                ? Results.Json(new { paid = true, preimage = invoice.PreimageHex, details = new { status = "success", amount = -1_000_000, fee = -2000, bolt11 = invoice.Bolt11, payment_hash = hash } })
                : Results.Json(new { detail = "Payment does not exist." }, statusCode: 404));
        });
        await using var node = new LnbitsNode(server.BaseUri, ApiKey, Fast);

        var result = await node.PayAsync(invoice.Bolt11, 10_000, CancellationToken.None);

        Assert.Equal(new PaymentResult(PaymentStatus.Succeeded, invoice.PaymentHashHex, invoice.PreimageHex, 1_000_000, 2000), result);
        var body = JsonNode.Parse(server.To("/api/v1/payments").Single().Body)!.AsObject();
        Assert.Equal(["bolt11", "out"], body.Select(p => p.Key).Order());
        Assert.True((bool?)body["out"]);
    }

    [Fact]
    public async Task Pay_refuses_a_fee_cap_below_the_lnbits_fee_reserve_without_calling_lnbits()
    {
        var invoice = TestInvoice.Create("10u"); // 1_000_000 msat: reserve = max(2000, 1%) = 10_000 msat
        await using var server = await FakeNodeServer.StartAsync((app, _) => app.MapPost("/api/v1/payments", () => Results.StatusCode(500)));
        await using var node = new LnbitsNode(server.BaseUri, ApiKey, Fast);

        var error = await Assert.ThrowsAsync<DsrsException>(() => node.PayAsync(invoice.Bolt11, 9_999, CancellationToken.None));

        Assert.Equal(NodeErrorCodes.FeeCapBelowLnbitsReserve, error.Code);
        Assert.Contains("10000 msat", error.Message);
        Assert.Empty(server.Requests);
        Assert.Equal(2000, node.FeeReserveMsat(1000));
    }

    [Fact]
    public async Task Pay_refused_by_lnbits_throws_and_a_funding_source_failure_is_read_from_the_record()
    {
        var broke = TestInvoice.Create();
        var failing = TestInvoice.Create();
        await using var server = await FakeNodeServer.StartAsync((app, _) =>
        {
            app.MapPost("/api/v1/payments", async (HttpContext context) =>
            {
                var body = await new StreamReader(context.Request.Body).ReadToEndAsync();
                return body.Contains(broke.Bolt11)
                    ? Results.Json(new { detail = "Insufficient balance." }, statusCode: 400)
                    : Results.Json(new { detail = "Payment failed: no route" }, statusCode: 520);
            });
            app.MapGet("/api/v1/payments/{hash}", () => Results.Json(new { paid = false, status = "failed", details = new { status = "failed", amount = -1_000_000, fee = 0 } }));
        });
        await using var node = new LnbitsNode(server.BaseUri, ApiKey, Fast);

        var refused = await Assert.ThrowsAsync<DsrsException>(() => node.PayAsync(broke.Bolt11, 20_000, CancellationToken.None));
        var failed = await node.PayAsync(failing.Bolt11, 20_000, CancellationToken.None);

        Assert.Equal(NodeErrorCodes.PaymentRefused, refused.Code);
        Assert.Contains("Insufficient balance", refused.Message);
        Assert.Equal(PaymentStatus.Failed, failed.Status);
        Assert.Contains("no route", failed.FailureReason);
    }

    [Fact]
    public async Task Lookup_maps_missing_pending_and_incoming_records()
    {
        var pending = TestInvoice.Create();
        var incoming = TestInvoice.Create();
        await using var server = await FakeNodeServer.StartAsync((app, _) => app.MapGet("/api/v1/payments/{hash}", (string hash) =>
            hash == pending.PaymentHashHex ? Results.Json(new { paid = false, details = new { status = "pending", amount = -5000 } })
            : hash == incoming.PaymentHashHex ? Results.Json(new { paid = true, preimage = incoming.PreimageHex, details = new { status = "success", amount = 5000 } })
            : Results.Json(new { detail = "Payment does not exist." }, statusCode: 404)));
        await using var node = new LnbitsNode(server.BaseUri, ApiKey, Fast);

        Assert.Equal(PaymentStatus.Pending, (await node.LookupPaymentAsync(pending.PaymentHashHex, CancellationToken.None)).Status);
        Assert.Equal(PaymentStatus.NotFound, (await node.LookupPaymentAsync(incoming.PaymentHashHex, CancellationToken.None)).Status);
        Assert.Equal(PaymentStatus.NotFound, (await node.LookupPaymentAsync(TestInvoice.Create().PaymentHashHex, CancellationToken.None)).Status);
    }

    [Fact]
    public async Task CreateInvoice_converts_msat_to_whole_sats_and_refuses_fractions()
    {
        var hash = new string('9', 64);
        await using var server = await FakeNodeServer.StartAsync((app, _) => app.MapPost("/api/v1/payments", () =>
            Results.Json(new { payment_hash = hash, payment_request = "lnbcrt210n1fake", checking_id = hash }, statusCode: 201)));
        await using var node = new LnbitsNode(server.BaseUri, ApiKey, Fast);

        var created = await node.CreateInvoiceAsync(21_000, "dsrs abc", TimeSpan.FromMinutes(5), CancellationToken.None);
        var fraction = await Assert.ThrowsAsync<DsrsException>(() => node.CreateInvoiceAsync(21_500, "x", TimeSpan.FromMinutes(5), CancellationToken.None));

        Assert.Equal(("lnbcrt210n1fake", hash), (created.Bolt11, created.PaymentHashHex));
        var body = JsonNode.Parse(server.To("/api/v1/payments").Single().Body)!;
        Assert.Equal((false, 21L, "dsrs abc", 300), ((bool?)body["out"], (long?)body["amount"], (string?)body["memo"], (int?)body["expiry"]));
        Assert.Equal(NodeErrorCodes.InvalidArgument, fraction.Code);
    }

    [Fact]
    public async Task Pay_with_a_dropped_connection_is_pending_and_a_bad_key_is_refused_without_echo()
    {
        var invoice = TestInvoice.Create();
        await using var server = await FakeNodeServer.StartAsync((app, _) =>
        {
            app.MapPost("/api/v1/payments", (HttpContext context) => { context.Abort(); return Task.CompletedTask; });
            app.MapGet("/api/v1/wallet", (HttpContext context) => Results.Json(new { detail = "Invalid key " + context.Request.Headers["X-Api-Key"] }, statusCode: 401));
        });
        await using var node = new LnbitsNode(server.BaseUri, ApiKey, Fast);

        Assert.Equal(PaymentStatus.Pending, (await node.PayAsync(invoice.Bolt11, 20_000, CancellationToken.None)).Status);
        var error = await Assert.ThrowsAsync<DsrsException>(() => node.GetInfoAsync(CancellationToken.None));
        Assert.Equal(NodeErrorCodes.AuthenticationRefused, error.Code);
        Assert.DoesNotContain(ApiKey, error.ToString());
    }

    [Fact]
    public async Task Pay_accepted_by_lnbits_whose_record_cannot_be_read_is_pending()
    {
        var invoice = TestInvoice.Create("10u");
        await using var server = await FakeNodeServer.StartAsync((app, _) =>
        {
            app.MapPost("/api/v1/payments", () => Results.Json(new { payment_hash = invoice.PaymentHashHex }, statusCode: 201));
            app.MapGet("/api/v1/payments/{hash}", () => Results.Json(new { detail = "database is locked" }, statusCode: 500));
        });
        await using var node = new LnbitsNode(server.BaseUri, ApiKey, Fast);

        var result = await node.PayAsync(invoice.Bolt11, 20_000, CancellationToken.None);

        Assert.Equal(PaymentStatus.Pending, result.Status);
    }
}
