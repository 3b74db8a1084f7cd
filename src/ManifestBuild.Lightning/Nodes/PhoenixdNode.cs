using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using ManifestBuild.Format;

namespace ManifestBuild.Lightning.Nodes;

/// <summary>
/// phoenixd's HTTP API: <c>POST /payinvoice</c> and <c>POST /createinvoice</c> (form-encoded),
/// <c>GET /payments/outgoingbyhash/{hash}</c>, <c>GET /getinfo</c>, <c>GET /getbalance</c>; HTTP basic
/// auth with an empty user name and the API password.
/// <para>
/// Fee cap: phoenixd's pay call takes no fee limit. Phoenix documents its fee for sending over
/// Lightning as 0.4% of the amount plus 4 sat (paid to its LSP, ACINQ, which routes the payment).
/// That fee is what the payment costs, so ManifestBuild refuses (DSRS0446) when the absolute cap is
/// below it rather than let phoenixd spend more than the cap.
/// </para>
/// </summary>
public sealed class PhoenixdNode : ILightningNode
{
    /// <summary>Phoenix's documented Lightning send fee: a base of 4 sat ...</summary>
    public const long FeeBaseMsat = 4_000;

    /// <summary>... plus 0.4% (4 per mille) of the amount.</summary>
    public const long FeePerMille = 4;

    /// <summary>phoenixd refuses longer invoice descriptions.</summary>
    public const int MaxDescriptionLength = 128;

    private const string Label = "phoenixd";
    private readonly NodeHttpClient http;
    private readonly NodeOptions options;

    public PhoenixdNode(Uri server, string password, NodeOptions? options = null)
    {
        this.options = options ?? NodeOptions.Default;
        var credentials = Convert.ToBase64String(Encoding.UTF8.GetBytes(":" + password));
        http = new NodeHttpClient(Label, server, null, [password, credentials]);
        http.DefaultHeaders.Authorization = new AuthenticationHeaderValue("Basic", credentials);
    }

    public string Kind => "phoenixd";

    public static PhoenixdNode FromConnection(NodeConnection connection, NodeOptions? options = null) =>
        new(connection.Server!, connection.Require("password"), options);

    /// <summary>The least phoenixd charges to send this amount: 4 sat + 0.4%, rounded up to the msat.</summary>
    public static long FeeFloorMsat(long amountMsat) => FeeBaseMsat + ((amountMsat * FeePerMille) + 999) / 1000;

    public async Task<NodeInfo> GetInfoAsync(CancellationToken cancellationToken)
    {
        var json = ExpectOk(await http.SendAsync(HttpMethod.Get, "getinfo", null, options.RequestTimeout, cancellationToken).ConfigureAwait(false), "getinfo");
        long? spendable = null;
        try
        {
            var balance = await http.SendAsync(HttpMethod.Get, "getbalance", null, options.RequestTimeout, cancellationToken).ConfigureAwait(false);
            if (balance.IsSuccess && NodeJson.Long(http.ParseJson(balance, "getbalance"), "balanceSat") is { } sats)
            {
                spendable = sats * 1000;
            }
        }
        catch (DsrsException)
        {
            // The balance is informative only.
        }

        return new NodeInfo(
            NodeJson.RequireString(json, "nodeId", Label, "getinfo"),
            NodeJson.Network(NodeJson.String(json, "chain") ?? "mainnet", Label),
            null,
            spendable);
    }

    public async Task<PaymentResult> PayAsync(string bolt11, long maxFeeMsat, CancellationToken cancellationToken)
    {
        NodeJson.RequireFeeCap(maxFeeMsat);
        var invoice = NodeJson.PayableInvoice(bolt11);
        var floor = FeeFloorMsat(invoice.AmountMsat!.Value);
        if (maxFeeMsat < floor)
        {
            throw new DsrsException(NodeErrorCodes.FeeCapBelowPhoenixdFee,
                $"phoenixd cannot be given a fee cap and charges 0.4% + 4 sat to send, {floor} msat for this {invoice.AmountMsat} msat invoice, which is above the fee cap of {maxFeeMsat} msat; nothing was paid");
        }

        var hash = invoice.PaymentHashHex;
        try
        {
            // Only the invoice: never amountSat, which would override the invoice's amount.
            var form = new FormUrlEncodedContent([new("invoice", bolt11)]);
            var response = await http.SendAsync(HttpMethod.Post, "payinvoice", form, options.PaymentTimeout + options.PaymentGrace, cancellationToken).ConfigureAwait(false);
            http.ThrowIfUnauthorized(response, "password");
            if (response.Status == HttpStatusCode.BadRequest)
            {
                throw new DsrsException(NodeErrorCodes.PaymentRefused, $"phoenixd refused the payment request (HTTP 400): {http.Scrub(response.Body)}; nothing was paid");
            }

            if (!response.IsSuccess)
            {
                // A server-side exception: phoenixd's own payment record says what happened, if anything.
                var recorded = await NodeJson.LookupAfterSendAsync(this, hash, cancellationToken).ConfigureAwait(false);
                return recorded.Status == PaymentStatus.NotFound
                    ? new PaymentResult(PaymentStatus.Failed, hash, FailureReason: $"phoenixd failed (HTTP {(int)response.Status}): {http.Scrub(response.Body)}")
                    : recorded;
            }

            var json = http.ParseJson(response, "payinvoice");
            if (NodeJson.String(json, "reason") is { } reason && NodeJson.String(json, "paymentPreimage") is null)
            {
                // PaymentNotSent for this request says nothing about an earlier payment of the same
                // invoice (e.g. already paid): the payment record decides.
                var earlier = await NodeJson.LookupAfterSendAsync(this, hash, cancellationToken).ConfigureAwait(false);
                return earlier.Status is PaymentStatus.Succeeded or PaymentStatus.Pending
                    ? earlier
                    : new PaymentResult(PaymentStatus.Failed, hash, FailureReason: "phoenixd: " + http.Scrub(reason));
            }

            var preimage = NodeJson.CheckedPreimage(NodeJson.String(json, "paymentPreimage"), hash)
                ?? throw new DsrsException(NodeErrorCodes.UnexpectedResponse, "phoenixd reports the payment sent without a preimage that hashes to the invoice's payment hash");

            // PaymentSent truncates the fee to whole sat (routingFee.truncateToSatoshi()); the payment
            // record has it exactly in msat. Without the record, the fee is at most the next whole sat.
            var exact = await NodeJson.LookupAfterSendAsync(this, hash, cancellationToken).ConfigureAwait(false);
            var fee = exact is { Status: PaymentStatus.Succeeded, FeeMsat: { } msat } ? msat : NodeJson.Long(json, "routingFeeSat") * 1000 + 999;
            return new PaymentResult(PaymentStatus.Succeeded, hash, preimage, invoice.AmountMsat, fee);
        }
        catch (DsrsException e) when (NodeJson.LeavesOutcomeUnknown(e))
        {
            return NodeJson.Unknown(hash, e);
        }
    }

    public async Task<PaymentResult> LookupPaymentAsync(string paymentHashHex, CancellationToken cancellationToken)
    {
        var hash = NodeJson.RequireHash(paymentHashHex);
        var response = await http.SendAsync(HttpMethod.Get, "payments/outgoingbyhash/" + hash, null, options.RequestTimeout, cancellationToken).ConfigureAwait(false);
        if (response.Status == HttpStatusCode.NotFound)
        {
            return new PaymentResult(PaymentStatus.NotFound, hash);
        }

        var json = ExpectOk(response, "the payment lookup");

        // One payment, or every attempt for the hash: a success wins, then anything still in flight.
        var attempts = (json is JsonArray array ? array.OfType<JsonObject>() : json is JsonObject one ? [one] : []).Select(p => ToResult(p, hash)).ToList();
        return attempts.FirstOrDefault(a => a.Status == PaymentStatus.Succeeded)
            ?? attempts.FirstOrDefault(a => a.Status == PaymentStatus.Pending)
            ?? attempts.FirstOrDefault()
            ?? new PaymentResult(PaymentStatus.NotFound, hash);
    }

    public async Task<CreatedInvoice> CreateInvoiceAsync(long amountMsat, string description, TimeSpan expiry, CancellationToken cancellationToken)
    {
        var sats = NodeJson.WholeSats(amountMsat, Label);
        var seconds = NodeJson.WholeSeconds(expiry);
        if (description.Length > MaxDescriptionLength)
        {
            throw new DsrsException(NodeErrorCodes.InvalidArgument, $"phoenixd accepts invoice descriptions of at most {MaxDescriptionLength} characters; this one has {description.Length}");
        }

        var form = new FormUrlEncodedContent(
        [
            new("amountSat", sats.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new("description", description),
            new("expirySeconds", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ]);
        var created = DateTimeOffset.UtcNow;
        var json = ExpectOk(await http.SendAsync(HttpMethod.Post, "createinvoice", form, options.RequestTimeout, cancellationToken).ConfigureAwait(false), "createinvoice");
        return new CreatedInvoice(
            NodeJson.RequireString(json, "serialized", Label, "createinvoice"),
            NodeJson.Hex32(NodeJson.String(json, "paymentHash")) ?? throw NodeJson.Missing(Label, "createinvoice", "paymentHash"),
            created.AddSeconds(seconds));
    }

    public ValueTask DisposeAsync()
    {
        http.Dispose();
        return ValueTask.CompletedTask;
    }

    private static PaymentResult ToResult(JsonObject payment, string hash)
    {
        // lightning-kmp's `sent` is what left the wallet INCLUDING fees, truncated to sat; `fees` is exact
        // msat. The amount that reached the payee is the invoice's own amount.
        var fee = NodeJson.Long(payment, "fees");
        var sent = InvoiceAmount(NodeJson.String(payment, "invoice")) ?? (NodeJson.Long(payment, "sent") * 1000 - fee);
        var preimage = NodeJson.CheckedPreimage(NodeJson.String(payment, "preimage"), hash);
        var completed = NodeJson.Long(payment, "completedAt") is not null;
        if (NodeJson.Bool(payment, "isPaid") == true && preimage is not null)
        {
            return new PaymentResult(PaymentStatus.Succeeded, hash, preimage, sent, fee);
        }

        // Older phoenixd set isPaid for any completed payment, failed ones included: without a
        // preimage, a completed payment is a failed one.
        return completed || NodeJson.Bool(payment, "isPaid") == true
            ? new PaymentResult(PaymentStatus.Failed, hash, FailureReason: "phoenixd lists the payment as completed without success")
            : new PaymentResult(PaymentStatus.Pending, hash);
    }

    private static long? InvoiceAmount(string? bolt11)
    {
        try
        {
            return bolt11 is null ? null : InvoiceFacts.Read(bolt11).AmountMsat;
        }
        catch (DsrsException)
        {
            return null;
        }
    }

    private JsonNode ExpectOk(NodeHttpResponse response, string what)
    {
        http.ThrowIfUnauthorized(response, "password");
        if (!response.IsSuccess)
        {
            throw new DsrsException(NodeErrorCodes.NodeError, $"phoenixd refused {what} (HTTP {(int)response.Status}): {http.Scrub(response.Body)}");
        }

        return http.ParseJson(response, what);
    }
}
