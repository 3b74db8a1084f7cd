using System.Text;
using System.Text.Json.Nodes;
using ManifestBuild.Lightning.Tests.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace ManifestBuild.Lightning.Tests.SpecFakes;

/// <summary>
/// phoenixd's HTTP API as ACINQ/phoenixd at commit 402c2eacafafe52fe60de786677298dcfc1cdfd2 defines it:
/// src/commonMain/kotlin/fr/acinq/phoenixd/Api.kt (form-encoded POST /payinvoice and /createinvoice,
/// GET /getinfo, /getbalance, /payments/outgoingbyhash/{paymentHash} answering the best attempt or
/// 404 "Not found"; HTTP basic auth, any user name, the http-password; createinvoice refuses a description
/// over maxDescriptionSize = 128 with 400) and .../json/JsonSerializers.kt (PaymentSent with
/// recipientAmountSat and routingFeeSat truncated to whole sat; PaymentFailed {paymentHash, reason};
/// OutgoingPayment whose `sent` is lightning-kmp's amount INCLUDING fees, truncated to sat, and `fees` in msat).
/// </summary>
internal static class PhoenixdSpecServer
{
    public const string Password = "spec0phoenix0password0aa11bb22";
    public const int MaxDescriptionSize = 128;

    public static async Task<SpecNodeServer> StartAsync(FakeLightningBackend backend)
    {
        var http = await FakeNodeServer.StartAsync((app, _) => Map(app, backend));
        return new SpecNodeServer(http, backend, $"type=phoenixd;server={http.BaseUri};password={Password}");
    }

    private static void Map(WebApplication app, FakeLightningBackend backend)
    {
        app.Use(async (context, next) =>
        {
            var header = context.Request.Headers.Authorization.ToString();
            var password = header.StartsWith("Basic ", StringComparison.Ordinal)
                ? Encoding.UTF8.GetString(Convert.FromBase64String(header[6..])).Split(':', 2).ElementAtOrDefault(1)
                : null;
            if (password != Password)
            {
                context.Response.StatusCode = 401;
                await context.Response.WriteAsync("Invalid authentication (use basic auth with the http password set in phoenix.conf)");
                return;
            }

            await next(context);
        });

        app.MapGet("/getinfo", () => Results.Json(new JsonObject
        {
            ["nodeId"] = backend.Wallet.NodeId, ["channels"] = new JsonArray(), ["chain"] = "regtest", ["blockHeight"] = 800, ["version"] = "0.6.0",
        }));
        app.MapGet("/getbalance", () => Results.Json(new JsonObject { ["balanceSat"] = 1_000_000, ["feeCreditSat"] = 0 }));

        app.MapPost("/createinvoice", async (HttpContext context) =>
        {
            var form = await FormAsync(context, backend, "POST /createinvoice", ["amountSat", "description", "descriptionHash", "expirySeconds", "externalId", "webhookUrl"]);
            var description = form.GetValueOrDefault("description");
            if (description is { Length: > MaxDescriptionSize })
            {
                context.Response.StatusCode = 400;
                await context.Response.WriteAsync($"Request parameter description is too long (max {MaxDescriptionSize} characters)");
                return;
            }

            var created = await backend.Wallet.CreateInvoiceAsync(long.Parse(form["amountSat"]) * 1000, description ?? string.Empty, TimeSpan.FromSeconds(long.Parse(form.GetValueOrDefault("expirySeconds") ?? "3600")), default);
            await context.Response.WriteAsJsonAsync(new JsonObject { ["amountSat"] = long.Parse(form["amountSat"]), ["paymentHash"] = created.PaymentHashHex, ["serialized"] = created.Bolt11 });
        });

        app.MapPost("/payinvoice", async (HttpContext context) =>
        {
            var form = await FormAsync(context, backend, "POST /payinvoice", ["amountSat", "invoice"]);
            if (!form.TryGetValue("invoice", out var bolt11))
            {
                context.Response.StatusCode = 400;
                await context.Response.WriteAsync("Missing parameter invoice");
                return;
            }

            var (payment, existing, outcome) = await backend.PayAsync(bolt11);
            if (outcome == FakePayOutcome.PayThenDrop)
            {
                context.Abort();
                return;
            }

            if (existing || payment.State == FakePaymentState.Failed)
            {
                await context.Response.WriteAsJsonAsync(new JsonObject { ["type"] = "payment_failed", ["paymentHash"] = payment.Hash, ["offerId"] = null, ["reason"] = existing ? "AlreadyPaid" : "RouteNotFound" });
                return;
            }

            if (payment.State == FakePaymentState.InFlight)
            {
                // peer.payInvoice waits for the outcome: the request stays open until the client gives up.
                await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
                return;
            }

            await context.Response.WriteAsJsonAsync(new JsonObject
            {
                ["type"] = "payment_sent", ["recipientAmountSat"] = payment.AmountMsat / 1000, ["routingFeeSat"] = payment.FeeMsat / 1000,
                ["paymentId"] = Guid.NewGuid().ToString(), ["paymentHash"] = payment.Hash, ["paymentPreimage"] = payment.Preimage,
            });
        });

        app.MapGet("/payments/outgoingbyhash/{paymentHash}", async (string paymentHash, HttpContext context) =>
        {
            if (paymentHash.Length != 64 || !paymentHash.All(Uri.IsHexDigit))
            {
                backend.Violation("GET /payments/outgoingbyhash: the hash is not 32 bytes of hex");
                context.Response.StatusCode = 400;
                await context.Response.WriteAsync("Invalid parameter paymentHash");
                return;
            }

            if (await backend.FindAsync(paymentHash.ToLowerInvariant()) is not { } payment)
            {
                context.Response.StatusCode = 404;
                await context.Response.WriteAsync("Not found");
                return;
            }

            await context.Response.WriteAsJsonAsync(new JsonObject
            {
                ["subType"] = "lightning", ["paymentId"] = Guid.NewGuid().ToString(), ["paymentHash"] = payment.Hash,
                ["preimage"] = payment.State == FakePaymentState.Succeeded ? payment.Preimage : null, ["txId"] = null,
                ["isPaid"] = payment.State == FakePaymentState.Succeeded,
                ["sent"] = (payment.AmountMsat + payment.FeeMsat) / 1000, ["fees"] = payment.FeeMsat, ["invoice"] = payment.Bolt11,
                ["completedAt"] = payment.State == FakePaymentState.InFlight ? null : DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
                ["createdAt"] = payment.CreatedAt.ToUnixTimeMilliseconds(),
            });
        });
    }

    private static async Task<Dictionary<string, string>> FormAsync(HttpContext context, FakeLightningBackend backend, string where, string[] known)
    {
        if (!context.Request.HasFormContentType)
        {
            backend.Violation($"{where}: the body is not application/x-www-form-urlencoded ({context.Request.ContentType})");
            return [];
        }

        var form = await context.Request.ReadFormAsync();
        foreach (var key in form.Keys.Where(k => !known.Contains(k)))
        {
            backend.Violation($"{where}: unknown form parameter '{key}'");
        }

        return form.ToDictionary(f => f.Key, f => f.Value.ToString());
    }
}
