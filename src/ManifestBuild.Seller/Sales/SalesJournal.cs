using System.Text;
using ManifestBuild.Format;

namespace ManifestBuild.Seller.Sales;

/// <summary>
/// The seller's durable record of invoices, settlements and deliveries: <c>$DSRS_HOME/sales/journal.jsonl</c>,
/// append-only, one JSON object per line, each line written with one append and flushed to disk before
/// the request is answered. A crash can leave at most a torn last line: readers skip it, and the next
/// writer first ends it with a newline so later records stay whole. Holds no buyer secret
/// (<see cref="SaleRecord"/>).
/// </summary>
public sealed class SalesJournal
{
    public const string FolderName = "sales";
    public const string FileName = "journal.jsonl";

    private readonly object gate = new();
    private readonly Dictionary<string, long> invoicePrices = new(StringComparer.Ordinal);
    private readonly HashSet<string> settled = new(StringComparer.Ordinal);
    private readonly HashSet<(string PaymentHash, string Item)> delivered = [];
    private readonly TimeProvider time;
    private bool tailChecked;

    private SalesJournal(string path, TimeProvider time)
    {
        Path = path;
        this.time = time;
    }

    /// <summary>The journal file.</summary>
    public string Path { get; }

    public static string PathFor(string home) => System.IO.Path.Combine(home, FolderName, FileName);

    /// <summary>Opens (creating the owner-only folder) and loads what earlier runs recorded, so a restart never counts a sale twice.</summary>
    public static SalesJournal Open(string home, TimeProvider? time = null)
    {
        var journal = new SalesJournal(PathFor(home), time ?? TimeProvider.System);
        PrivateDirectory.Create(System.IO.Path.GetDirectoryName(journal.Path)!);
        foreach (var record in Read(journal.Path).Records)
        {
            journal.Remember(record);
        }

        return journal;
    }

    /// <summary>Every whole record of a journal file, and how many lines were not (torn or foreign).</summary>
    public static (IReadOnlyList<SaleRecord> Records, int Unreadable) Read(string path)
    {
        if (!File.Exists(path))
        {
            return ([], 0);
        }

        var records = new List<SaleRecord>();
        var unreadable = 0;
        using var reader = new StreamReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete), Encoding.UTF8);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }

            if (SaleRecord.TryParse(line) is { } record)
            {
                records.Add(record);
            }
            else
            {
                unreadable++;
            }
        }

        return (records, unreadable);
    }

    /// <summary>A 402 challenge was sent with this invoice.</summary>
    public void RecordInvoice(string paymentHash, string item, string? signatureName, long priceMsat, string? bundle = null, string? line = null) =>
        Append(new SaleRecord(Now(), SaleEvent.Invoice, paymentHash, item, signatureName, priceMsat, bundle, line));

    /// <summary>
    /// An item is handed over for a valid credential (its preimage proves payment). The first credential
    /// of a payment hash records the settlement with the invoiced price (or <paramref name="fallbackPriceMsat"/>,
    /// today's catalog price, when the invoice predates the journal); returns whether this is the item's
    /// first hand-over for that payment (a sale) or a re-download.
    /// </summary>
    public bool RecordDelivery(string paymentHash, string item, string? signatureName, long fallbackPriceMsat, string? bundle = null, string? line = null)
    {
        lock (gate)
        {
            if (!settled.Contains(paymentHash))
            {
                var price = invoicePrices.TryGetValue(paymentHash, out var invoiced) ? invoiced : fallbackPriceMsat;
                AppendLocked(new SaleRecord(Now(), SaleEvent.Settled, paymentHash, item, signatureName, price, bundle, line));
            }

            var first = !delivered.Contains((paymentHash, item));
            AppendLocked(new SaleRecord(Now(), SaleEvent.Delivery, paymentHash, item, signatureName, 0, bundle, line, first));
            return first;
        }
    }

    private long Now() => time.GetUtcNow().ToUnixTimeSeconds();

    private void Append(SaleRecord record)
    {
        lock (gate)
        {
            AppendLocked(record);
        }
    }

    private void AppendLocked(SaleRecord record)
    {
        var bytes = Encoding.UTF8.GetBytes(record.ToJsonLine() + "\n");
        using (var stream = new FileStream(Path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.None))
        {
            if (!tailChecked)
            {
                // A torn last line from a crash would swallow this record: end it first.
                tailChecked = true;
                if (stream.Length > 0 && LastByte() != (byte)'\n')
                {
                    stream.Write("\n"u8);
                }
            }

            stream.Write(bytes);
            stream.Flush(flushToDisk: true);
        }

        Remember(record);
    }

    private int LastByte()
    {
        using var read = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        read.Seek(-1, SeekOrigin.End);
        return read.ReadByte();
    }

    private void Remember(SaleRecord record)
    {
        switch (record.Event)
        {
            case SaleEvent.Invoice:
                invoicePrices[record.PaymentHash] = record.PriceMsat;
                break;
            case SaleEvent.Settled:
                settled.Add(record.PaymentHash);
                break;
            case SaleEvent.Delivery:
                delivered.Add((record.PaymentHash, record.Item));
                break;
        }
    }
}
