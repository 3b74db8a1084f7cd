using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using ManifestBuild.Format;

namespace ManifestBuild.Lightning.Nodes;

/// <summary>Small, forgiving readers for node JSON (int64 as number or string, CLN's "123msat").</summary>
internal static class NodeJson
{
    public static string? String(JsonNode? node, string name) =>
        node is JsonObject obj && obj.TryGetPropertyValue(name, out var value) && value is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    public static bool? Bool(JsonNode? node, string name) =>
        node is JsonObject obj && obj.TryGetPropertyValue(name, out var value) && value is JsonValue v && v.TryGetValue<bool>(out var b) ? b : null;

    public static long? Long(JsonNode? node, string name)
    {
        if (node is not JsonObject obj || !obj.TryGetPropertyValue(name, out var value) || value is not JsonValue v)
        {
            return null;
        }

        if (v.GetValueKind() == JsonValueKind.Number)
        {
            return v.TryGetValue<long>(out var l) ? l : v.TryGetValue<decimal>(out var d) ? (long)d : null;
        }

        if (v.TryGetValue<string>(out var text))
        {
            text = text.EndsWith("msat", StringComparison.Ordinal) ? text[..^4] : text;
            return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed) ? parsed : null;
        }

        return null;
    }

    public static string RequireString(JsonNode? node, string name, string nodeLabel, string what) =>
        String(node, name) is { Length: > 0 } s ? s : throw Missing(nodeLabel, what, name);

    public static DsrsException Missing(string nodeLabel, string what, string name) =>
        new(NodeErrorCodes.UnexpectedResponse, $"{nodeLabel}'s answer to {what} lacks '{name}'");

    /// <summary>Lowercase hex of 32 bytes, or null if the text is not that.</summary>
    public static string? Hex32(string? text) =>
        Hex.IsHex(text, 32) ? text!.ToLowerInvariant() : null;

    /// <summary>A preimage only counts when it hashes to the payment hash (an all-zero placeholder does not).</summary>
    public static string? CheckedPreimage(string? preimageHex, string paymentHashHex)
    {
        if (Hex32(preimageHex) is not { } preimage)
        {
            return null;
        }

        var hash = Hex.Encode(SHA256.HashData(Hex.TryDecode(preimage)!));
        return hash == paymentHashHex ? preimage : null;
    }

    public static string Base64ToHex(string base64)
    {
        var normal = base64.Replace('-', '+').Replace('_', '/');
        normal = normal.PadRight(normal.Length + ((4 - (normal.Length % 4)) % 4), '=');
        return Hex.Encode(Convert.FromBase64String(normal));
    }

    /// <summary>
    /// A <c>format: byte</c> path parameter for LND's REST gateway: base64url WITH its padding. The
    /// gateway (grpc-gateway v2 runtime.Bytes) tries base64.StdEncoding then base64.URLEncoding, and
    /// both require the '=' padding; url-safe letters keep '+' and '/' out of the path.
    /// </summary>
    public static string HexToBase64Url(string hex) =>
        Convert.ToBase64String(Convert.FromHexString(hex)).Replace('+', '-').Replace('/', '_');

    /// <summary>BOLT #11 network names from the many spellings nodes use.</summary>
    public static string Network(string? name, string nodeLabel) => name?.ToLowerInvariant() switch
    {
        "bitcoin" or "mainnet" or "main" => "bitcoin",
        "testnet" or "testnet3" or "testnet4" or "test" => "testnet",
        "signet" => "signet",
        "regtest" => "regtest",
        _ => throw new DsrsException(NodeErrorCodes.UnknownNetwork, $"{nodeLabel} reports network '{(name is { Length: <= 20 } ? name : "(unreadable)")}', which is not bitcoin, testnet, signet or regtest"),
    };

    /// <summary>Lowercase 64-hex payment hash or a refusal naming the argument.</summary>
    public static string RequireHash(string paymentHashHex) =>
        Hex32(paymentHashHex) ?? throw new DsrsException(NodeErrorCodes.InvalidArgument, "the payment hash to look up must be 32 bytes in hex");

    public static void RequireFeeCap(long maxFeeMsat)
    {
        if (maxFeeMsat < 0)
        {
            throw new DsrsException(NodeErrorCodes.InvalidArgument, "the fee cap must not be negative");
        }
    }

    /// <summary>The invoice's facts for paying: amountless invoices are refused (we never pass an amount).</summary>
    public static InvoiceFacts PayableInvoice(string bolt11)
    {
        var facts = InvoiceFacts.Read(bolt11);
        if (facts.AmountMsat is null)
        {
            throw new DsrsException(NodeErrorCodes.AmountlessInvoice, "the invoice has no amount; ManifestBuild only pays invoices that state their amount and never passes one itself");
        }

        return facts;
    }

    /// <summary>
    /// Once a pay request may have reached the node, a time-out, a dropped connection or an answer we
    /// cannot read leaves the outcome unknown: the payment may be in flight, so it is Pending.
    /// </summary>
    public static bool LeavesOutcomeUnknown(DsrsException e) =>
        e is AmbiguousOutcomeException || e.Code == NodeErrorCodes.UnexpectedResponse;

    public static PaymentResult Unknown(string hash, DsrsException e) =>
        new(PaymentStatus.Pending, hash, FailureReason: "outcome unknown, tracking it: " + e.Message);

    /// <summary>A lookup made after a pay request was sent: if it fails, the payment is Pending, never "not paid".</summary>
    public static async Task<PaymentResult> LookupAfterSendAsync(ILightningNode node, string hash, CancellationToken cancellationToken)
    {
        try
        {
            return await node.LookupPaymentAsync(hash, cancellationToken).ConfigureAwait(false);
        }
        catch (DsrsException e)
        {
            return Unknown(hash, e);
        }
    }

    public static long WholeSats(long amountMsat, string nodeLabel)
    {
        if (amountMsat <= 0 || amountMsat % 1000 != 0)
        {
            throw new DsrsException(NodeErrorCodes.InvalidArgument, $"{nodeLabel} creates invoices in whole satoshis; {amountMsat} msat is not a positive multiple of 1000");
        }

        return amountMsat / 1000;
    }

    public static int WholeSeconds(TimeSpan expiry)
    {
        if (expiry <= TimeSpan.Zero || expiry.TotalSeconds > int.MaxValue)
        {
            throw new DsrsException(NodeErrorCodes.InvalidArgument, "the invoice expiry must be a positive number of seconds");
        }

        return (int)Math.Ceiling(expiry.TotalSeconds);
    }
}
