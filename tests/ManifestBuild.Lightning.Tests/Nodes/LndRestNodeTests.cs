using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using ManifestBuild.Format;
using ManifestBuild.Lightning.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace ManifestBuild.Lightning.Tests.Nodes;

public sealed class LndRestNodeTests
{
    private const string Macaroon = "0201036c6e6402f801030a10b3bf6906c1937139ac0684ac4417a2ee";
    // Generous limits where the fake answers (the test machine is shared and slow); tight ones where it must not.
    private static readonly NodeOptions Fast = new() { RequestTimeout = TimeSpan.FromSeconds(30), PaymentTimeout = TimeSpan.FromSeconds(1), PaymentGrace = TimeSpan.FromSeconds(30) };
    private static readonly NodeOptions Impatient = new() { RequestTimeout = TimeSpan.FromSeconds(1), PaymentTimeout = TimeSpan.FromSeconds(1), PaymentGrace = TimeSpan.FromSeconds(1) };
    private static readonly X509Certificate2 Certificate = FakeNodeServer.SelfSignedCertificate();
    private static readonly string Thumbprint = Convert.ToHexString(SHA256.HashData(Certificate.RawData));

    [Fact]
    public async Task GetInfo_reads_identity_network_and_balance_with_the_macaroon_header()
    {
        await using var server = await StartAsync((app, _) =>
        {
            app.MapGet("/v1/getinfo", () => Results.Json(new { identity_pubkey = "02" + new string('a', 64), alias = "alice", chains = new[] { new { chain = "bitcoin", network = "regtest" } }, testnet = false }));
            app.MapGet("/v1/balance/channels", () => Results.Json(new { local_balance = new { sat = "1500", msat = "1500123" } }));
        });
        await using var node = Node(server);

        var info = await node.GetInfoAsync(CancellationToken.None);

        Assert.Equal(new NodeInfo("02" + new string('a', 64), "regtest", "alice", 1500123), info);
        Assert.All(server.Requests, r => Assert.Equal(Macaroon, r.Header("Grpc-Metadata-macaroon")));
    }

    [Fact]
    public async Task Pay_sends_an_absolute_fee_limit_and_never_an_amount_and_reads_the_stream_to_success()
    {
        var invoice = TestInvoice.Create("10u");
        await using var server = await StartAsync((app, _) => app.MapPost("/v2/router/send", async (HttpContext context) =>
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(Line(Payment(invoice, "IN_FLIGHT")));
            await context.Response.Body.FlushAsync();
            await context.Response.WriteAsync(Line(Payment(invoice, "SUCCEEDED", preimage: invoice.PreimageHex, feeMsat: 12)));
        }));
        await using var node = Node(server);

        var result = await node.PayAsync(invoice.Bolt11, 2500, CancellationToken.None);

        Assert.Equal(new PaymentResult(PaymentStatus.Succeeded, invoice.PaymentHashHex, invoice.PreimageHex, 1_000_000, 12), result);
        var body = JsonNode.Parse(server.To("/v2/router/send").Single().Body)!.AsObject();
        Assert.Equal(invoice.Bolt11, (string?)body["payment_request"]);
        Assert.Equal("2500", (string?)body["fee_limit_msat"]);
        Assert.Equal(1, (int?)body["timeout_seconds"]);
        Assert.True((bool?)body["no_inflight_updates"]);
        foreach (var forbidden in new[] { "amt", "amt_msat", "fee_limit_sat", "fee_limit" })
        {
            Assert.False(body.ContainsKey(forbidden), forbidden + " must never be sent");
        }
    }

    [Fact]
    public async Task Pay_reports_a_failed_payment_with_its_reason()
    {
        var invoice = TestInvoice.Create();
        await using var server = await StartAsync((app, _) => app.MapPost("/v2/router/send", () =>
            Results.Text(Line(Payment(invoice, "FAILED", failure: "FAILURE_REASON_NO_ROUTE")), "application/json")));
        await using var node = Node(server);

        var result = await node.PayAsync(invoice.Bolt11, 10, CancellationToken.None);

        Assert.Equal(PaymentStatus.Failed, result.Status);
        Assert.Contains("FAILURE_REASON_NO_ROUTE", result.FailureReason);
        Assert.Null(result.PreimageHex);
    }

    [Fact]
    public async Task Pay_of_an_already_paid_invoice_tracks_the_earlier_payment_instead_of_failing()
    {
        var invoice = TestInvoice.Create();
        await using var server = await StartAsync((app, _) =>
        {
            app.MapPost("/v2/router/send", () => Results.Text(Line(new JsonObject { ["error"] = new JsonObject { ["code"] = 6, ["message"] = "invoice is already paid", ["details"] = new JsonArray() } }), "application/json"));
            app.MapGet("/v2/router/track/{hash}", (string hash) =>
                hash == NodeJsonHex.ToBase64Url(invoice.PaymentHashHex)
                    ? Results.Text(Line(Payment(invoice, "SUCCEEDED", preimage: invoice.PreimageHex, feeMsat: 1)), "application/json")
                    : Results.NotFound());
        });
        await using var node = Node(server);

        var result = await node.PayAsync(invoice.Bolt11, 10, CancellationToken.None);

        Assert.Equal(PaymentStatus.Succeeded, result.Status);
        Assert.Equal(invoice.PreimageHex, result.PreimageHex);
    }

    [Fact]
    public async Task Pay_refused_by_lnd_before_any_attempt_throws_and_a_payment_in_transition_stays_pending()
    {
        var refused = TestInvoice.Create();
        var inTransition = TestInvoice.Create();
        await using var server = await StartAsync((app, _) => app.MapPost("/v2/router/send", async (HttpContext context) =>
        {
            var body = await new StreamReader(context.Request.Body).ReadToEndAsync();
            var message = body.Contains(refused.Bolt11) ? "invalid payment request: checksum failed" : "payment is in transition";
            await context.Response.WriteAsync(Line(new JsonObject { ["error"] = new JsonObject { ["code"] = 2, ["message"] = message } }));
        }));
        await using var node = Node(server);

        var error = await Assert.ThrowsAsync<DsrsException>(() => node.PayAsync(refused.Bolt11, 10, CancellationToken.None));
        var pending = await node.PayAsync(inTransition.Bolt11, 10, CancellationToken.None);

        Assert.Equal(NodeErrorCodes.NodeError, error.Code);
        Assert.Contains("checksum failed", error.Message);
        Assert.Equal(PaymentStatus.Pending, pending.Status);
    }

    [Fact]
    public async Task Pay_that_gets_no_final_answer_in_time_is_pending_not_failed()
    {
        var invoice = TestInvoice.Create();
        await using var server = await StartAsync((app, fake) => app.MapPost("/v2/router/send", async (HttpContext context) =>
        {
            await context.Response.WriteAsync(Line(Payment(invoice, "IN_FLIGHT")));
            await context.Response.Body.FlushAsync();
            await fake.Release; // the node keeps the payment in flight until the test ends
        }));
        await using var node = new LndRestNode(server.BaseUri, Macaroon, CertificatePin.FromThumbprint(Thumbprint), Impatient);

        var result = await node.PayAsync(invoice.Bolt11, 10, CancellationToken.None);

        Assert.Equal(PaymentStatus.Pending, result.Status);
        Assert.Equal(invoice.PaymentHashHex, result.PaymentHashHex);
    }

    [Fact]
    public async Task Pay_whose_connection_drops_after_sending_is_pending()
    {
        var invoice = TestInvoice.Create();
        await using var server = await StartAsync((app, _) => app.MapPost("/v2/router/send", (HttpContext context) =>
        {
            context.Abort();
            return Task.CompletedTask;
        }));
        await using var node = Node(server);

        var result = await node.PayAsync(invoice.Bolt11, 10, CancellationToken.None);

        Assert.Equal(PaymentStatus.Pending, result.Status);
    }

    [Fact]
    public async Task Pay_to_a_node_that_cannot_be_reached_throws_because_nothing_was_sent()
    {
        await using var node = new LndRestNode(new Uri($"https://127.0.0.1:{ManifestBuild.TestSupport.Loopback.ClosedPort()}/"), Macaroon, CertificatePin.FromThumbprint(Thumbprint), Fast);

        var error = await Assert.ThrowsAsync<DsrsException>(() => node.PayAsync(TestInvoice.Create().Bolt11, 10, CancellationToken.None));

        Assert.Equal(NodeErrorCodes.Unreachable, error.Code);
        Assert.IsNotType<AmbiguousOutcomeException>(error);
    }

    [Fact]
    public async Task Lookup_uses_the_base64url_hash_and_maps_in_flight_success_and_not_initiated()
    {
        var inFlight = TestInvoice.Create();
        var done = TestInvoice.Create();
        await using var server = await StartAsync((app, fake) => app.MapGet("/v2/router/track/{hash}", async (string hash, HttpContext context) =>
        {
            if (hash == NodeJsonHex.ToBase64Url(inFlight.PaymentHashHex))
            {
                // The track stream stays open after the current state: the client must not wait for more.
                await context.Response.WriteAsync(Line(Payment(inFlight, "IN_FLIGHT")));
                await context.Response.Body.FlushAsync();
                await fake.Release;
            }
            else if (hash == NodeJsonHex.ToBase64Url(done.PaymentHashHex))
            {
                await context.Response.WriteAsync(Line(Payment(done, "SUCCEEDED", preimage: done.PreimageHex, feeMsat: 3)));
            }
            else
            {
                context.Response.StatusCode = 404;
                await context.Response.WriteAsync(Line(new JsonObject { ["error"] = new JsonObject { ["code"] = 5, ["message"] = "payment isn't initiated" } }));
            }
        }));
        await using var node = Node(server);

        Assert.Equal(PaymentStatus.Pending, (await node.LookupPaymentAsync(inFlight.PaymentHashHex, CancellationToken.None)).Status);
        var succeeded = await node.LookupPaymentAsync(done.PaymentHashHex, CancellationToken.None);
        Assert.Equal((PaymentStatus.Succeeded, done.PreimageHex, (long?)3), (succeeded.Status, succeeded.PreimageHex, succeeded.FeeMsat));
        Assert.Equal(PaymentStatus.NotFound, (await node.LookupPaymentAsync(TestInvoice.Create().PaymentHashHex, CancellationToken.None)).Status);
    }

    [Fact]
    public async Task CreateInvoice_sends_value_msat_memo_and_expiry_and_decodes_r_hash()
    {
        var hash = RandomNumberGenerator.GetBytes(32);
        await using var server = await StartAsync((app, _) => app.MapPost("/v1/invoices", () =>
            Results.Json(new { r_hash = Convert.ToBase64String(hash), payment_request = "lnbcrt1fake", add_index = "7" })));
        await using var node = Node(server);

        var created = await node.CreateInvoiceAsync(21_000, "dsrs manifest abc", TimeSpan.FromMinutes(10), CancellationToken.None);

        Assert.Equal("lnbcrt1fake", created.Bolt11);
        Assert.Equal(Convert.ToHexString(hash).ToLowerInvariant(), created.PaymentHashHex);
        Assert.InRange(created.ExpiresAt, DateTimeOffset.UtcNow.AddMinutes(9), DateTimeOffset.UtcNow.AddMinutes(11));
        var body = JsonNode.Parse(server.To("/v1/invoices").Single().Body)!;
        Assert.Equal(("21000", "dsrs manifest abc", "600"), ((string?)body["value_msat"], (string?)body["memo"], (string?)body["expiry"]));
    }

    [Fact]
    public async Task Tls_pinning_accepts_the_pinned_certificate_by_thumbprint_or_file_and_refuses_anything_else()
    {
        await using var server = await StartAsync((app, _) => app.MapGet("/v1/getinfo", () => Results.Json(new { identity_pubkey = "03" + new string('b', 64), chains = new[] { new { chain = "bitcoin", network = "mainnet" } } })));
        using var temp = new ManifestBuild.TestSupport.TempDirectory("nodes-lnd");
        var certFile = temp.Write("tls.cert", Certificate.ExportCertificatePem());

        await using var byThumbprint = Node(server);
        await using var byFile = new LndRestNode(server.BaseUri, Macaroon, CertificatePin.FromFile(certFile), Fast);
        await using var wrongPin = new LndRestNode(server.BaseUri, Macaroon, CertificatePin.FromThumbprint(new string('0', 64)), Fast);
        await using var noPin = new LndRestNode(server.BaseUri, Macaroon, null, Fast);

        Assert.Equal("bitcoin", (await byThumbprint.GetInfoAsync(CancellationToken.None)).Network);
        Assert.Equal("bitcoin", (await byFile.GetInfoAsync(CancellationToken.None)).Network);
        Assert.Equal(NodeErrorCodes.CertificateRefused, (await Assert.ThrowsAsync<DsrsException>(() => wrongPin.GetInfoAsync(CancellationToken.None))).Code);
        Assert.Equal(NodeErrorCodes.CertificateRefused, (await Assert.ThrowsAsync<DsrsException>(() => noPin.GetInfoAsync(CancellationToken.None))).Code);
        var refusedPay = await Assert.ThrowsAsync<DsrsException>(() => wrongPin.PayAsync(TestInvoice.Create().Bolt11, 10, CancellationToken.None));
        Assert.Equal(NodeErrorCodes.CertificateRefused, refusedPay.Code);
        Assert.Empty(server.To("/v2/router/send"));
    }

    [Fact]
    public async Task A_refused_macaroon_is_an_authentication_error_that_never_echoes_the_macaroon()
    {
        await using var server = await StartAsync((app, _) => app.MapGet("/v1/getinfo", (HttpContext context) =>
            Results.Json(new { code = 2, message = "verification failed: signature mismatch after caveat verification for " + context.Request.Headers["Grpc-Metadata-macaroon"], details = Array.Empty<object>() }, statusCode: 500)));
        await using var node = Node(server);

        var error = await Assert.ThrowsAsync<DsrsException>(() => node.GetInfoAsync(CancellationToken.None));

        Assert.Equal(NodeErrorCodes.AuthenticationRefused, error.Code);
        Assert.DoesNotContain(Macaroon, error.ToString(), StringComparison.OrdinalIgnoreCase);
    }

    private static LndRestNode Node(FakeNodeServer server) => new(server.BaseUri, Macaroon, CertificatePin.FromThumbprint(Thumbprint), Fast);

    private static Task<FakeNodeServer> StartAsync(Action<WebApplication, FakeNodeServer> map) => FakeNodeServer.StartAsync(map, Certificate);

    private static string Line(JsonNode payload) => payload.ToJsonString() + "\n";

    private static JsonObject Payment(TestInvoice invoice, string status, string? preimage = null, long feeMsat = 0, string failure = "FAILURE_REASON_NONE") => new()
    {
        ["result"] = new JsonObject
        {
            ["payment_hash"] = invoice.PaymentHashHex,
            ["value"] = "1000",
            ["value_sat"] = "1000",
            ["value_msat"] = "1000000",
            ["payment_preimage"] = preimage ?? new string('0', 64),
            ["payment_request"] = invoice.Bolt11,
            ["status"] = status,
            ["fee_sat"] = (feeMsat / 1000).ToString(),
            ["fee_msat"] = feeMsat.ToString(),
            ["creation_time_ns"] = "1700000000000000000",
            ["htlcs"] = new JsonArray(),
            ["payment_index"] = "1",
            ["failure_reason"] = failure,
        },
    };
}

internal static class NodeJsonHex
{
    /// <summary>Padded base64url: what LND's gateway (runtime.Bytes) decodes.</summary>
    public static string ToBase64Url(string hex) =>
        Convert.ToBase64String(Convert.FromHexString(hex)).Replace('+', '-').Replace('/', '_');
}
