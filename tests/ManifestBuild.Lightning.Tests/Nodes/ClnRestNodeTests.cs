using System.Text.Json.Nodes;
using ManifestBuild.Format;
using ManifestBuild.Lightning.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace ManifestBuild.Lightning.Tests.Nodes;

public sealed class ClnRestNodeTests
{
    private const string Rune = "tU-RLjMiDpY2U0o3W1oFowar36RFGpWloPbW9-RuZdo9MyZpZD0wMjRiOWExZmE4ZTAwNmYxZTM5MzdmNjVmNjZjNDA4ZTZkYThlMWNhNzI4ZWE0MzIyMmE3MzgxZGYxY2M0NDk2MDUmbWV0aG9kPWxpc3RwZWVycw==";
    // Generous limits where the fake answers (the test machine is shared and slow); tight ones where it must not.
    private static readonly NodeOptions Fast = new() { RequestTimeout = TimeSpan.FromSeconds(30), PaymentTimeout = TimeSpan.FromSeconds(1), PaymentGrace = TimeSpan.FromSeconds(30) };
    private static readonly NodeOptions Impatient = new() { RequestTimeout = TimeSpan.FromSeconds(1), PaymentTimeout = TimeSpan.FromSeconds(1), PaymentGrace = TimeSpan.FromSeconds(1) };

    [Fact]
    public async Task GetInfo_posts_getinfo_and_listfunds_with_the_rune_header()
    {
        await using var server = await FakeNodeServer.StartAsync((app, _) =>
        {
            app.MapPost("/v1/getinfo", () => Results.Json(new { id = "03" + new string('c', 64), alias = "carol", network = "signet", num_peers = 1 }));
            app.MapPost("/v1/listfunds", () => Results.Json(new
            {
                outputs = Array.Empty<object>(),
                channels = new object[]
                {
                    new { state = "CHANNELD_NORMAL", our_amount_msat = 700_000, amount_msat = 1_000_000 },
                    new { state = "ONCHAIN", our_amount_msat = 5_000, amount_msat = 9_000 },
                },
            }));
        });
        await using var node = Node(server);

        var info = await node.GetInfoAsync(CancellationToken.None);

        Assert.Equal(new NodeInfo("03" + new string('c', 64), "signet", "carol", 700_000), info);
        Assert.All(server.Requests, r => Assert.Equal(Rune, r.Header("Rune")));
    }

    [Fact]
    public async Task Pay_uses_xpay_with_an_absolute_maxfee_and_no_amount()
    {
        var invoice = TestInvoice.Create("10u");
        await using var server = await FakeNodeServer.StartAsync((app, _) => app.MapPost("/v1/xpay", () => Results.Json(new
        {
            payment_preimage = invoice.PreimageHex,
            failed_parts = 0,
            successful_parts = 1,
            amount_msat = 1_000_000,
            amount_sent_msat = 1_000_042,
        })));
        await using var node = Node(server);

        var result = await node.PayAsync(invoice.Bolt11, 3000, CancellationToken.None);

        Assert.Equal(new PaymentResult(PaymentStatus.Succeeded, invoice.PaymentHashHex, invoice.PreimageHex, 1_000_000, 42), result);
        var body = JsonNode.Parse(server.To("/v1/xpay").Single().Body)!.AsObject();
        Assert.Equal(invoice.Bolt11, (string?)body["invstring"]);
        Assert.Equal(3000, (long?)body["maxfee"]);
        Assert.False(body.ContainsKey("amount_msat"));
        Assert.False(body.ContainsKey("partial_msat"));
    }

    [Fact]
    public async Task Pay_falls_back_to_pay_when_xpay_is_unknown()
    {
        var invoice = TestInvoice.Create("10u");
        await using var server = await FakeNodeServer.StartAsync((app, _) =>
        {
            app.MapPost("/v1/xpay", () => Results.Json(new { code = -32601, message = "Unknown command 'xpay'" }, statusCode: 500));
            app.MapPost("/v1/pay", () => Results.Json(new
            {
                payment_preimage = invoice.PreimageHex,
                payment_hash = invoice.PaymentHashHex,
                created_at = 1700000000.5,
                parts = 1,
                amount_msat = 1_000_000,
                amount_sent_msat = 1_000_001,
                status = "complete",
                destination = "02" + new string('d', 64),
            }));
        });
        await using var node = Node(server);

        var result = await node.PayAsync(invoice.Bolt11, 500, CancellationToken.None);

        Assert.Equal((PaymentStatus.Succeeded, (long?)1), (result.Status, result.FeeMsat));
        var body = JsonNode.Parse(server.To("/v1/pay").Single().Body)!.AsObject();
        Assert.Equal((invoice.Bolt11, 500L), ((string?)body["bolt11"], (long?)body["maxfee"]));
        Assert.False(body.ContainsKey("amount_msat"));
    }

    // Only the codes xpay.json lists count as failures, and only when listpays has no part in flight;
    // 206/210 (pay's codes, not xpay's) and -1 (catchall) with nothing recorded stay Pending.
    [Theory]
    [InlineData(205, "Failed")]
    [InlineData(207, "Failed")]
    [InlineData(203, "Failed")]
    [InlineData(209, "Failed")]
    [InlineData(206, "Pending")]
    [InlineData(210, "Pending")]
    [InlineData(-1, "Pending")]
    [InlineData(200, "Pending")]
    public async Task Pay_maps_cln_error_codes_to_payment_states(int code, string expected)
    {
        var invoice = TestInvoice.Create();
        await using var server = await FakeNodeServer.StartAsync((app, _) =>
        {
            app.MapPost("/v1/xpay", () => Results.Json(new { code, message = "Failed: error " + code }, statusCode: 500));
            app.MapPost("/v1/listpays", () => Results.Json(new { pays = Array.Empty<object>() }, statusCode: 201));
        });
        await using var node = Node(server);

        var result = await node.PayAsync(invoice.Bolt11, 100, CancellationToken.None);

        Assert.Equal(Enum.Parse<PaymentStatus>(expected), result.Status);
        Assert.Equal(invoice.PaymentHashHex, result.PaymentHashHex);
    }

    [Theory]
    [InlineData(-1, "pending", "Pending")]
    [InlineData(209, "pending", "Pending")]
    [InlineData(205, "failed", "Failed")]
    public async Task Pay_errors_are_decided_by_listpays_so_a_part_in_flight_is_never_reported_failed(int code, string listed, string expected)
    {
        var invoice = TestInvoice.Create("10u");
        await using var server = await FakeNodeServer.StartAsync((app, _) =>
        {
            app.MapPost("/v1/xpay", () => Results.Json(new { code, message = "Failed after 3 attempts" }, statusCode: 500));
            app.MapPost("/v1/listpays", () => Results.Json(new { pays = new[] { new { payment_hash = invoice.PaymentHashHex, status = listed, created_at = 1, created_index = 1, amount_sent_msat = 0 } } }, statusCode: 201));
        });
        await using var node = Node(server);

        var result = await node.PayAsync(invoice.Bolt11, 100, CancellationToken.None);

        Assert.Equal(Enum.Parse<PaymentStatus>(expected), result.Status);
    }

    [Fact]
    public async Task Pay_of_an_already_paid_invoice_returns_the_completed_payment_from_listpays()
    {
        var invoice = TestInvoice.Create("10u");
        await using var server = await FakeNodeServer.StartAsync((app, _) =>
        {
            app.MapPost("/v1/xpay", () => Results.Json(new { code = 219, message = "Already paid" }, statusCode: 500));
            app.MapPost("/v1/listpays", () => Results.Json(new { pays = new[] { new { payment_hash = invoice.PaymentHashHex, status = "complete", preimage = invoice.PreimageHex, amount_msat = 1_000_000, amount_sent_msat = 1_000_005, bolt11 = invoice.Bolt11 } } }));
        });
        await using var node = Node(server);

        var result = await node.PayAsync(invoice.Bolt11, 100, CancellationToken.None);

        Assert.Equal((PaymentStatus.Succeeded, invoice.PreimageHex, (long?)5), (result.Status, result.PreimageHex, result.FeeMsat));
        Assert.Equal(invoice.PaymentHashHex, (string?)JsonNode.Parse(server.To("/v1/listpays").Single().Body)!["payment_hash"]);
    }

    [Fact]
    public async Task Pay_refusals_that_are_not_payment_failures_throw_with_the_cln_code()
    {
        var invoice = TestInvoice.Create();
        await using var server = await FakeNodeServer.StartAsync((app, _) => app.MapPost("/v1/xpay", () =>
            Results.Json(new { code = -32602, message = "invstring: should be a bolt11 or bolt12 invoice" }, statusCode: 500)));
        await using var node = Node(server);

        var error = await Assert.ThrowsAsync<DsrsException>(() => node.PayAsync(invoice.Bolt11, 100, CancellationToken.None));

        Assert.Equal(NodeErrorCodes.NodeError, error.Code);
        Assert.Contains("-32602", error.Message);
        Assert.Contains("should be a bolt11", error.Message);
    }

    [Fact]
    public async Task Lookup_maps_listpays_states()
    {
        var complete = TestInvoice.Create();
        var pending = TestInvoice.Create();
        var failed = TestInvoice.Create();
        await using var server = await FakeNodeServer.StartAsync((app, _) => app.MapPost("/v1/listpays", async (HttpContext context) =>
        {
            var hash = (string?)JsonNode.Parse(await new StreamReader(context.Request.Body).ReadToEndAsync())!["payment_hash"];
            object[] pays = hash == complete.PaymentHashHex ? [new { payment_hash = hash, status = "failed" }, new { payment_hash = hash, status = "complete", preimage = complete.PreimageHex, amount_msat = 5000, amount_sent_msat = 5001 }]
                : hash == pending.PaymentHashHex ? [new { payment_hash = hash, status = "pending" }]
                : hash == failed.PaymentHashHex ? [new { payment_hash = hash, status = "failed" }]
                : [];
            return Results.Json(new { pays });
        }));
        await using var node = Node(server);

        Assert.Equal(PaymentStatus.Succeeded, (await node.LookupPaymentAsync(complete.PaymentHashHex, CancellationToken.None)).Status);
        Assert.Equal(PaymentStatus.Pending, (await node.LookupPaymentAsync(pending.PaymentHashHex, CancellationToken.None)).Status);
        Assert.Equal(PaymentStatus.Failed, (await node.LookupPaymentAsync(failed.PaymentHashHex, CancellationToken.None)).Status);
        Assert.Equal(PaymentStatus.NotFound, (await node.LookupPaymentAsync(TestInvoice.Create().PaymentHashHex, CancellationToken.None)).Status);
    }

    [Fact]
    public async Task CreateInvoice_sends_amount_msat_a_unique_label_description_and_expiry()
    {
        var hash = new string('e', 64);
        await using var server = await FakeNodeServer.StartAsync((app, _) => app.MapPost("/v1/invoice", () =>
            Results.Json(new { payment_hash = hash, expires_at = 1_900_000_000, bolt11 = "lnbcrt50n1fake", payment_secret = new string('f', 64), created_index = 3 })));
        await using var node = Node(server);

        var first = await node.CreateInvoiceAsync(5000, "dsrs abc", TimeSpan.FromSeconds(90), CancellationToken.None);
        await node.CreateInvoiceAsync(5000, "dsrs abc", TimeSpan.FromSeconds(90), CancellationToken.None);

        Assert.Equal(new CreatedInvoice("lnbcrt50n1fake", hash, DateTimeOffset.FromUnixTimeSeconds(1_900_000_000)), first);
        var bodies = server.To("/v1/invoice").Select(r => JsonNode.Parse(r.Body)!).ToList();
        Assert.Equal((5000L, "dsrs abc", 90), ((long?)bodies[0]["amount_msat"], (string?)bodies[0]["description"], (int?)bodies[0]["expiry"]));
        Assert.NotEqual((string?)bodies[0]["label"], (string?)bodies[1]["label"]);
    }

    [Fact]
    public async Task A_refused_rune_is_an_authentication_error_without_the_rune()
    {
        await using var server = await FakeNodeServer.StartAsync((app, _) => app.MapPost("/v1/getinfo", (HttpContext context) =>
            Results.Json(new { code = 1502, message = "Not authorized: rune " + context.Request.Headers["Rune"] + " is not valid" }, statusCode: 401)));
        await using var node = Node(server);

        var error = await Assert.ThrowsAsync<DsrsException>(() => node.GetInfoAsync(CancellationToken.None));

        Assert.Equal(NodeErrorCodes.AuthenticationRefused, error.Code);
        Assert.DoesNotContain(Rune, error.ToString());
    }

    [Fact]
    public async Task Pay_with_a_slow_or_dropped_answer_is_pending()
    {
        var slow = TestInvoice.Create();
        var dropped = TestInvoice.Create();
        await using var server = await FakeNodeServer.StartAsync((app, fake) => app.MapPost("/v1/xpay", async (HttpContext context) =>
        {
            var body = await new StreamReader(context.Request.Body).ReadToEndAsync();
            if (body.Contains(dropped.Bolt11))
            {
                context.Abort();
                return;
            }

            await fake.Release;
        }));
        await using var node = new ClnRestNode(server.BaseUri, Rune, null, Impatient);

        Assert.Equal(PaymentStatus.Pending, (await node.PayAsync(slow.Bolt11, 100, CancellationToken.None)).Status);
        Assert.Equal(PaymentStatus.Pending, (await node.PayAsync(dropped.Bolt11, 100, CancellationToken.None)).Status);
    }

    [Fact]
    public async Task Lookup_that_times_out_throws_rather_than_guessing()
    {
        await using var server = await FakeNodeServer.StartAsync((app, fake) => app.MapPost("/v1/listpays", async () => { await fake.Release; return Results.Ok(); }));
        await using var node = new ClnRestNode(server.BaseUri, Rune, null, Impatient);

        var error = await Assert.ThrowsAsync<AmbiguousOutcomeException>(() => node.LookupPaymentAsync(new string('a', 64), CancellationToken.None));

        Assert.Equal(NodeErrorCodes.TimedOut, error.Code);
    }

    private static ClnRestNode Node(FakeNodeServer server) => new(server.BaseUri, Rune, null, Fast);
}
