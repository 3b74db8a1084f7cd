using System.Text;
using ManifestBuild.Format;
using ManifestBuild.Format.Json;
using ManifestBuild.Lightning.Payments;

namespace ManifestBuild.Market.Buying;

/// <summary>
/// Receipts kept in <c>$DSRS_HOME/receipts/&lt;compiled_id&gt;.json</c> (owner-only), plus the
/// export/import bundle: <c>{"version":1,"receipts":[...]}</c> as a file, or the same JSON
/// base64url-encoded on one line for the <c>DSRS_RECEIPTS</c> environment variable.
/// </summary>
public sealed class ReceiptStore
{
    public const string EnvironmentVariable = "DSRS_RECEIPTS";

    public ReceiptStore(string home)
    {
        Home = home;
        Directory = Path.Combine(home, "receipts");
    }

    public string Home { get; }

    public string Directory { get; }

    public Receipt? Find(string compiledId)
    {
        var path = PathFor(compiledId);
        if (!File.Exists(path))
        {
            return FromLedger(compiledId);
        }

        try
        {
            return Receipt.FromJson(JsonParser.Parse(File.ReadAllText(path)));
        }
        catch (DsrsException)
        {
            return FromLedger(compiledId);
        }
    }

    public void Save(Receipt receipt) =>
        AtomicFile.WriteAllText(PathFor(receipt.CompiledId), JsonWriter.WriteFile(receipt.ToJson()), ownerOnly: true);

    /// <summary>Every receipt: the store's files, then ledger receipts not in the store.</summary>
    public IReadOnlyList<Receipt> List()
    {
        var result = new Dictionary<string, Receipt>(StringComparer.Ordinal);
        if (System.IO.Directory.Exists(Directory))
        {
            foreach (var file in System.IO.Directory.EnumerateFiles(Directory, "*.json"))
            {
                var id = Path.GetFileNameWithoutExtension(file);
                if (CompiledId.IsWellFormed(id) && Find(id) is { } receipt)
                {
                    result[id] = receipt;
                }
            }
        }

        foreach (var record in PurchaseLedger.ForHome(Home).List().Where(r => r.IsReceipt))
        {
            result.TryAdd(record.CompiledId, new Receipt(record.CompiledId, record.Token, record.Preimage!, record.PaymentHash));
        }

        return result.Values.OrderBy(r => r.CompiledId, StringComparer.Ordinal).ToList();
    }

    public static string Export(IEnumerable<Receipt> receipts) =>
        JsonWriter.WriteFile(new JsonObject().Add("version", 1).Add("receipts", new JsonArray(receipts.Select(r => (JsonValue)r.ToJson()))));

    /// <summary>The bundle as one line for an environment variable (base64url of the JSON).</summary>
    public static string ExportForEnvironment(IEnumerable<Receipt> receipts) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(Export(receipts))).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>Reads a bundle: JSON text, or its base64url form (what DSRS_RECEIPTS holds).</summary>
    public static IReadOnlyList<Receipt> Parse(string text)
    {
        var trimmed = (text ?? string.Empty).Trim();
        if (!trimmed.StartsWith('{'))
        {
            try
            {
                var b64 = trimmed.Replace('-', '+').Replace('_', '/');
                b64 = b64.PadRight(b64.Length + ((4 - (b64.Length % 4)) % 4), '=');
                trimmed = new UTF8Encoding(false, true).GetString(Convert.FromBase64String(b64));
            }
            catch (Exception e) when (e is FormatException or DecoderFallbackException)
            {
                throw new DsrsException(MarketErrorCodes.MalformedReceipts, "the receipts are neither JSON nor base64url-encoded JSON");
            }
        }

        JsonValue root;
        try
        {
            root = JsonParser.Parse(trimmed);
        }
        catch (DsrsException e)
        {
            throw new DsrsException(MarketErrorCodes.MalformedReceipts, "the receipts are not valid JSON: " + e.Message);
        }

        if (root is not JsonObject o || o["receipts"] is not JsonArray list || !(o["version"] is JsonNumber v && v.TryGetInt64(out var version) && version == 1))
        {
            throw new DsrsException(MarketErrorCodes.MalformedReceipts, "the receipts bundle must be {\"version\":1,\"receipts\":[...]}");
        }

        return list.Select(Receipt.FromJson).ToList();
    }

    public int Import(IEnumerable<Receipt> receipts)
    {
        var count = 0;
        foreach (var receipt in receipts)
        {
            Save(receipt);
            count++;
        }

        return count;
    }

    private Receipt? FromLedger(string compiledId)
    {
        var paid = PurchaseLedger.ForHome(Home).FindReceipt(compiledId);
        return paid is null ? null : new Receipt(paid.CompiledId, paid.Token, paid.Preimage, paid.PaymentHash);
    }

    private string PathFor(string compiledId) =>
        CompiledId.IsWellFormed(compiledId)
            ? Path.Combine(Directory, compiledId + ".json")
            : throw new DsrsException(MarketErrorCodes.MalformedReceipts, "a compiled_id is 64 lowercase hex");
}
