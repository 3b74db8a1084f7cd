using ManifestBuild.Format;
using ManifestBuild.Format.Json;
using ManifestBuild.Market.Listings;

namespace ManifestBuild.Market.Buying;

/// <summary>
/// Who issued a receipt: the listing's seller (Nostr pubkey), its Lightning node (the invoice's payee)
/// and the origin (scheme://host:port) of its L402 endpoint. A receipt is presented only to a listing
/// with the same three, so a listing from anyone else never receives the token and preimage.
/// </summary>
public sealed record ReceiptIssuer(string Seller, string NodeId, string Origin)
{
    public static ReceiptIssuer Of(Listing listing) =>
        new(listing.SellerPubKey, listing.NodeIdHex ?? string.Empty, OriginOf(listing.L402Url ?? throw new DsrsException(MarketErrorCodes.SellerProtocolViolation, "a paid listing without an l402 URL")));

    /// <summary>scheme://host:port in lowercase, the part of a URL that says which server receives a request.</summary>
    public static string OriginOf(Uri url) => $"{url.Scheme}://{url.IdnHost}:{url.Port}".ToLowerInvariant();

    public override string ToString() => $"seller {Short(Seller)} node {Short(NodeId)} at {Origin}";

    private static string Short(string hex) => hex.Length > 12 ? hex[..12] : hex.Length == 0 ? "?" : hex;
}

/// <summary>
/// What re-downloads a paid manifest without paying: the L402 token and the payment preimage for a
/// compiled_id, plus where to present them. A secret in the sense that it grants the download: it is
/// never printed unasked and never written inside a repository.
/// </summary>
/// <param name="Url">The delivery URL it was bought at (older receipts may lack it).</param>
public sealed record Receipt(string CompiledId, string Token, string PreimageHex, string PaymentHash, Uri? Url = null)
{
    /// <summary>The seller's pubkey; null in a receipt written before receipts were bound to their issuer.</summary>
    public string? Seller { get; init; }

    /// <summary>The seller's node id (the invoice's payee); null in an older receipt.</summary>
    public string? NodeId { get; init; }

    /// <summary>Set once the issuer refused it: kept as a record, never presented again.</summary>
    public string? RefusedReason { get; init; }

    public string? Origin => Url is null ? null : ReceiptIssuer.OriginOf(Url);

    /// <summary>A receipt bought now, bound to the listing it was bought from.</summary>
    public static Receipt Issued(Listing listing, string token, string preimageHex, string paymentHash, Uri url) =>
        new(listing.CompiledId, token, preimageHex, paymentHash, url) { Seller = listing.SellerPubKey, NodeId = listing.NodeIdHex };

    /// <summary>
    /// May this receipt be presented to this issuer? Every part the receipt knows must match, and it must
    /// know at least its seller or its origin: an older receipt that knows neither is never presented
    /// (the machine that bought it can export it again, bound). Seller and node come from a signed
    /// listing, the origin is where the request goes, so none of them can be claimed by an impostor.
    /// </summary>
    public bool IsIssuedBy(ReceiptIssuer issuer) =>
        (Seller is not null || Origin is not null)
        && (Seller is null || string.Equals(Seller, issuer.Seller, StringComparison.OrdinalIgnoreCase))
        && (NodeId is null || string.Equals(NodeId, issuer.NodeId, StringComparison.OrdinalIgnoreCase))
        && (Origin is null || Origin == issuer.Origin);

    public string IssuerText => $"seller {Seller ?? "?"} node {NodeId ?? "?"} at {Origin ?? "?"}";

    public JsonObject ToJson()
    {
        var o = new JsonObject()
            .Add("compiled_id", CompiledId)
            .Add("payment_hash", PaymentHash)
            .Add("token", Token)
            .Add("preimage", PreimageHex);
        if (Url is not null)
        {
            o.Add("url", Url.AbsoluteUri);
        }

        if (Seller is not null)
        {
            o.Add("seller", Seller);
        }

        if (NodeId is not null)
        {
            o.Add("node", NodeId);
        }

        if (RefusedReason is not null)
        {
            o.Add("refused", RefusedReason);
        }

        return o;
    }

    public static Receipt FromJson(JsonValue value)
    {
        if (value is not JsonObject o)
        {
            throw Malformed("a receipt is not a JSON object");
        }

        var id = o.GetString("compiled_id");
        var token = o.GetString("token");
        var preimage = o.GetString("preimage");
        var hash = o.GetString("payment_hash");
        if (!Format.CompiledId.IsWellFormed(id) || token is null || token.Length == 0 || preimage is not { Length: 64 } || hash is not { Length: 64 })
        {
            throw Malformed("a receipt needs compiled_id, payment_hash and preimage (64 hex each) and a token");
        }

        Uri? url = null;
        if (o.GetString("url") is { } text && !Uri.TryCreate(text, UriKind.Absolute, out url))
        {
            throw Malformed("a receipt's url is not an absolute URL");
        }

        var seller = o.GetString("seller");
        var node = o.GetString("node");
        if ((seller is not null && !Hex.IsHex(seller, 32)) || (node is not null && !Hex.IsHex(node, 33)))
        {
            throw Malformed("a receipt's seller is 64 hex and its node 66 hex");
        }

        return new Receipt(id!, token, preimage.ToLowerInvariant(), hash.ToLowerInvariant(), url)
        {
            Seller = seller?.ToLowerInvariant(),
            NodeId = node?.ToLowerInvariant(),
            RefusedReason = o.GetString("refused"),
        };
    }

    private static DsrsException Malformed(string why) => new(MarketErrorCodes.MalformedReceipts, why);
}
