using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ManifestBuild.Format;

namespace ManifestBuild.Lightning.Nodes;

/// <summary>
/// LND over its REST gateway: <c>POST /v2/router/send</c> and <c>GET /v2/router/track/{hash}</c>
/// (newline-delimited JSON streams of <c>{"result": Payment}</c> or <c>{"error": ...}</c>),
/// <c>POST /v1/invoices</c>, <c>GET /v1/getinfo</c>; the macaroon travels in
/// <c>Grpc-Metadata-macaroon</c>; TLS is pinned to LND's own certificate when configured.
/// </summary>
public sealed class LndRestNode : ILightningNode
{
    private const string Label = "LND";
    private readonly NodeHttpClient http;
    private readonly NodeOptions options;

    public LndRestNode(Uri server, string macaroonHex, CertificatePin? pin, NodeOptions? options = null)
    {
        this.options = options ?? NodeOptions.Default;
        http = new NodeHttpClient(Label, server, pin, [macaroonHex]);
        http.DefaultHeaders.Add("Grpc-Metadata-macaroon", macaroonHex);
    }

    public string Kind => "lnd-rest";

    public static LndRestNode FromConnection(NodeConnection connection, NodeOptions? options = null)
    {
        var macaroon = connection.Get("macaroon");
        if (macaroon is null)
        {
            var path = connection.Require("macaroonfilepath");
            try
            {
                macaroon = Hex.Encode(File.ReadAllBytes(path));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
            {
                throw new DsrsException(NodeErrorCodes.UnreadableFile, $"the macaroon file given by 'macaroonfilepath' ({path}) cannot be read: {e.GetType().Name}");
            }
        }

        return new LndRestNode(connection.Server!, macaroon, CertificatePin.FromConnection(connection), options);
    }

    public async Task<NodeInfo> GetInfoAsync(CancellationToken cancellationToken)
    {
        var response = await http.SendAsync(HttpMethod.Get, "v1/getinfo", null, options.RequestTimeout, cancellationToken).ConfigureAwait(false);
        var json = ExpectOk(response, "getinfo");
        var network = (json["chains"] as JsonArray)?.FirstOrDefault() is { } chain ? NodeJson.String(chain, "network") : null;
        network ??= NodeJson.Bool(json, "testnet") == true ? "testnet" : "mainnet";
        return new NodeInfo(
            NodeJson.RequireString(json, "identity_pubkey", Label, "getinfo"),
            NodeJson.Network(network, Label),
            NodeJson.String(json, "alias"),
            await SpendableAsync(cancellationToken).ConfigureAwait(false));
    }

    public async Task<PaymentResult> PayAsync(string bolt11, long maxFeeMsat, CancellationToken cancellationToken)
    {
        NodeJson.RequireFeeCap(maxFeeMsat);
        var invoice = NodeJson.PayableInvoice(bolt11);

        // The amount comes from the invoice alone: never amt/amt_msat. fee_limit_msat is absolute.
        var request = new JsonObject
        {
            ["payment_request"] = bolt11,
            ["fee_limit_msat"] = maxFeeMsat.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["timeout_seconds"] = (int)Math.Max(1, Math.Ceiling(options.PaymentTimeout.TotalSeconds)),
            ["no_inflight_updates"] = true,
        };
        var content = new StringContent(request.ToJsonString(), Encoding.UTF8, "application/json");
        try
        {
            var outcome = await http.SendAsync(HttpMethod.Post, "v2/router/send", content, options.PaymentTimeout + options.PaymentGrace,
                (response, token) => ReadStreamAsync(response, invoice.PaymentHashHex, stopAtFirst: false, token), cancellationToken).ConfigureAwait(false);
            return outcome.Error switch
            {
                null => outcome.Result ?? new PaymentResult(PaymentStatus.Pending, invoice.PaymentHashHex, FailureReason: "LND's stream ended before a final state"),
                var error when error.Contains("already paid", StringComparison.OrdinalIgnoreCase) => await AlreadyPaidAsync(invoice.PaymentHashHex, cancellationToken).ConfigureAwait(false),

                // paymentsdb.ErrPaymentExists: an earlier attempt for this hash is recorded; its state decides.
                var error when error.Contains("payment already exists", StringComparison.OrdinalIgnoreCase) => await NodeJson.LookupAfterSendAsync(this, invoice.PaymentHashHex, cancellationToken).ConfigureAwait(false),
                var error when error.Contains("in transition", StringComparison.OrdinalIgnoreCase) || error.Contains("in flight", StringComparison.OrdinalIgnoreCase)
                    => new PaymentResult(PaymentStatus.Pending, invoice.PaymentHashHex, FailureReason: "LND: " + error),
                var error when error.Contains("expired", StringComparison.OrdinalIgnoreCase)
                    => new PaymentResult(PaymentStatus.Failed, invoice.PaymentHashHex, FailureReason: "LND: " + error),
                var error => throw RefusalFor(outcome.HttpStatus, error, "the payment"),
            };
        }
        catch (DsrsException e) when (NodeJson.LeavesOutcomeUnknown(e))
        {
            return NodeJson.Unknown(invoice.PaymentHashHex, e);
        }
    }

    public async Task<PaymentResult> LookupPaymentAsync(string paymentHashHex, CancellationToken cancellationToken)
    {
        var hash = NodeJson.RequireHash(paymentHashHex);

        // The track stream sends the current state first; we read that one line and hang up.
        var outcome = await http.SendAsync(HttpMethod.Get, "v2/router/track/" + NodeJson.HexToBase64Url(hash), null, options.RequestTimeout,
            (response, token) => ReadStreamAsync(response, hash, stopAtFirst: true, token), cancellationToken).ConfigureAwait(false);
        if (outcome.Error is { } error)
        {
            return error.Contains("isn't initiated", StringComparison.OrdinalIgnoreCase) || error.Contains("not found", StringComparison.OrdinalIgnoreCase)
                ? new PaymentResult(PaymentStatus.NotFound, hash)
                : throw RefusalFor(outcome.HttpStatus, error, "the payment lookup");
        }

        return outcome.Result ?? throw new DsrsException(NodeErrorCodes.UnexpectedResponse, "LND's track stream ended without reporting the payment");
    }

    public async Task<CreatedInvoice> CreateInvoiceAsync(long amountMsat, string description, TimeSpan expiry, CancellationToken cancellationToken)
    {
        if (amountMsat <= 0)
        {
            throw new DsrsException(NodeErrorCodes.InvalidArgument, "the invoice amount must be positive");
        }

        var seconds = NodeJson.WholeSeconds(expiry);
        var request = new JsonObject
        {
            ["value_msat"] = amountMsat.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["memo"] = description,
            ["expiry"] = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        var created = DateTimeOffset.UtcNow;
        var response = await http.SendAsync(HttpMethod.Post, "v1/invoices", new StringContent(request.ToJsonString(), Encoding.UTF8, "application/json"), options.RequestTimeout, cancellationToken).ConfigureAwait(false);
        var json = ExpectOk(response, "invoice creation");
        var bolt11 = NodeJson.RequireString(json, "payment_request", Label, "invoice creation");
        var hash = NodeJson.Base64ToHex(NodeJson.RequireString(json, "r_hash", Label, "invoice creation"));
        return new CreatedInvoice(bolt11, hash, created.AddSeconds(seconds));
    }

    public ValueTask DisposeAsync()
    {
        http.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task<long?> SpendableAsync(CancellationToken cancellationToken)
    {
        // Balance is a nicety: a macaroon without offchain:read must not fail the info call.
        try
        {
            var response = await http.SendAsync(HttpMethod.Get, "v1/balance/channels", null, options.RequestTimeout, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccess)
            {
                return null;
            }

            return NodeJson.Long(http.ParseJson(response, "balance")["local_balance"], "msat");
        }
        catch (DsrsException)
        {
            return null;
        }
    }

    private async Task<PaymentResult> AlreadyPaidAsync(string hash, CancellationToken cancellationToken)
    {
        var tracked = await NodeJson.LookupAfterSendAsync(this, hash, cancellationToken).ConfigureAwait(false);
        return tracked.Status == PaymentStatus.NotFound
            ? new PaymentResult(PaymentStatus.Failed, hash, FailureReason: "LND says the invoice is already paid but has no payment for it")
            : tracked;
    }

    private JsonNode ExpectOk(NodeHttpResponse response, string what)
    {
        http.ThrowIfUnauthorized(response, "macaroon");
        var json = http.ParseJson(response, what);
        if (!response.IsSuccess || json["error"] is not null || (json["code"] is not null && json["message"] is not null))
        {
            throw RefusalFor(response.Status, ErrorMessage(json) ?? "unknown error", what);
        }

        return json;
    }

    private DsrsException RefusalFor(HttpStatusCode status, string message, string what)
    {
        // LND reports a bad macaroon as a gRPC error (HTTP 500), not as 401.
        var code = message.Contains("macaroon", StringComparison.OrdinalIgnoreCase) || message.Contains("verification failed", StringComparison.OrdinalIgnoreCase)
            ? NodeErrorCodes.AuthenticationRefused
            : NodeErrorCodes.NodeError;
        return new DsrsException(code, $"LND refused {what} (HTTP {(int)status}): {http.Scrub(message)}");
    }

    private static string? ErrorMessage(JsonNode json)
    {
        var error = json["error"] ?? json;
        return error is JsonValue value && value.TryGetValue<string>(out var text) ? text : NodeJson.String(error, "message");
    }

    /// <summary>Reads the NDJSON stream until a final state (or the first line when tracking).</summary>
    private async Task<StreamOutcome> ReadStreamAsync(HttpResponseMessage response, string hash, bool stopAtFirst, CancellationToken token)
    {
        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            http.ThrowIfUnauthorized(new NodeHttpResponse(response.StatusCode, await NodeHttpClient.ReadBodyAsync(response, token).ConfigureAwait(false)), "macaroon");
        }

        using var stream = await response.Content.ReadAsStreamAsync(token).ConfigureAwait(false);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        PaymentResult? last = null;
        for (var lines = 0; lines < 100_000; lines++)
        {
            var line = await reader.ReadLineAsync(token).ConfigureAwait(false);
            if (line is null)
            {
                return new StreamOutcome(last, null, response.StatusCode);
            }

            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            JsonNode json;
            try
            {
                json = JsonNode.Parse(line) ?? throw new System.Text.Json.JsonException();
            }
            catch (System.Text.Json.JsonException)
            {
                throw new DsrsException(NodeErrorCodes.UnexpectedResponse, $"LND sent a stream line that is not JSON (HTTP {(int)response.StatusCode}): {http.Scrub(line)}");
            }

            if (json["result"] is JsonObject payment)
            {
                last = ToResult(payment, hash);
                if (stopAtFirst || last.Status is PaymentStatus.Succeeded or PaymentStatus.Failed)
                {
                    return new StreamOutcome(last, null, response.StatusCode);
                }
            }
            else if (ErrorMessage(json) is { } error && (json["error"] is not null || !response.IsSuccessStatusCode))
            {
                // An error after the payment was seen in flight is not a refusal: keep it Pending.
                return last is null ? new StreamOutcome(null, error, response.StatusCode) : new StreamOutcome(last, null, response.StatusCode);
            }
            else
            {
                throw new DsrsException(NodeErrorCodes.UnexpectedResponse, $"LND sent a stream line with neither result nor error: {http.Scrub(line)}");
            }
        }

        return new StreamOutcome(last, null, response.StatusCode);
    }

    private static PaymentResult ToResult(JsonObject payment, string hash)
    {
        var status = NodeJson.String(payment, "status");
        var amount = NodeJson.Long(payment, "value_msat");
        var fee = NodeJson.Long(payment, "fee_msat");
        switch (status)
        {
            case "SUCCEEDED":
                var preimage = NodeJson.CheckedPreimage(NodeJson.String(payment, "payment_preimage"), hash)
                    ?? throw new DsrsException(NodeErrorCodes.UnexpectedResponse, "LND reports the payment SUCCEEDED without a preimage that hashes to the payment hash");
                return new PaymentResult(PaymentStatus.Succeeded, hash, preimage, amount, fee);
            case "FAILED":
                return new PaymentResult(PaymentStatus.Failed, hash, AmountMsat: amount, FailureReason: "LND: " + (NodeJson.String(payment, "failure_reason") ?? "FAILED"));
            case "IN_FLIGHT" or "INITIATED" or "UNKNOWN" or null:
                return new PaymentResult(PaymentStatus.Pending, hash, AmountMsat: amount);
            default:
                throw new DsrsException(NodeErrorCodes.UnexpectedResponse, $"LND reports payment status '{(status.Length <= 20 ? status : "(unreadable)")}', which its API does not define");
        }
    }

    private sealed record StreamOutcome(PaymentResult? Result, string? Error, HttpStatusCode HttpStatus);
}
