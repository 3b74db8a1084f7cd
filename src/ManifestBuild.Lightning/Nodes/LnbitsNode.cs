using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ManifestBuild.Format;

namespace ManifestBuild.Lightning.Nodes;

/// <summary>
/// An LNbits wallet: <c>POST /api/v1/payments</c> (<c>out: true</c> pays, <c>out: false</c> creates an
/// invoice, amounts in sats), <c>GET /api/v1/payments/{hash}</c>, <c>GET /api/v1/wallet</c>, with the
/// wallet key in <c>X-Api-Key</c>.
/// <para>
/// Fee cap: LNbits' pay call takes no fee limit. LNbits itself hands its funding source a fee limit
/// equal to its fee reserve, max(LNBITS_RESERVE_FEE_MIN, amount × LNBITS_RESERVE_FEE_PERCENT / 100)
/// (defaults 2000 msat and 1%). So the payment can cost at most that reserve, and ManifestBuild
/// refuses (DSRS0447) when our absolute cap is below it. If the server's reserve settings differ from
/// the defaults, give them as <c>reserve-fee-min-msat</c> / <c>reserve-fee-percent</c>.
/// </para>
/// <para>
/// Service fee: an LNbits server may charge its own fee on every outgoing payment
/// (lnbits_service_fee percent, at most lnbits_service_fee_max sat; lnbits/core/services/payments.py),
/// added to the routing fee and not visible to a wallet key. The cap check counts it from
/// <c>service-fee-percent</c> / <c>service-fee-max-sat</c> (default 0, LNbits' default), and a payment whose
/// reported fee still exceeds the cap carries a warning that says so.
/// </para>
/// <para>LNbits exposes no node id or network for a wallet: the id is reported empty and the network
/// is the <c>network</c> key of the connection string (default bitcoin).</para>
/// </summary>
public sealed class LnbitsNode : ILightningNode
{
    public const long DefaultReserveFeeMinMsat = 2000;
    public const decimal DefaultReserveFeePercent = 1.0m;

    private const string Label = "LNbits";
    private readonly NodeHttpClient http;
    private readonly NodeOptions options;
    private readonly long reserveMinMsat;
    private readonly decimal reservePercent;
    private readonly string network;
    private readonly decimal servicePercent;
    private readonly long serviceMaxMsat;

    public LnbitsNode(Uri server, string apiKey, NodeOptions? options = null, long reserveFeeMinMsat = DefaultReserveFeeMinMsat, decimal reserveFeePercent = DefaultReserveFeePercent, string network = "bitcoin", decimal serviceFeePercent = 0, long serviceFeeMaxSat = 0)
    {
        servicePercent = serviceFeePercent;
        serviceMaxMsat = serviceFeeMaxSat * 1000;
        this.options = options ?? NodeOptions.Default;
        reserveMinMsat = reserveFeeMinMsat;
        reservePercent = reserveFeePercent;
        this.network = NodeJson.Network(network, "the lnbits connection string");
        http = new NodeHttpClient(Label, server, null, [apiKey]);
        http.DefaultHeaders.Add("X-Api-Key", apiKey);
    }

    public string Kind => "lnbits";

    public static LnbitsNode FromConnection(NodeConnection connection, NodeOptions? options = null) => new(
        connection.Server!,
        connection.Require("api-key"),
        options,
        connection.Get("reserve-fee-min-msat") is { } min ? long.Parse(min, CultureInfo.InvariantCulture) : DefaultReserveFeeMinMsat,
        connection.Get("reserve-fee-percent") is { } percent ? decimal.Parse(percent, CultureInfo.InvariantCulture) : DefaultReserveFeePercent,
        connection.Get("network") ?? "bitcoin",
        connection.Get("service-fee-percent") is { } service ? decimal.Parse(service, CultureInfo.InvariantCulture) : 0,
        connection.Get("service-fee-max-sat") is { } max ? long.Parse(max, CultureInfo.InvariantCulture) : 0);

    /// <summary>The most LNbits lets its funding source spend on fees for this amount.</summary>
    public long FeeReserveMsat(long amountMsat) => Math.Max(reserveMinMsat, (long)decimal.Floor(amountMsat * reservePercent / 100m));

    /// <summary>The server's own service fee for this amount, as services/payments.py service_fee computes it.</summary>
    public long ServiceFeeMsat(long amountMsat)
    {
        var fee = (long)decimal.Floor(amountMsat / 100m * servicePercent);
        return serviceMaxMsat > 0 && fee > serviceMaxMsat ? serviceMaxMsat : fee;
    }

    public async Task<NodeInfo> GetInfoAsync(CancellationToken cancellationToken)
    {
        var response = await http.SendAsync(HttpMethod.Get, "api/v1/wallet", null, options.RequestTimeout, cancellationToken).ConfigureAwait(false);
        var json = ExpectOk(response, "the wallet query");
        return new NodeInfo(string.Empty, network, NodeJson.String(json, "name"), NodeJson.Long(json, "balance"));
    }

    public async Task<PaymentResult> PayAsync(string bolt11, long maxFeeMsat, CancellationToken cancellationToken)
    {
        NodeJson.RequireFeeCap(maxFeeMsat);
        var invoice = NodeJson.PayableInvoice(bolt11);
        var reserve = FeeReserveMsat(invoice.AmountMsat!.Value);
        var service = ServiceFeeMsat(invoice.AmountMsat!.Value);
        if (maxFeeMsat < reserve + service)
        {
            throw new DsrsException(NodeErrorCodes.FeeCapBelowLnbitsReserve,
                $"LNbits takes no fee limit per payment; it lets its funding source spend up to its fee reserve ({reserve} msat) and adds its service fee ({service} msat), {reserve + service} msat for this {invoice.AmountMsat} msat invoice, which is above the fee cap of {maxFeeMsat} msat; nothing was paid (raise the cap, or set reserve-fee-min-msat/reserve-fee-percent/service-fee-percent/service-fee-max-sat to the server's settings)");
        }

        var hash = invoice.PaymentHashHex;
        NodeHttpResponse response;
        try
        {
            var body = new JsonObject { ["out"] = true, ["bolt11"] = bolt11 };
            response = await http.SendAsync(HttpMethod.Post, "api/v1/payments", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
                options.PaymentTimeout + options.PaymentGrace, cancellationToken).ConfigureAwait(false);
        }
        catch (DsrsException e) when (NodeJson.LeavesOutcomeUnknown(e))
        {
            return NodeJson.Unknown(hash, e);
        }

        http.ThrowIfUnauthorized(response, "api-key");
        var detail = Detail(response);
        if ((int)response.Status is >= 400 and < 500)
        {
            // Validation refusals (insufficient balance, bad or already-paid invoice): LNbits recorded no attempt.
            throw new DsrsException(NodeErrorCodes.PaymentRefused, $"LNbits refused the payment (HTTP {(int)response.Status}): {detail}; nothing was paid");
        }

        // Success or a server-side failure (LNbits answers 520 when the funding source fails):
        // LNbits records the attempt before calling its funding source, so its record is the truth.
        var recorded = await NodeJson.LookupAfterSendAsync(this, hash, cancellationToken).ConfigureAwait(false);
        return recorded.Status switch
        {
            PaymentStatus.NotFound when response.IsSuccess => new PaymentResult(PaymentStatus.Pending, hash, FailureReason: "LNbits accepted the payment but does not list it yet"),
            PaymentStatus.NotFound => new PaymentResult(PaymentStatus.Failed, hash, FailureReason: $"LNbits failed the payment (HTTP {(int)response.Status}: {detail}) and recorded no attempt"),
            PaymentStatus.Failed => recorded with { FailureReason = $"LNbits: {detail}" },
            PaymentStatus.Succeeded when recorded.FeeMsat > maxFeeMsat => recorded with
            {
                Warning = $"LNbits charged {recorded.FeeMsat} msat in fees, above the fee cap of {maxFeeMsat} msat: its service fee is larger than service-fee-percent/service-fee-max-sat say; set them to the server's settings",
            },
            _ => recorded,
        };
    }

    public async Task<PaymentResult> LookupPaymentAsync(string paymentHashHex, CancellationToken cancellationToken)
    {
        var hash = NodeJson.RequireHash(paymentHashHex);
        var response = await http.SendAsync(HttpMethod.Get, "api/v1/payments/" + hash, null, options.RequestTimeout, cancellationToken).ConfigureAwait(false);
        if (response.Status == HttpStatusCode.NotFound)
        {
            return new PaymentResult(PaymentStatus.NotFound, hash);
        }

        var json = ExpectOk(response, "the payment lookup");
        var details = json["details"];

        // The same hash may be an invoice of this wallet (positive amount): that is not a payment.
        var amount = NodeJson.Long(details, "amount");
        if (amount > 0)
        {
            return new PaymentResult(PaymentStatus.NotFound, hash);
        }

        var fee = NodeJson.Long(details, "fee") is { } f ? Math.Abs(f) : (long?)null;
        var status = NodeJson.String(json, "status") ?? NodeJson.String(details, "status");
        if (NodeJson.Bool(json, "paid") == true || status == "success")
        {
            var preimage = NodeJson.CheckedPreimage(NodeJson.String(json, "preimage") ?? NodeJson.String(details, "preimage"), hash)
                ?? throw new DsrsException(NodeErrorCodes.UnexpectedResponse, "LNbits reports the payment paid without a preimage that hashes to the payment hash");
            return new PaymentResult(PaymentStatus.Succeeded, hash, preimage, amount is { } a ? Math.Abs(a) : null, fee);
        }

        return status == "failed"
            ? new PaymentResult(PaymentStatus.Failed, hash, FailureReason: "LNbits lists the payment as failed")
            : new PaymentResult(PaymentStatus.Pending, hash);
    }

    public async Task<CreatedInvoice> CreateInvoiceAsync(long amountMsat, string description, TimeSpan expiry, CancellationToken cancellationToken)
    {
        var sats = NodeJson.WholeSats(amountMsat, Label);
        var seconds = NodeJson.WholeSeconds(expiry);
        var body = new JsonObject { ["out"] = false, ["amount"] = sats, ["unit"] = "sat", ["memo"] = description, ["expiry"] = seconds };
        var created = DateTimeOffset.UtcNow;
        var response = await http.SendAsync(HttpMethod.Post, "api/v1/payments", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"), options.RequestTimeout, cancellationToken).ConfigureAwait(false);
        var json = ExpectOk(response, "invoice creation");
        var bolt11 = NodeJson.String(json, "bolt11") ?? NodeJson.String(json, "payment_request") ?? throw NodeJson.Missing(Label, "invoice creation", "bolt11");
        var hash = NodeJson.Hex32(NodeJson.String(json, "payment_hash")) ?? throw NodeJson.Missing(Label, "invoice creation", "payment_hash");
        return new CreatedInvoice(bolt11, hash, created.AddSeconds(seconds));
    }

    public ValueTask DisposeAsync()
    {
        http.Dispose();
        return ValueTask.CompletedTask;
    }

    private JsonNode ExpectOk(NodeHttpResponse response, string what)
    {
        http.ThrowIfUnauthorized(response, "api-key");
        if (!response.IsSuccess)
        {
            throw new DsrsException(NodeErrorCodes.NodeError, $"LNbits refused {what} (HTTP {(int)response.Status}): {Detail(response)}");
        }

        return http.ParseJson(response, what);
    }

    /// <summary>LNbits (FastAPI) errors are <c>{"detail": "..."}</c>.</summary>
    private string Detail(NodeHttpResponse response)
    {
        try
        {
            var detail = JsonNode.Parse(response.Body)?["detail"];
            return http.Scrub(detail is JsonValue v && v.TryGetValue<string>(out var text) ? text : detail?.ToJsonString() ?? response.Body);
        }
        catch (System.Text.Json.JsonException)
        {
            return http.Scrub(response.Body);
        }
    }
}
