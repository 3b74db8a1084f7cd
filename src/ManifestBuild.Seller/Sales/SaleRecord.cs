using System.Globalization;
using ManifestBuild.Format;
using ManifestBuild.Format.Json;
using ManifestBuild.Nostr;

namespace ManifestBuild.Seller.Sales;

/// <summary>What one journal line says happened.</summary>
public enum SaleEvent
{
    /// <summary>A 402 challenge: an invoice was created for an item (not yet a sale).</summary>
    Invoice,

    /// <summary>The first valid credential for a payment hash: the preimage proves the invoice was paid.</summary>
    Settled,

    /// <summary>An item handed over for a valid credential; the first per payment hash and item is a sale, later ones are re-downloads.</summary>
    Delivery,
}

/// <summary>
/// One line of the sales journal. It holds no buyer secret: never a preimage, a token or an address;
/// the payment hash is public (it is in the invoice) and tells buyers apart per payment.
/// </summary>
/// <param name="Item">The compiled_id handed over or invoiced.</param>
/// <param name="Bundle">The bundle the payment bought, when it was a bundle's.</param>
/// <param name="Line">The subscription line of the item, when it has one.</param>
/// <param name="First">Deliveries only: the first hand-over of this item for this payment.</param>
public sealed record SaleRecord(
    long At,
    SaleEvent Event,
    string PaymentHash,
    string Item,
    string? SignatureName = null,
    long PriceMsat = 0,
    string? Bundle = null,
    string? Line = null,
    bool First = false)
{
    public const int Version = 1;

    public string ToJsonLine()
    {
        var o = new JsonObject()
            .Add("v", (long)Version)
            .Add("at", At)
            .Add("event", Event.ToString().ToLowerInvariant())
            .Add("payment_hash", PaymentHash)
            .Add("item", Item);
        if (SignatureName is not null)
        {
            o.Add("signature_name", SignatureName);
        }

        if (Event != SaleEvent.Delivery)
        {
            o.Add("price_msat", PriceMsat);
        }

        if (Bundle is not null)
        {
            o.Add("bundle", Bundle);
        }

        if (Line is not null)
        {
            o.Add("line", Line);
        }

        if (Event == SaleEvent.Delivery)
        {
            o.Add("first", First);
        }

        return JsonWriter.Write(o, false);
    }

    /// <summary>Parses one journal line; null for a line that is not a whole, known record (a torn last write).</summary>
    public static SaleRecord? TryParse(string line)
    {
        try
        {
            var o = JsonParser.ParseObject(line);
            if (Int(o, "v") != Version || Int(o, "at") is not { } at
                || o.GetString("payment_hash") is not { } hash || !Hex.IsLowerHex(hash, 32)
                || o.GetString("item") is not { } item || !CompiledId.IsWellFormed(item)
                || !Enum.TryParse<SaleEvent>(o.GetString("event"), ignoreCase: true, out var kind))
            {
                return null;
            }

            return new SaleRecord(
                at,
                kind,
                hash,
                item,
                o.GetString("signature_name"),
                Int(o, "price_msat") ?? 0,
                o.GetString("bundle"),
                o.GetString("line"),
                o["first"] is JsonBool { Value: true });
        }
        catch (DsrsException)
        {
            return null;
        }
    }

    private static long? Int(JsonObject o, string name) => o[name] is JsonNumber n && n.TryGetInt64(out var value) ? value : null;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Event} {Item[..12]} {PaymentHash[..12]}");
}
