using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ManifestBuild.Format;

namespace ManifestBuild.Lightning.Nodes;

/// <summary>
/// Core Lightning through clnrest: every RPC is <c>POST /v1/{method}</c> with JSON parameters and
/// the <c>Rune</c> header; an RPC error comes back as HTTP 500 with <c>{"code", "message"}</c>.
/// Pays with <c>xpay</c> (falls back to <c>pay</c> when xpay is unknown), looks payments up with
/// <c>listpays</c>, sells with <c>invoice</c>.
/// </summary>
public sealed class ClnRestNode : ILightningNode
{
    private const string Label = "Core Lightning";

    // CLN's JSON-RPC error codes (common/jsonrpc_errors.h and the xpay/pay manuals).
    private const int UnknownCommand = -32601;
    private const int PayInProgress = 200;
    private const int PayRhashAlreadyUsed = 201;
    private const int InjectPaymentAlreadyPaid = 219;

    /// <summary>
    /// The failures xpay's schema lists (doc/schemas/xpay.json: 203, 205, 207, 209). None of them proves
    /// that nothing is in flight: without slow mode xpay gives up while parts may still be out
    /// (payment_give_up), so every error is checked against listpays before it counts.
    /// </summary>
    private static readonly Dictionary<int, string> XpayFailures = new()
    {
        [203] = "permanent failure at the destination",
        [205] = "no route to the destination",
        [207] = "invoice expired",
        [209] = "payment failed",
    };

    /// <summary>pay's schema (doc/schemas/pay.json) lists two more: 206 and 210.</summary>
    private static readonly Dictionary<int, string> PayFailures = new(XpayFailures)
    {
        [206] = "route too expensive for the fee cap",
        [210] = "stopped retrying",
    };

    private readonly NodeHttpClient http;
    private readonly NodeOptions options;

    public ClnRestNode(Uri server, string rune, CertificatePin? pin, NodeOptions? options = null)
    {
        this.options = options ?? NodeOptions.Default;
        http = new NodeHttpClient(Label, server, pin, [rune]);
        http.DefaultHeaders.Add("Rune", rune);
    }

    public string Kind => "clightning-rest";

    public static ClnRestNode FromConnection(NodeConnection connection, NodeOptions? options = null) =>
        new(connection.Server!, connection.Require("rune"), CertificatePin.FromConnection(connection), options);

    public async Task<NodeInfo> GetInfoAsync(CancellationToken cancellationToken)
    {
        var info = Expect(await CallAsync("getinfo", new JsonObject(), options.RequestTimeout, cancellationToken).ConfigureAwait(false), "getinfo");
        long? spendable = null;
        try
        {
            var funds = await CallAsync("listfunds", new JsonObject(), options.RequestTimeout, cancellationToken).ConfigureAwait(false);
            if (funds.Result?["channels"] is JsonArray channels)
            {
                spendable = channels
                    .Where(c => NodeJson.String(c, "state") == "CHANNELD_NORMAL")
                    .Sum(c => NodeJson.Long(c, "our_amount_msat") ?? 0);
            }
        }
        catch (DsrsException)
        {
            // A rune restricted to payments may not allow listfunds; the balance is then unknown.
        }

        return new NodeInfo(
            NodeJson.RequireString(info, "id", Label, "getinfo"),
            NodeJson.Network(NodeJson.String(info, "network"), Label),
            NodeJson.String(info, "alias"),
            spendable);
    }

    public async Task<PaymentResult> PayAsync(string bolt11, long maxFeeMsat, CancellationToken cancellationToken)
    {
        NodeJson.RequireFeeCap(maxFeeMsat);
        var invoice = NodeJson.PayableInvoice(bolt11);
        var hash = invoice.PaymentHashHex;
        var timeout = options.PaymentTimeout + options.PaymentGrace;
        var retryFor = (int)Math.Max(1, Math.Ceiling(options.PaymentTimeout.TotalSeconds));
        try
        {
            // maxfee is an absolute cap in msat; amount_msat is never sent (the invoice states it).
            var listed = XpayFailures;
            var answer = await CallAsync("xpay", new JsonObject { ["invstring"] = bolt11, ["maxfee"] = maxFeeMsat, ["retry_for"] = retryFor }, timeout, cancellationToken).ConfigureAwait(false);
            if (answer.Code == UnknownCommand)
            {
                listed = PayFailures;
                answer = await CallAsync("pay", new JsonObject { ["bolt11"] = bolt11, ["maxfee"] = maxFeeMsat, ["retry_for"] = retryFor }, timeout, cancellationToken).ConfigureAwait(false);
                if (answer.Code == UnknownCommand)
                {
                    throw new DsrsException(NodeErrorCodes.MethodNotSupported, "Core Lightning knows neither xpay nor pay (are the plugins disabled?); nothing was paid");
                }
            }

            if (answer.Result is { } result)
            {
                return PaidResult(result, hash);
            }

            return answer.Code switch
            {
                PayInProgress => new PaymentResult(PaymentStatus.Pending, hash, FailureReason: "Core Lightning: a payment for this hash is already in progress"),
                InjectPaymentAlreadyPaid => await AlreadyPaidAsync(hash, cancellationToken).ConfigureAwait(false),
                PayRhashAlreadyUsed => throw new DsrsException(NodeErrorCodes.PaymentRefused, $"Core Lightning refused: this payment hash was already paid with a different amount or destination ({answer.Code}: {http.Scrub(answer.Message)}); nothing was paid now"),

                // JSON-RPC level refusals (bad parameters, parse errors): the command never ran.
                <= -32000 and > -33000 => throw new DsrsException(NodeErrorCodes.NodeError, $"Core Lightning refused the payment request with error {answer.Code}: {http.Scrub(answer.Message)}; nothing was paid"),
                _ => await AfterErrorAsync(hash, answer, listed, cancellationToken).ConfigureAwait(false),
            };
        }
        catch (DsrsException e) when (NodeJson.LeavesOutcomeUnknown(e))
        {
            return NodeJson.Unknown(hash, e);
        }
    }

    public async Task<PaymentResult> LookupPaymentAsync(string paymentHashHex, CancellationToken cancellationToken)
    {
        var hash = NodeJson.RequireHash(paymentHashHex);
        var json = Expect(await CallAsync("listpays", new JsonObject { ["payment_hash"] = hash }, options.RequestTimeout, cancellationToken).ConfigureAwait(false), "listpays");
        var pays = (json["pays"] as JsonArray ?? throw NodeJson.Missing(Label, "listpays", "pays")).OfType<JsonObject>().ToList();
        if (pays.FirstOrDefault(p => NodeJson.String(p, "status") == "complete") is { } complete)
        {
            var preimage = NodeJson.CheckedPreimage(NodeJson.String(complete, "preimage"), hash)
                ?? throw new DsrsException(NodeErrorCodes.UnexpectedResponse, "Core Lightning lists the payment complete without a preimage that hashes to the payment hash");
            var amount = NodeJson.Long(complete, "amount_msat");
            var sent = NodeJson.Long(complete, "amount_sent_msat");
            return new PaymentResult(PaymentStatus.Succeeded, hash, preimage, amount, amount is { } a && sent is { } s ? s - a : null);
        }

        if (pays.Any(p => NodeJson.String(p, "status") == "pending"))
        {
            return new PaymentResult(PaymentStatus.Pending, hash);
        }

        return pays.Count == 0
            ? new PaymentResult(PaymentStatus.NotFound, hash)
            : new PaymentResult(PaymentStatus.Failed, hash, FailureReason: "Core Lightning lists every attempt as failed");
    }

    public async Task<CreatedInvoice> CreateInvoiceAsync(long amountMsat, string description, TimeSpan expiry, CancellationToken cancellationToken)
    {
        if (amountMsat <= 0)
        {
            throw new DsrsException(NodeErrorCodes.InvalidArgument, "the invoice amount must be positive");
        }

        var request = new JsonObject
        {
            ["amount_msat"] = amountMsat,
            ["label"] = "dsrs-" + Guid.NewGuid().ToString("N"), // labels must be unique per node
            ["description"] = description,
            ["expiry"] = NodeJson.WholeSeconds(expiry),
        };
        var json = Expect(await CallAsync("invoice", request, options.RequestTimeout, cancellationToken).ConfigureAwait(false), "invoice");
        var expiresAt = NodeJson.Long(json, "expires_at") ?? throw NodeJson.Missing(Label, "invoice", "expires_at");
        return new CreatedInvoice(
            NodeJson.RequireString(json, "bolt11", Label, "invoice"),
            NodeJson.Hex32(NodeJson.String(json, "payment_hash")) ?? throw NodeJson.Missing(Label, "invoice", "payment_hash"),
            DateTimeOffset.FromUnixTimeSeconds(expiresAt));
    }

    public ValueTask DisposeAsync()
    {
        http.Dispose();
        return ValueTask.CompletedTask;
    }

    private static PaymentResult PaidResult(JsonNode result, string hash)
    {
        // xpay answers only on success; pay also carries a status.
        var status = NodeJson.String(result, "status");
        if (status is "pending")
        {
            return new PaymentResult(PaymentStatus.Pending, hash);
        }

        if (status is "failed")
        {
            return new PaymentResult(PaymentStatus.Failed, hash, FailureReason: "Core Lightning: payment failed");
        }

        var preimage = NodeJson.CheckedPreimage(NodeJson.String(result, "payment_preimage"), hash)
            ?? throw new DsrsException(NodeErrorCodes.UnexpectedResponse, "Core Lightning reports the payment done without a preimage that hashes to the invoice's payment hash");
        var amount = NodeJson.Long(result, "amount_msat");
        var sent = NodeJson.Long(result, "amount_sent_msat");
        return new PaymentResult(PaymentStatus.Succeeded, hash, preimage, amount, amount is { } a && sent is { } s ? s - a : null);
    }

    /// <summary>
    /// A payment error decides nothing by itself: listpays does. A complete or pending payment is
    /// reported as such; only when every recorded part failed, or nothing was recorded after an error
    /// the schema lists, is it Failed. Anything else stays Pending (tracked, never retried).
    /// </summary>
    private async Task<PaymentResult> AfterErrorAsync(string hash, RpcAnswer answer, Dictionary<int, string> listed, CancellationToken cancellationToken)
    {
        var code = answer.Code!.Value;
        var said = $"Core Lightning {code}{(listed.TryGetValue(code, out var meaning) ? $" ({meaning})" : string.Empty)}: {http.Scrub(answer.Message)}";
        var recorded = await NodeJson.LookupAfterSendAsync(this, hash, cancellationToken).ConfigureAwait(false);
        return recorded.Status switch
        {
            PaymentStatus.Succeeded or PaymentStatus.Pending => recorded,
            PaymentStatus.Failed => recorded with { FailureReason = said },
            _ when listed.ContainsKey(code) => new PaymentResult(PaymentStatus.Failed, hash, FailureReason: said + " (listpays has no part of it)"),
            _ => new PaymentResult(PaymentStatus.Pending, hash, FailureReason: said + "; outcome unknown, tracking it"),
        };
    }

    private async Task<PaymentResult> AlreadyPaidAsync(string hash, CancellationToken cancellationToken)
    {
        var found = await NodeJson.LookupAfterSendAsync(this, hash, cancellationToken).ConfigureAwait(false);
        return found.Status is PaymentStatus.Succeeded or PaymentStatus.Pending
            ? found
            : throw new DsrsException(NodeErrorCodes.PaymentRefused, "Core Lightning says the invoice is already paid but lists no completed payment for it; nothing was paid now");
    }

    private JsonNode Expect(RpcAnswer answer, string method) =>
        answer.Result ?? throw new DsrsException(NodeErrorCodes.NodeError, $"Core Lightning refused {method} with error {answer.Code}: {http.Scrub(answer.Message)}");

    private async Task<RpcAnswer> CallAsync(string method, JsonObject parameters, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var content = new StringContent(parameters.ToJsonString(), Encoding.UTF8, "application/json");
        var response = await http.SendAsync(HttpMethod.Post, "v1/" + method, content, timeout, cancellationToken).ConfigureAwait(false);
        http.ThrowIfUnauthorized(response, "rune");
        var json = http.ParseJson(response, method);
        if (response.IsSuccess)
        {
            return new RpcAnswer(json, null, null);
        }

        if (response.Status == HttpStatusCode.NotFound && NodeJson.Long(json, "code") is null)
        {
            return new RpcAnswer(null, UnknownCommand, "no such route");
        }

        var code = NodeJson.Long(json, "code");
        var message = NodeJson.String(json, "message");
        if (code is null || message is null)
        {
            throw new DsrsException(NodeErrorCodes.UnexpectedResponse, $"Core Lightning answered {method} with HTTP {(int)response.Status} and no error code: {http.Scrub(response.Body)}");
        }

        return new RpcAnswer(null, (int)code.Value, message);
    }

    private sealed record RpcAnswer(JsonNode? Result, int? Code, string? Message);
}
