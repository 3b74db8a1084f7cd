using System.Text.Json.Nodes;
using ManifestBuild.Lightning.Tests.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace ManifestBuild.Lightning.Tests.SpecFakes;

/// <summary>
/// An LNbits wallet as lnbits/lnbits at commit 7d98c6b0808efab3edafc21310ec34d1c38c23df defines it:
/// lnbits/core/views/payment_api.py (POST /api/v1/payments with a CreateInvoice body, answered 201 with the
/// Payment; GET /api/v1/payments/{payment_hash} answering {"paid","status","preimage","details"} or 404
/// {"detail": "Payment does not exist."}), lnbits/core/models/payments.py (CreateInvoice fields; Payment
/// amounts and fees in msat, negative when outgoing), lnbits/core/services/payments.py and lnbits/exceptions.py (a PaymentError is HTTP 520 {"detail","status"}; the service fee
/// lnbits_service_fee percent, capped by lnbits_service_fee_max sat, added to the reported fee), the key
/// in X-Api-Key (401 {"detail": "Invalid adminkey."} when wrong).
/// </summary>
internal static class LnbitsSpecServer
{
    public const string AdminKey = "spec0admin0key0f1e2d3c4b5a69788";

    private static readonly Dictionary<string, FieldType> CreateInvoiceFields = new()
    {
        ["unit"] = FieldType.String, ["internal"] = FieldType.Bool, ["out"] = FieldType.Bool, ["amount"] = FieldType.Int64,
        ["memo"] = FieldType.String, ["description_hash"] = FieldType.String, ["unhashed_description"] = FieldType.String,
        ["payment_hash"] = FieldType.String, ["expiry"] = FieldType.Int32, ["extra"] = FieldType.Array, ["webhook"] = FieldType.String,
        ["bolt11"] = FieldType.String, ["fiat_provider"] = FieldType.String, ["labels"] = FieldType.Array,
    };

    /// <summary>The server's lnbits_service_fee (percent) and lnbits_service_fee_max (sat); 0 = off, the LNbits default.</summary>
    public static async Task<SpecNodeServer> StartAsync(FakeLightningBackend backend, double serviceFeePercent = 0, long serviceFeeMaxSat = 0)
    {
        var http = await FakeNodeServer.StartAsync((app, _) => Map(app, backend, serviceFeePercent, serviceFeeMaxSat));
        return new SpecNodeServer(http, backend, $"type=lnbits;server={http.BaseUri};api-key={AdminKey};network=regtest");
    }

    private static void Map(WebApplication app, FakeLightningBackend backend, double servicePercent, long serviceMaxSat)
    {
        long ServiceFee(long msat)
        {
            var fee = (long)(msat / 100.0 * servicePercent);
            return serviceMaxSat > 0 && fee > serviceMaxSat * 1000 ? serviceMaxSat * 1000 : fee;
        }

        app.Use(async (context, next) =>
        {
            if (context.Request.Headers["X-Api-Key"].ToString() != AdminKey)
            {
                await Detail(context, 401, "Invalid adminkey.");
                return;
            }

            await next(context);
        });

        app.MapGet("/api/v1/wallet", () => Results.Json(new JsonObject { ["id"] = "w1", ["name"] = "spec wallet", ["balance"] = 1_000_000_000 }));

        app.MapPost("/api/v1/payments", async (HttpContext context) =>
        {
            const string where = "POST /api/v1/payments";
            var body = SpecCheck.ObjectBody(await new StreamReader(context.Request.Body).ReadToEndAsync(), backend, where);
            if (body is null)
            {
                await Detail(context, 422, "body is not JSON");
                return;
            }

            SpecCheck.Fields(body, CreateInvoiceFields, [], backend, where);
            if ((bool?)body["out"] != true)
            {
                var created = await backend.Wallet.CreateInvoiceAsync((long)body["amount"]! * 1000, (string?)body["memo"] ?? string.Empty, TimeSpan.FromSeconds((int?)body["expiry"] ?? 3600), default);
                context.Response.StatusCode = 201;
                await context.Response.WriteAsJsonAsync(Payment(new FakePayment(created.PaymentHashHex, created.Bolt11, -(long)body["amount"]! * 1000, FakePaymentState.InFlight, null, 0, null, 0, DateTimeOffset.UtcNow), 0, incoming: true));
                return;
            }

            if ((string?)body["bolt11"] is not { } bolt11)
            {
                await Detail(context, 400, "Missing BOLT11 invoice");
                return;
            }

            var (payment, existing, outcome) = await backend.PayAsync(bolt11);
            if (existing)
            {
                // _verify_external_payment raises PaymentError, which lnbits/exceptions.py answers with 520.
                await Detail(context, 520, payment.State == FakePaymentState.Succeeded ? "Payment already paid." : "Payment is still pending.", payment.State == FakePaymentState.Succeeded ? "success" : "pending");
                return;
            }

            switch (outcome)
            {
                case FakePayOutcome.PayThenDrop:
                    context.Abort();
                    return;
                case FakePayOutcome.NoRoute:
                    // pay_invoice raises PaymentError, which the API answers with 520 after recording it failed.
                    await Detail(context, 520, "Payment failed: no route", "failed");
                    return;
            }

            context.Response.StatusCode = 201;
            await context.Response.WriteAsJsonAsync(Payment(payment, ServiceFee(payment.AmountMsat), incoming: false));
        });

        app.MapGet("/api/v1/payments/{payment_hash}", async (string payment_hash, HttpContext context) =>
        {
            var payment = await backend.FindAsync(payment_hash);
            if (payment is null)
            {
                await Detail(context, 404, "Payment does not exist.");
                return;
            }

            var details = Payment(payment, ServiceFee(payment.AmountMsat), incoming: false);
            await context.Response.WriteAsJsonAsync(payment.State switch
            {
                FakePaymentState.Succeeded => new JsonObject { ["paid"] = true, ["preimage"] = payment.Preimage, ["details"] = details },
                FakePaymentState.Failed => new JsonObject { ["paid"] = false, ["status"] = "failed", ["details"] = details },
                _ => new JsonObject { ["paid"] = false, ["status"] = "pending", ["preimage"] = new string('0', 64), ["details"] = details },
            });
        });
    }

    private static JsonObject Payment(FakePayment payment, long serviceFeeMsat, bool incoming) => new()
    {
        ["checking_id"] = payment.Hash, ["payment_hash"] = payment.Hash, ["wallet_id"] = "w1",
        ["amount"] = incoming ? -payment.AmountMsat : -payment.AmountMsat,
        ["fee"] = incoming ? 0 : -(payment.FeeMsat + (payment.State == FakePaymentState.Succeeded ? serviceFeeMsat : 0)),
        ["bolt11"] = payment.Bolt11, ["status"] = payment.State switch { FakePaymentState.Succeeded => "success", FakePaymentState.Failed => "failed", _ => "pending" },
        ["memo"] = null, ["preimage"] = payment.Preimage, ["expiry"] = null, ["extra"] = new JsonObject(), ["webhook"] = null,
        ["time"] = payment.CreatedAt.ToString("O"), ["created_at"] = payment.CreatedAt.ToString("O"), ["updated_at"] = payment.CreatedAt.ToString("O"),
        ["labels"] = new JsonArray(),
    };

    private static async Task Detail(HttpContext context, int status, string detail, string? paymentStatus = null)
    {
        context.Response.StatusCode = status;
        var body = new JsonObject { ["detail"] = detail };
        if (paymentStatus is not null)
        {
            body["status"] = paymentStatus;
        }

        await context.Response.WriteAsJsonAsync(body);
    }
}
