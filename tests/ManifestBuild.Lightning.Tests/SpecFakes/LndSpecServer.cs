using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using ManifestBuild.Lightning.Tests.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace ManifestBuild.Lightning.Tests.SpecFakes;

/// <summary>
/// LND's REST gateway as lightningnetwork/lnd at commit 90ea05d5a7f9239ede8eb4e2f36d9a66c39e67d5 defines it:
/// lnrpc/routerrpc/router.swagger.json (POST /v2/router/send, GET /v2/router/track/{payment_hash}: NDJSON
/// streams of {"result": lnrpcPayment} or {"error": rpcStatus}), lnrpc/lightning.swagger.json (GET /v1/getinfo,
/// GET /v1/balance/channels, POST /v1/invoices); error texts from payments/db/errors.go and the gRPC codes
/// lnrpc/routerrpc/router_server.go maps them to (AlreadyExists 6 → HTTP 409, NotFound 5 → HTTP 404);
/// `format: byte` path parameters decoded as grpc-gateway v2.16.0 (pinned in go.mod) runtime.Bytes does:
/// base64.StdEncoding, then base64.URLEncoding, both requiring '=' padding, else HTTP 400
/// "type mismatch, parameter: payment_hash". The macaroon travels in Grpc-Metadata-macaroon.
/// </summary>
internal static class LndSpecServer
{
    public const string Macaroon = "0201036c6e6402f801030a10b3bf6906c1937139ac0684ac4417a2ee";

    public static readonly X509Certificate2 Certificate = FakeNodeServer.SelfSignedCertificate();

    private static readonly Dictionary<string, FieldType> SendFields = new()
    {
        ["dest"] = FieldType.String, ["amt"] = FieldType.Int64, ["amt_msat"] = FieldType.Int64, ["payment_hash"] = FieldType.String,
        ["final_cltv_delta"] = FieldType.Int32, ["payment_request"] = FieldType.String, ["timeout_seconds"] = FieldType.Int32,
        ["fee_limit_sat"] = FieldType.Int64, ["fee_limit_msat"] = FieldType.Int64, ["outgoing_chan_id"] = FieldType.Int64,
        ["outgoing_chan_ids"] = FieldType.Array, ["last_hop_pubkey"] = FieldType.String, ["cltv_limit"] = FieldType.Int32,
        ["route_hints"] = FieldType.Array, ["allow_self_payment"] = FieldType.Bool, ["dest_features"] = FieldType.Array,
        ["max_parts"] = FieldType.Int32, ["no_inflight_updates"] = FieldType.Bool, ["payment_addr"] = FieldType.String,
        ["max_shard_size_msat"] = FieldType.Int64, ["amp"] = FieldType.Bool, ["time_pref"] = FieldType.Int64, ["cancelable"] = FieldType.Bool,
    };

    private static readonly Dictionary<string, FieldType> InvoiceFields = new()
    {
        ["memo"] = FieldType.String, ["r_preimage"] = FieldType.String, ["value"] = FieldType.Int64, ["value_msat"] = FieldType.Int64,
        ["description_hash"] = FieldType.String, ["expiry"] = FieldType.Int64, ["fallback_addr"] = FieldType.String,
        ["cltv_expiry"] = FieldType.Int64, ["route_hints"] = FieldType.Array, ["private"] = FieldType.Bool, ["is_amp"] = FieldType.Bool,
    };

    public static string Thumbprint => Convert.ToHexString(SHA256.HashData(Certificate.RawData)).ToLowerInvariant();

    public static async Task<SpecNodeServer> StartAsync(FakeLightningBackend backend)
    {
        var http = await FakeNodeServer.StartAsync((app, fake) => Map(app, fake, backend), Certificate);
        return new SpecNodeServer(http, backend, $"type=lnd-rest;server={http.BaseUri};macaroon={Macaroon};certthumbprint={Thumbprint}");
    }

    private static void Map(WebApplication app, FakeNodeServer fake, FakeLightningBackend backend)
    {
        app.Use(async (context, next) =>
        {
            if (context.Request.Headers["Grpc-Metadata-macaroon"].ToString() != Macaroon)
            {
                // LND answers a bad macaroon with gRPC Unknown (2), which the gateway sends as HTTP 500.
                await Status(context, 500, 2, "verification failed: signature mismatch after caveat verification");
                return;
            }

            await next(context);
        });

        app.MapGet("/v1/getinfo", () => Results.Json(new JsonObject
        {
            ["version"] = "0.19.0-beta", ["identity_pubkey"] = backend.Wallet.NodeId, ["alias"] = "spec-lnd", ["num_active_channels"] = 1,
            ["synced_to_chain"] = true, ["testnet"] = false, ["chains"] = new JsonArray(new JsonObject { ["chain"] = "bitcoin", ["network"] = "regtest" }),
        }));
        app.MapGet("/v1/balance/channels", () => Results.Json(new JsonObject
        {
            ["balance"] = "1000000", ["local_balance"] = new JsonObject { ["sat"] = "1000000", ["msat"] = "1000000000" },
            ["remote_balance"] = new JsonObject { ["sat"] = "0", ["msat"] = "0" },
        }));

        app.MapPost("/v1/invoices", async (HttpContext context) =>
        {
            var body = await BodyAsync(context, backend, "POST /v1/invoices", InvoiceFields, []);
            if (body is null)
            {
                await Status(context, 400, 3, "invalid request body");
                return;
            }

            SpecCheck.Exclusive(body, "value", "value_msat", backend, "POST /v1/invoices");
            var msat = long.Parse(body["value_msat"]?.ToString() ?? "0") + (long.Parse(body["value"]?.ToString() ?? "0") * 1000);
            var created = await backend.Wallet.CreateInvoiceAsync(msat, (string?)body["memo"] ?? string.Empty, TimeSpan.FromSeconds(long.Parse(body["expiry"]?.ToString() ?? "86400")), default);
            await context.Response.WriteAsJsonAsync(new JsonObject
            {
                ["r_hash"] = Convert.ToBase64String(Convert.FromHexString(created.PaymentHashHex)),
                ["payment_request"] = created.Bolt11, ["add_index"] = "1", ["payment_addr"] = Convert.ToBase64String(new byte[32]),
            });
        });

        app.MapPost("/v2/router/send", async (HttpContext context) =>
        {
            const string where = "POST /v2/router/send";
            var body = await BodyAsync(context, backend, where, SendFields, []);
            if (body is null || (string?)body["payment_request"] is not { } bolt11)
            {
                backend.Violation(where + ": no payment_request");
                await Status(context, 400, 3, "invalid request body");
                return;
            }

            SpecCheck.Exclusive(body, "amt", "amt_msat", backend, where);
            SpecCheck.Exclusive(body, "fee_limit_sat", "fee_limit_msat", backend, where);
            var (payment, existing, outcome) = await backend.PayAsync(bolt11);
            if (existing)
            {
                // router_server.go: ErrAlreadyPaid / ErrPaymentInFlight become codes.AlreadyExists.
                await Status(context, 409, 6, payment.State == FakePaymentState.Succeeded ? "invoice is already paid" : "payment is in transition", stream: true);
                return;
            }

            if (outcome == FakePayOutcome.PayThenDrop)
            {
                context.Abort();
                return;
            }

            await StreamAsync(context, fake, backend, payment.Hash, onlyFinal: (bool?)body["no_inflight_updates"] == true);
        });

        app.MapGet("/v2/router/track/{payment_hash}", async (string payment_hash, HttpContext context) =>
        {
            foreach (var key in context.Request.Query.Keys.Where(k => k != "no_inflight_updates"))
            {
                backend.Violation($"GET /v2/router/track: unknown query parameter '{key}'");
            }

            var bytes = SpecCheck.GoBase64(payment_hash, urlAlphabet: false) ?? SpecCheck.GoBase64(payment_hash, urlAlphabet: true);
            if (bytes is null)
            {
                backend.Violation($"GET /v2/router/track: payment_hash '{payment_hash}' is not padded base64 (runtime.Bytes refuses it)");
                await Status(context, 400, 3, "type mismatch, parameter: payment_hash, error: illegal base64 data at input byte " + payment_hash.Length);
                return;
            }

            var hash = Convert.ToHexString(bytes).ToLowerInvariant();
            if (bytes.Length != 32 || await backend.FindAsync(hash) is null)
            {
                await Status(context, 404, 5, "payment isn't initiated", stream: true);
                return;
            }

            await StreamAsync(context, fake, backend, hash, onlyFinal: context.Request.Query["no_inflight_updates"] == "true");
        });
    }

    /// <summary>The stream: the current state first, then every change, until a final state (or the client leaves).</summary>
    private static async Task StreamAsync(HttpContext context, FakeNodeServer fake, FakeLightningBackend backend, string hash, bool onlyFinal)
    {
        context.Response.ContentType = "application/json";
        for (var updates = 0; updates < 1000; updates++)
        {
            var change = backend.NextChange;
            var payment = (await backend.FindAsync(hash))!;
            var final = payment.State != FakePaymentState.InFlight;
            if (final || !onlyFinal)
            {
                await context.Response.WriteAsync(new JsonObject { ["result"] = Payment(payment) }.ToJsonString() + "\n");
                await context.Response.Body.FlushAsync();
            }

            if (final)
            {
                return;
            }

            var ended = await Task.WhenAny(change, fake.Release, Task.Delay(Timeout.Infinite, context.RequestAborted));
            if (ended != change)
            {
                return;
            }
        }
    }

    private static JsonObject Payment(FakePayment payment) => new()
    {
        ["payment_hash"] = payment.Hash,
        ["value"] = (payment.AmountMsat / 1000).ToString(),
        ["creation_date"] = payment.CreatedAt.ToUnixTimeSeconds().ToString(),
        ["fee"] = (payment.FeeMsat / 1000).ToString(),
        ["payment_preimage"] = payment.Preimage ?? new string('0', 64),
        ["value_sat"] = (payment.AmountMsat / 1000).ToString(),
        ["value_msat"] = payment.AmountMsat.ToString(),
        ["payment_request"] = payment.Bolt11,
        ["status"] = payment.State switch { FakePaymentState.Succeeded => "SUCCEEDED", FakePaymentState.Failed => "FAILED", _ => "IN_FLIGHT" },
        ["fee_sat"] = (payment.FeeMsat / 1000).ToString(),
        ["fee_msat"] = payment.FeeMsat.ToString(),
        ["creation_time_ns"] = (payment.CreatedAt.ToUnixTimeMilliseconds() * 1_000_000).ToString(),
        ["htlcs"] = new JsonArray(),
        ["payment_index"] = payment.Index.ToString(),
        ["failure_reason"] = payment.State == FakePaymentState.Failed ? "FAILURE_REASON_NO_ROUTE" : "FAILURE_REASON_NONE",
        ["first_hop_custom_records"] = new JsonObject(),
    };

    private static async Task<JsonObject?> BodyAsync(HttpContext context, FakeLightningBackend backend, string where, Dictionary<string, FieldType> fields, string[] required)
    {
        if (context.Request.ContentType?.StartsWith("application/json", StringComparison.Ordinal) != true)
        {
            backend.Violation($"{where}: Content-Type is '{context.Request.ContentType}', not application/json");
        }

        var body = SpecCheck.ObjectBody(await new StreamReader(context.Request.Body).ReadToEndAsync(), backend, where);
        if (body is not null)
        {
            SpecCheck.Fields(body, fields, required, backend, where);
        }

        return body;
    }

    /// <summary>An rpcStatus; inside a stream the gateway wraps it as {"error": ...} (errorChunk).</summary>
    private static async Task Status(HttpContext context, int http, int code, string message, bool stream = false)
    {
        var status = new JsonObject { ["code"] = code, ["message"] = message, ["details"] = new JsonArray() };
        context.Response.StatusCode = http;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync((stream ? new JsonObject { ["error"] = status } : status).ToJsonString() + (stream ? "\n" : string.Empty));
    }
}
