using ManifestBuild.Format;
using ManifestBuild.Format.Json;

namespace ManifestBuild.Market.Buying;

/// <summary>
/// What re-downloads a paid manifest without paying: the L402 token and the payment preimage for a
/// compiled_id, plus where to present them. A secret in the sense that it grants the download: it is
/// never printed unasked and never written inside a repository.
/// </summary>
public sealed record Receipt(string CompiledId, string Token, string PreimageHex, string PaymentHash, Uri? Url = null)
{
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

        return new Receipt(id!, token, preimage.ToLowerInvariant(), hash.ToLowerInvariant(), url);
    }

    private static DsrsException Malformed(string why) => new(MarketErrorCodes.MalformedReceipts, why);
}
