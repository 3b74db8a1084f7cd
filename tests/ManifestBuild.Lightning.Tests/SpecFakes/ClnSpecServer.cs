using System.Text.Json.Nodes;
using ManifestBuild.Lightning.Tests.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace ManifestBuild.Lightning.Tests.SpecFakes;

/// <summary>
/// Core Lightning's clnrest as ElementsProject/lightning at commit 090f4b0e6981d458b07a8e95d3eccf5a7c0b9542
/// defines it: plugins/rest-plugin/src/handlers.rs (POST /v1/{method}, JSON params, the rune in the
/// `Rune` header, success = HTTP 201 with the RPC result, RPC error = HTTP 500 with {"code","message"},
/// -32601 = HTTP 404), request and response shapes from doc/schemas/{xpay,listpays,getinfo,listfunds,invoice}.json,
/// error codes from common/jsonrpc_errors.h and xpay.json's list (-1, 203, 205, 207, 209, 219); an
/// unknown parameter is -32602 as lightningd's param() answers it.
/// </summary>
internal static class ClnSpecServer
{
    public const string Rune = "spec-rune-Ab0Cd1Ef2";

    private static readonly Dictionary<string, Dictionary<string, FieldType>> Methods = new()
    {
        ["getinfo"] = [],
        ["listfunds"] = new() { ["spent"] = FieldType.Bool },
        ["xpay"] = new()
        {
            ["invstring"] = FieldType.String, ["amount_msat"] = FieldType.Msat, ["maxfee"] = FieldType.Msat, ["layers"] = FieldType.Array,
            ["retry_for"] = FieldType.UnsignedInteger, ["partial_msat"] = FieldType.Msat, ["maxdelay"] = FieldType.UnsignedInteger,
            ["payer_note"] = FieldType.String, ["label"] = FieldType.String, ["localinvreqid"] = FieldType.String,
        },
        ["listpays"] = new()
        {
            ["bolt11"] = FieldType.String, ["payment_hash"] = FieldType.String, ["status"] = FieldType.String,
            ["index"] = FieldType.String, ["start"] = FieldType.UnsignedInteger, ["limit"] = FieldType.UnsignedInteger,
        },
        ["invoice"] = new()
        {
            ["amount_msat"] = FieldType.Msat, ["label"] = FieldType.String, ["description"] = FieldType.String, ["expiry"] = FieldType.UnsignedInteger,
            ["fallbacks"] = FieldType.Array, ["preimage"] = FieldType.String, ["exposeprivatechannels"] = FieldType.Bool,
            ["cltv"] = FieldType.UnsignedInteger, ["deschashonly"] = FieldType.Bool,
        },
    };

    private static readonly Dictionary<string, string[]> Required = new()
    {
        ["xpay"] = ["invstring"], ["invoice"] = ["amount_msat", "label", "description"],
    };

    /// <summary>What xpay answers next; null = behave as the backend's outcome says.</summary>
    public static async Task<SpecNodeServer> StartAsync(FakeLightningBackend backend)
    {
        var http = await FakeNodeServer.StartAsync((app, _) => Map(app, backend), LndSpecServer.Certificate);
        return new SpecNodeServer(http, backend, $"type=clightning-rest;server={http.BaseUri};rune={Rune};certthumbprint={LndSpecServer.Thumbprint}");
    }

    private static void Map(WebApplication app, FakeLightningBackend backend)
    {
        app.MapPost("/v1/{method}", async (string method, HttpContext context) =>
        {
            if (context.Request.Headers["Rune"].ToString() != Rune)
            {
                await Answer(context, 401, new JsonObject { ["code"] = 1501, ["message"] = "Not authorized: Not derived from master" });
                return;
            }

            if (!Methods.TryGetValue(method, out var fields))
            {
                backend.Violation($"POST /v1/{method}: not a method the adapter should call");
                await Answer(context, 404, Error(-32601, $"Unknown command '{method}'"));
                return;
            }

            var where = "POST /v1/" + method;
            if (context.Request.ContentType?.StartsWith("application/json", StringComparison.Ordinal) != true)
            {
                backend.Violation($"{where}: Content-Type is '{context.Request.ContentType}'");
            }

            var text = await new StreamReader(context.Request.Body).ReadToEndAsync();
            var body = text.Length == 0 ? new JsonObject() : SpecCheck.ObjectBody(text, backend, where);
            if (body is null)
            {
                await Answer(context, 500, Error(-32700, "Parse error"));
                return;
            }

            SpecCheck.Fields(body, fields, Required.GetValueOrDefault(method) ?? [], backend, where);
            if (body.Select(p => p.Key).FirstOrDefault(k => !fields.ContainsKey(k)) is { } unknown)
            {
                await Answer(context, 500, Error(-32602, "unknown parameter: " + unknown));
                return;
            }

            switch (method)
            {
                case "getinfo":
                    await Answer(context, 201, new JsonObject
                    {
                        ["id"] = backend.Wallet.NodeId, ["alias"] = "spec-cln", ["color"] = "02abcd", ["num_peers"] = 1, ["num_pending_channels"] = 0,
                        ["num_active_channels"] = 1, ["num_inactive_channels"] = 0, ["version"] = "v25.05", ["blockheight"] = 800,
                        ["network"] = "regtest", ["fees_collected_msat"] = 0, ["lightning-dir"] = "/tmp/regtest", ["address"] = new JsonArray(),
                    });
                    return;
                case "listfunds":
                    await Answer(context, 201, new JsonObject { ["outputs"] = new JsonArray(), ["channels"] = new JsonArray() });
                    return;
                case "invoice":
                    var created = await backend.Wallet.CreateInvoiceAsync(NodeMsat(body["amount_msat"]), (string)body["description"]!, TimeSpan.FromSeconds((long?)body["expiry"] ?? 604800), default);
                    await Answer(context, 201, new JsonObject
                    {
                        ["payment_hash"] = created.PaymentHashHex, ["expires_at"] = created.ExpiresAt.ToUnixTimeSeconds(), ["created_index"] = 1,
                        ["bolt11"] = created.Bolt11, ["payment_secret"] = new string('1', 64),
                    });
                    return;
                case "listpays":
                    var found = body["payment_hash"] is { } h ? await backend.FindAsync((string)h!) : null;
                    await Answer(context, 201, new JsonObject { ["pays"] = found is null ? new JsonArray() : new JsonArray(Pay(found)) });
                    return;
                default:
                    await XpayAsync(context, body, backend);
                    return;
            }
        });
    }

    private static async Task XpayAsync(HttpContext context, JsonObject body, FakeLightningBackend backend)
    {
        var (payment, existing, outcome) = await backend.PayAsync((string)body["invstring"]!);
        if (existing)
        {
            await Answer(context, 500, payment.State == FakePaymentState.Succeeded
                ? Error(219, "Already paid this invoice successfully")
                : Error(-1, "Unexpected injectpaymentonion error: payment in progress"));
            return;
        }

        switch (outcome)
        {
            case FakePayOutcome.PayThenDrop:
                context.Abort();
                return;
            case FakePayOutcome.StayInFlight:
                // xpay without slow mode gives up while parts are still in flight (payment_give_up).
                await Answer(context, 500, Error(209, "Failed after 1 attempts: timed out"));
                return;
        }

        if (payment.State == FakePaymentState.Succeeded)
        {
            await Answer(context, 201, new JsonObject
            {
                ["payment_preimage"] = payment.Preimage, ["failed_parts"] = 0, ["successful_parts"] = 1,
                ["amount_msat"] = payment.AmountMsat, ["amount_sent_msat"] = payment.AmountMsat + payment.FeeMsat,
            });
            return;
        }

        await Answer(context, 500, Error(205, "Failed: could not route to the destination"));
    }

    private static JsonObject Pay(FakePayment payment)
    {
        var pay = new JsonObject
        {
            ["created_index"] = payment.Index, ["payment_hash"] = payment.Hash, ["created_at"] = payment.CreatedAt.ToUnixTimeSeconds(),
            ["bolt11"] = payment.Bolt11,
        };
        switch (payment.State)
        {
            case FakePaymentState.Succeeded:
                pay["status"] = "complete";
                pay["amount_msat"] = payment.AmountMsat;
                pay["amount_sent_msat"] = payment.AmountMsat + payment.FeeMsat;
                pay["preimage"] = payment.Preimage;
                break;
            case FakePaymentState.Failed:
                pay["status"] = "failed";
                pay["amount_sent_msat"] = 0;
                break;
            default:
                pay["status"] = "pending";
                pay["amount_msat"] = payment.AmountMsat;
                pay["amount_sent_msat"] = payment.AmountMsat;
                break;
        }

        return pay;
    }

    private static long NodeMsat(JsonNode? value) => value is JsonValue v && v.TryGetValue<long>(out var n) ? n : long.Parse(((string)value!).Replace("msat", string.Empty));

    private static JsonObject Error(int code, string message) => new() { ["code"] = code, ["message"] = message };

    private static async Task Answer(HttpContext context, int status, JsonObject body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.ToJsonString());
    }
}
