using System.Text;
using ManifestBuild.Format;
using ManifestBuild.Format.Json;
using ManifestBuild.Lightning.Payments;
using ManifestBuild.Market.Listings;

namespace ManifestBuild.Market.Buying;

/// <summary>
/// Receipts kept in <c>$DSRS_HOME/receipts/&lt;compiled_id&gt;.&lt;payment_hash&gt;.json</c> (owner-only; one per
/// payment, so a payment to an impostor never replaces the real seller's receipt; the older
/// <c>&lt;compiled_id&gt;.json</c> is still read), plus the export/import bundle: <c>{"version":1,"receipts":[...]}</c>
/// as a file, or the same JSON base64url-encoded on one line for the <c>DSRS_RECEIPTS</c> environment variable.
/// A receipt is presented only to its issuer (<see cref="Receipt.IsIssuedBy"/>); one the issuer refused, or
/// one whose seller delivered content that did not hash, is kept but never presented or counted as paid.
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

    /// <summary>
    /// A receipt for this manifest from any issuer that counts as paid: not refused, not a fraud. What a
    /// budget check may skip the price for; to present one, use <see cref="FindFor"/>.
    /// </summary>
    public Receipt? Find(string compiledId) =>
        All(compiledId, []).FirstOrDefault(r => r.RefusedReason is null && LedgerRecord(r) is not { Fraud: true });

    /// <summary>
    /// The receipt to present to this listing: issued by its seller, node and origin, not refused, not
    /// one whose content did not hash. A settled but undelivered payment is included (delivery is retried
    /// with it, never paid again). Extra receipts (DSRS_RECEIPTS) come after the home's.
    /// </summary>
    public Receipt? FindFor(Listing listing, IEnumerable<Receipt>? extra = null)
    {
        var issuer = ReceiptIssuer.Of(listing);
        return All(listing.CompiledId, extra ?? []).FirstOrDefault(r => r.IsIssuedBy(issuer) && IsPresentable(r));
    }

    /// <summary>The receipt to present for a bundle (stored under its bundle_id): issued by this bundle listing's seller, node and origin.</summary>
    public Receipt? FindFor(BundleListing bundle, IEnumerable<Receipt>? extra = null)
    {
        var issuer = new ReceiptIssuer(bundle.SellerPubKey, bundle.NodeIdHex, ReceiptIssuer.OriginOf(bundle.L402Url));
        return All(bundle.BundleId, extra ?? []).FirstOrDefault(r => r.IsIssuedBy(issuer) && IsPresentable(r));
    }

    /// <summary>Presentable receipts of this manifest from other issuers (a payment already made elsewhere).</summary>
    public IReadOnlyList<Receipt> FindElsewhere(Listing listing, IEnumerable<Receipt>? extra = null)
    {
        var issuer = ReceiptIssuer.Of(listing);
        return All(listing.CompiledId, extra ?? []).Where(r => !r.IsIssuedBy(issuer) && IsPresentable(r) && LedgerRecord(r) is not { Fraud: true }).ToList();
    }

    /// <summary>A presentable receipt of this manifest that names the URL it was bought at: presented there only.</summary>
    public Receipt? FindWithUrl(string compiledId, IEnumerable<Receipt>? extra = null) =>
        All(compiledId, extra ?? []).FirstOrDefault(r => r.Url is not null && IsPresentable(r));

    public void Save(Receipt receipt) =>
        AtomicFile.WriteAllText(PathFor(receipt), JsonWriter.WriteFile(receipt.ToJson()), ownerOnly: true);

    /// <summary>Keeps the receipt with the issuer's refusal, so it is not presented again.</summary>
    public Receipt MarkRefused(Receipt receipt, string reason)
    {
        var refused = receipt with { RefusedReason = UntrustedText.Neutralise(reason) };
        Save(refused);
        return refused;
    }

    /// <summary>Every presentable receipt (what an export carries): the store's files, then ledger receipts not in the store.</summary>
    public IReadOnlyList<Receipt> List()
    {
        var ids = new SortedSet<string>(StringComparer.Ordinal);
        if (System.IO.Directory.Exists(Directory))
        {
            foreach (var file in System.IO.Directory.EnumerateFiles(Directory, "*.json"))
            {
                var id = Path.GetFileName(file).Split('.')[0];
                if (CompiledId.IsWellFormed(id))
                {
                    ids.Add(id);
                }
            }
        }

        foreach (var record in PurchaseLedger.ForHome(Home).List().Where(r => r.IsReceipt))
        {
            ids.Add(record.CompiledId);
        }

        return ids.SelectMany(id => All(id, []).Where(IsPresentable)).ToList();
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

    /// <summary>
    /// Every receipt of a manifest, one per payment hash: the store's files (a file per payment first,
    /// then the older one-per-manifest file), the ledger's receipts, then the extra ones. An older receipt
    /// learns its seller and node from the ledger record of the same payment, when this home made it.
    /// </summary>
    private List<Receipt> All(string compiledId, IEnumerable<Receipt> extra)
    {
        var found = new List<Receipt>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        void Add(Receipt r)
        {
            if (r.CompiledId == compiledId && seen.Add(r.PaymentHash))
            {
                found.Add(Bind(r));
            }
        }

        if (System.IO.Directory.Exists(Directory) && CompiledId.IsWellFormed(compiledId))
        {
            foreach (var file in System.IO.Directory.EnumerateFiles(Directory, compiledId + ".*.json").Order(StringComparer.Ordinal).Append(Path.Combine(Directory, compiledId + ".json")))
            {
                if (Read(file) is { } receipt)
                {
                    Add(receipt);
                }
            }
        }

        foreach (var record in PurchaseLedger.ForHome(Home).FindByCompiledId(compiledId).Where(r => r.Preimage is not null && (r.IsReceipt || r.IsPaidUndelivered)))
        {
            Add(new Receipt(record.CompiledId, record.Token, record.Preimage!, record.PaymentHash) { Seller = record.Seller, NodeId = record.Payee });
        }

        foreach (var receipt in extra)
        {
            Add(receipt);
        }

        return found;
    }

    private Receipt Bind(Receipt receipt) =>
        receipt.Seller is not null && receipt.NodeId is not null ? receipt
        : LedgerRecord(receipt) is { } record ? receipt with { Seller = receipt.Seller ?? record.Seller, NodeId = receipt.NodeId ?? record.Payee }
        : receipt;

    /// <summary>Not refused, and not a payment whose seller delivered content that did not hash (presenting it again is pointless).</summary>
    private bool IsPresentable(Receipt receipt) =>
        receipt.RefusedReason is null && LedgerRecord(receipt) is not { Fraud: true, State: PurchaseState.Delivered };

    private PurchaseRecord? LedgerRecord(Receipt receipt)
    {
        try
        {
            return PurchaseLedger.ForHome(Home).Find(receipt.PaymentHash);
        }
        catch (DsrsException)
        {
            return null;
        }
    }

    private static Receipt? Read(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            return Receipt.FromJson(JsonParser.Parse(File.ReadAllText(path)));
        }
        catch (DsrsException)
        {
            return null;
        }
    }

    private string PathFor(Receipt receipt) =>
        CompiledId.IsWellFormed(receipt.CompiledId) && Hex.IsHex(receipt.PaymentHash, 32)
            ? Path.Combine(Directory, receipt.CompiledId + "." + receipt.PaymentHash.ToLowerInvariant() + ".json")
            : throw new DsrsException(MarketErrorCodes.MalformedReceipts, "a compiled_id and a payment hash are 64 lowercase hex");
}
