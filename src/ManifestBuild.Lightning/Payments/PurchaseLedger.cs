using System.Security.Cryptography;
using System.Text.Json;
using ManifestBuild.Format;
using ManifestBuild.Lightning.Storage;

namespace ManifestBuild.Lightning.Payments;

/// <summary>
/// The durable purchase ledger: one fsync'd JSON file per payment hash in $DSRS_HOME/ledger/, plus one
/// OS lock file per compiled_id under ledger/locks/ that serialises every purchase of that manifest
/// across processes.
/// </summary>
public sealed class PurchaseLedger
{
    public PurchaseLedger(string directory)
    {
        if (string.IsNullOrWhiteSpace(directory))
        {
            throw new DsrsException(PaymentErrorCodes.InvalidRequest, "the purchase ledger folder is empty");
        }

        Directory = Path.GetFullPath(directory);
    }

    public string Directory { get; }

    /// <summary>The ledger of a DSRS_HOME: HOME/ledger.</summary>
    public static PurchaseLedger ForHome(string dsrsHome) => new(Path.Combine(dsrsHome, "ledger"));

    public PurchaseRecord? Find(string paymentHash)
    {
        var path = RecordPath(NormalizeHex(paymentHash, "payment hash"));
        return File.Exists(path) ? Read(path) : null;
    }

    /// <summary>Every record, newest first.</summary>
    public IReadOnlyList<PurchaseRecord> List()
    {
        if (!System.IO.Directory.Exists(Directory))
        {
            return [];
        }

        return System.IO.Directory.EnumerateFiles(Directory, "*.json")
            .Where(p => !Path.GetFileName(p).StartsWith('.'))
            .Select(Read)
            .OrderByDescending(r => r.CreatedAt)
            .ThenBy(r => r.PaymentHash, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>The records of one manifest, newest first.</summary>
    public IReadOnlyList<PurchaseRecord> FindByCompiledId(string compiledId)
    {
        var id = NormalizeHex(compiledId, "compiled_id");
        return List().Where(r => r.CompiledId == id).ToList();
    }

    /// <summary>The reusable receipt (paid or delivered, not flagged) for a manifest, or null.</summary>
    public PaidPurchase? FindReceipt(string compiledId) =>
        FindByCompiledId(compiledId).FirstOrDefault(r => r.IsReceipt)?.ToPaidPurchase(alreadyPaid: true);

    /// <summary>Records that the content arrived and matched its compiled_id; a late delivery clears a non-delivery flag.</summary>
    public Task<PurchaseRecord> MarkDeliveredAsync(string paymentHash, CancellationToken cancellationToken = default) =>
        UpdateAsync(paymentHash, r => r.State is PurchaseState.Paid or PurchaseState.Delivered
            ? r.IsUndeliveredFraud ? r with { State = PurchaseState.Delivered, Fraud = false, FraudReason = null } : r with { State = PurchaseState.Delivered }
            : throw new DsrsException(PaymentErrorCodes.InvalidTransition, $"purchase {r.PaymentHash} is {StateName(r.State)}, not paid: it cannot be delivered"), cancellationToken);

    /// <summary>
    /// Flags a settled payment whose seller did not deliver within the retry policy. It stays `paid`
    /// (its receipt is still presented to that seller, so a late delivery is taken, never paid again).
    /// </summary>
    public Task<PurchaseRecord> MarkUndeliveredAsync(string paymentHash, string reason, CancellationToken cancellationToken = default) =>
        UpdateAsync(paymentHash, r => r.State == PurchaseState.Paid
            ? r with { Fraud = true, FraudReason = reason }
            : throw new DsrsException(PaymentErrorCodes.InvalidTransition, $"purchase {r.PaymentHash} is {StateName(r.State)}, not paid and undelivered: it cannot be flagged as undelivered"), cancellationToken);

    /// <summary>Flags a paid purchase whose delivered content did not match (kept as evidence; no longer a receipt).</summary>
    public Task<PurchaseRecord> MarkFraudAsync(string paymentHash, string reason, CancellationToken cancellationToken = default) =>
        UpdateAsync(paymentHash, r => r.State is PurchaseState.Paid or PurchaseState.Delivered
            ? r with { State = PurchaseState.Delivered, Fraud = true, FraudReason = reason }
            : throw new DsrsException(PaymentErrorCodes.InvalidTransition, $"purchase {r.PaymentHash} is {StateName(r.State)}, not paid: it cannot be flagged"), cancellationToken);

    /// <summary>Takes the per-compiled_id purchase lock; DSRS0485 after the timeout.</summary>
    internal async Task<IDisposable> LockAsync(string compiledId, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var path = Path.Combine(Directory, "locks", NormalizeHex(compiledId, "compiled_id") + ".lock");
        return await FileLock.TryAcquireAsync(path, timeout, cancellationToken).ConfigureAwait(false)
            ?? throw new DsrsException(PaymentErrorCodes.LockTimeout, $"another process kept the purchase of {compiledId} locked for more than {timeout.TotalSeconds:0} s");
    }

    /// <summary>Writes a record durably (temp file, fsync, rename, fsync folder).</summary>
    internal void Save(PurchaseRecord record)
    {
        try
        {
            AtomicFile.WriteAllText(RecordPath(record.PaymentHash), JsonSerializer.Serialize(record, LedgerJson.Options), ownerOnly: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw WriteFailure(e, Directory, record.PaymentHash);
        }
    }

    /// <summary>
    /// A ledger write that failed, named for what the user can do. Before a payment this means nothing
    /// was paid; after one, the `paying` record stays and the next run looks the payment up.
    /// </summary>
    internal static DsrsException WriteFailure(Exception e, string directory, string paymentHash) => IsDiskFull(e)
        ? new DsrsException(PaymentErrorCodes.LedgerDiskFull, $"the purchase ledger in {directory} cannot record payment {paymentHash}: the disk is full; free some space and run again (a payment already sent is looked up, never sent twice)")
        : new DsrsException(PaymentErrorCodes.LedgerWriteFailed, $"the purchase ledger in {directory} cannot record payment {paymentHash}: {e.GetType().Name}: {e.Message}");

    /// <summary>ENOSPC (28) on Unix, ERROR_DISK_FULL / ERROR_HANDLE_DISK_FULL on Windows.</summary>
    internal static bool IsDiskFull(Exception e) => e is IOException && (OperatingSystem.IsWindows()
        ? (e.HResult & 0xFFFF) is 0x70 or 0x27
        : e.HResult == 28);

    internal static string NormalizeHex(string value, string what, int length = 64)
    {
        var hex = (value ?? string.Empty).Trim().ToLowerInvariant();
        if (length % 2 != 0 || !Hex.IsLowerHex(hex, length / 2))
        {
            throw new DsrsException(PaymentErrorCodes.InvalidRequest, $"the {what} is not {length} hex characters");
        }

        return hex;
    }

    /// <summary>The lowercase state name the ledger files and the CLI use.</summary>
    public static string StateName(PurchaseState state) => state.ToString().ToLowerInvariant();

    internal static bool PreimageMatches(string preimageHex, string paymentHash) =>
        Hex.TryDecode(preimageHex, 32) is { } preimage && Hex.Encode(SHA256.HashData(preimage)).Equals(paymentHash, StringComparison.OrdinalIgnoreCase);

    private async Task<PurchaseRecord> UpdateAsync(string paymentHash, Func<PurchaseRecord, PurchaseRecord> change, CancellationToken cancellationToken)
    {
        var hash = NormalizeHex(paymentHash, "payment hash");
        var existing = Find(hash) ?? throw new DsrsException(PaymentErrorCodes.RecordNotFound, $"no purchase with payment hash {hash} in the ledger");
        using (await LockAsync(existing.CompiledId, TimeSpan.FromMinutes(2), cancellationToken).ConfigureAwait(false))
        {
            var current = Find(hash)!;
            var updated = change(current) with { UpdatedAt = DateTimeOffset.UtcNow };
            Save(updated);
            return updated;
        }
    }

    private string RecordPath(string paymentHash) => Path.Combine(Directory, paymentHash + ".json");

    private static PurchaseRecord Read(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<PurchaseRecord>(File.ReadAllText(path), LedgerJson.Options)
                ?? throw new DsrsException(PaymentErrorCodes.LedgerCorrupt, $"ledger record {Path.GetFileName(path)} is empty");
        }
        catch (JsonException e)
        {
            throw new DsrsException(PaymentErrorCodes.LedgerCorrupt, $"ledger record {Path.GetFileName(path)} is not valid: {e.Message}");
        }
    }
}
