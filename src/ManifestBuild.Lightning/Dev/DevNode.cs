using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using ManifestBuild.Format;
using ManifestBuild.Lightning.Storage;
using ManifestBuild.Lightning.Bolt11;
using ManifestBuild.Lightning.Nodes;
using ManifestBuild.Lightning.Payments;
using NBitcoin.Secp256k1;
using SHA256 = System.Security.Cryptography.SHA256;

namespace ManifestBuild.Lightning.Dev;

/// <summary>
/// A simulated Lightning node for local use. Several dev nodes (e.g. "buyer" and "seller") share one
/// ledger folder, possibly from several processes at once: each has its own persistent secp256k1 key,
/// issues real signed regtest invoices with random preimages, and pays other dev nodes' invoices by
/// settling them in the ledger under an OS file lock. It refuses anything that is not regtest.
/// Layout: keys/NAME.key, invoices/HASH.json (source of truth), payments/NAME/HASH.json, attempts.log.
/// </summary>
public sealed partial class DevNode : ILightningNode
{
    private static readonly TimeSpan LockTimeout = TimeSpan.FromSeconds(30);

    private readonly byte[] secretKey;
    private readonly TimeProvider time;

    /// <summary>The environment variable naming the dev network folder every dev node shares by default.</summary>
    public const string NetworkVariable = "DSRS_DEVNET";

    /// <summary>The longest settlement delay a dev connection string may ask for (latency_ms).</summary>
    public static readonly TimeSpan MaxLatency = TimeSpan.FromMinutes(10);

    private DevNode(string name, string ledgerDirectory, byte[] secretKey, TimeProvider time)
    {
        Name = name;
        LedgerDirectory = ledgerDirectory;
        this.secretKey = secretKey;
        this.time = time;
        using var key = ECPrivKey.Create(secretKey);
        NodeId = Bolt11Decoder.Hex(key.CreatePubKey().ToBytes(compressed: true));
    }

    public string Kind => "dev";

    public string Name { get; }

    /// <summary>The 33-byte compressed public key, hex: what a listing's `node` tag names.</summary>
    public string NodeId { get; }

    public string LedgerDirectory { get; }

    /// <summary>
    /// How long a payment takes to settle (the dev connection string's latency_ms), for tests and
    /// benchmarks that need a slow node; the wait is cancellable and nothing is paid if it is cancelled.
    /// </summary>
    public TimeSpan Latency { get; private init; }

    /// <summary>
    /// The dev network folder dev nodes share unless a connection string names one (ledger=): $DSRS_DEVNET,
    /// else "dsrs-devnet-USER" in the system temp folder, so dev nodes of different $DSRS_HOME folders
    /// (a buyer and a seller in two terminals) pay each other.
    /// </summary>
    public static string DefaultNetworkDirectory(Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var configured = environment(NetworkVariable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return configured;
        }

        var user = new string([.. Environment.UserName.Where(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')]);
        return Path.Combine(Path.GetTempPath(), "dsrs-devnet-" + (user.Length > 0 ? user : "user"));
    }

    /// <summary>Opens a dev node whose payments take <paramref name="latency"/> to settle.</summary>
    public static DevNode Open(string name, string ledgerDirectory, TimeSpan latency)
    {
        if (latency < TimeSpan.Zero || latency > MaxLatency)
        {
            throw new DsrsException(PaymentErrorCodes.DevInvalid, $"a dev node's latency must be between 0 and {MaxLatency.TotalMilliseconds:0} ms");
        }

        var node = Open(name, ledgerDirectory, TimeProvider.System);
        return new DevNode(node.Name, node.LedgerDirectory, node.secretKey, node.time) { Latency = latency };
    }

    /// <summary>Opens (creating on first use) the dev node NAME on the ledger folder.</summary>
    public static DevNode Open(string name, string ledgerDirectory) => Open(name, ledgerDirectory, TimeProvider.System);

    public static DevNode Open(string name, string ledgerDirectory, TimeProvider time)
    {
        if (string.IsNullOrEmpty(name) || !NamePattern().IsMatch(name))
        {
            throw new DsrsException(PaymentErrorCodes.DevInvalid, "a dev node name is 1-64 characters of a-z, 0-9, '-' and '_'");
        }

        if (string.IsNullOrWhiteSpace(ledgerDirectory))
        {
            throw new DsrsException(PaymentErrorCodes.DevInvalid, "the dev ledger folder is empty");
        }

        var directory = Path.GetFullPath(ledgerDirectory);
        var keyFile = Path.Combine(directory, "keys", name + ".key");
        using (var ledgerLock = AcquireLedgerLock(directory))
        {
            if (!File.Exists(keyFile))
            {
                var fresh = new byte[32];
                do
                {
                    RandomNumberGenerator.Fill(fresh);
                }
                while (!ECPrivKey.TryCreate(fresh, out _));

                AtomicFile.WriteAllText(keyFile, Hex.Encode(fresh) + "\n", ownerOnly: true);
            }
        }

        var secret = Hex.TryDecode(File.ReadAllText(keyFile).Trim())
            ?? throw new DsrsException(PaymentErrorCodes.DevInvalid, $"the key file of dev node '{name}' is not hex");

        if (secret.Length != 32 || !ECPrivKey.TryCreate(secret, out _))
        {
            throw new DsrsException(PaymentErrorCodes.DevInvalid, $"the key file of dev node '{name}' does not hold a valid secp256k1 key");
        }

        return new DevNode(name, directory, secret, time);
    }

    public Task<NodeInfo> GetInfoAsync(CancellationToken cancellationToken) =>
        Task.FromResult(new NodeInfo(NodeId, Bolt11Networks.Regtest, Name, null));

    public Task<CreatedInvoice> CreateInvoiceAsync(long amountMsat, string description, TimeSpan expiry, CancellationToken cancellationToken) =>
        Task.FromResult(Create(amountMsat, description, expiry, hold: false));

    /// <summary>Creates a hold invoice: a payment to it stays Pending until <see cref="SettleHoldInvoice"/> or <see cref="CancelHoldInvoice"/>.</summary>
    public Task<CreatedInvoice> CreateHoldInvoiceAsync(long amountMsat, string description, TimeSpan expiry, CancellationToken cancellationToken) =>
        Task.FromResult(Create(amountMsat, description, expiry, hold: true));

    public async Task<PaymentResult> PayAsync(string bolt11, long maxFeeMsat, CancellationToken cancellationToken)
    {
        var started = time.GetUtcNow();
        if (Latency > TimeSpan.Zero)
        {
            // Before anything is written: a cancelled wait leaves nothing paid and nothing recorded.
            await Task.Delay(Latency, time, cancellationToken).ConfigureAwait(false);
        }

        return Pay(bolt11, maxFeeMsat, started);
    }

    /// <summary>The payments this node made (settled or failed at the ledger), oldest first, with when each started and finished.</summary>
    public IReadOnlyList<DevPayment> ListPayments()
    {
        var folder = Path.Combine(LedgerDirectory, "payments", Name);
        return Directory.Exists(folder)
            ? Directory.EnumerateFiles(folder, "*.json")
                .Where(p => !Path.GetFileName(p).StartsWith('.'))
                .Select(Read<DevPaymentRecord>)
                .OfType<DevPaymentRecord>()
                .Select(r => new DevPayment(r.PaymentHash, r.AmountMsat, r.StartedAt ?? r.CreatedAt, r.CreatedAt, r.FailureReason is not null))
                .OrderBy(p => p.StartedAt)
                .ToList()
            : [];
    }

    private PaymentResult Pay(string bolt11, long maxFeeMsat, DateTimeOffset started)
    {
        var invoice = Bolt11Decoder.Decode(bolt11);
        if (invoice.Network != Bolt11Networks.Regtest)
        {
            throw new DsrsException(PaymentErrorCodes.DevNotRegtest, $"the dev node pays only regtest (lnbcrt) invoices; this one is for {invoice.Network}");
        }

        if (invoice.AmountMsat is not { } amount)
        {
            throw new DsrsException(PaymentErrorCodes.DevNoAmount, "the dev node does not pay invoices without an amount");
        }

        if (maxFeeMsat < 0)
        {
            throw new DsrsException(PaymentErrorCodes.DevInvalid, "the fee cap is negative");
        }

        using var ledgerLock = AcquireLedgerLock(LedgerDirectory);
        var hash = invoice.PaymentHash;
        var stored = ReadInvoice(hash);
        if (stored is null || stored.Bolt11 != invoice.Bolt11.ToLowerInvariant() || stored.PayeeNodeId != invoice.Payee)
        {
            // Like a real node that finds no route: a definitive failure, recorded so a lookup says Failed.
            const string reason = "no dev node on this ledger issued this invoice";
            WritePayment(new DevPaymentRecord { PaymentHash = hash, AmountMsat = amount, StartedAt = started, CreatedAt = time.GetUtcNow(), FailureReason = reason });
            Log(hash, "failed: unknown invoice");
            return new PaymentResult(PaymentStatus.Failed, hash, FailureReason: reason);
        }

        if (stored.PayeeName == Name)
        {
            throw new DsrsException(PaymentErrorCodes.DevSelfPayment, $"dev node '{Name}' cannot pay its own invoice");
        }

        if (stored.State != DevInvoiceState.Open)
        {
            Log(hash, "refused: invoice not open");
            throw new DsrsException(PaymentErrorCodes.DevAlreadyPaid, $"invoice {hash} is already {stored.State.ToString().ToLowerInvariant()}");
        }

        var now = time.GetUtcNow();
        if (now >= stored.ExpiresAt)
        {
            Log(hash, "refused: expired");
            throw new DsrsException(PaymentErrorCodes.DevExpired, $"invoice {hash} expired at {stored.ExpiresAt:O}");
        }

        // Payer record first, then the invoice: a crash between the two leaves an open invoice and a
        // payer record without outcome, which a lookup reports as Failed (no money moved).
        WritePayment(new DevPaymentRecord { PaymentHash = hash, AmountMsat = amount, StartedAt = started, CreatedAt = now });
        var state = stored.Hold ? DevInvoiceState.Accepted : DevInvoiceState.Settled;
        WriteInvoice(stored with { State = state, PaidBy = Name, PaidAt = now });
        Log(hash, state == DevInvoiceState.Settled ? "settled" : "accepted (held)");
        return state == DevInvoiceState.Settled
            ? new PaymentResult(PaymentStatus.Succeeded, hash, stored.Preimage, amount, 0)
            : new PaymentResult(PaymentStatus.Pending, hash, AmountMsat: amount);
    }

    public Task<PaymentResult> LookupPaymentAsync(string paymentHashHex, CancellationToken cancellationToken)
    {
        var hash = NormalizeHash(paymentHashHex);
        using var ledgerLock = AcquireLedgerLock(LedgerDirectory);
        var mine = ReadPayment(hash);
        if (mine is null)
        {
            return Task.FromResult(new PaymentResult(PaymentStatus.NotFound, hash));
        }

        if (mine.FailureReason is not null)
        {
            return Task.FromResult(new PaymentResult(PaymentStatus.Failed, hash, AmountMsat: mine.AmountMsat, FailureReason: mine.FailureReason));
        }

        var stored = ReadInvoice(hash);
        return Task.FromResult(stored switch
        {
            { PaidBy: var payer, State: DevInvoiceState.Settled } when payer == Name =>
                new PaymentResult(PaymentStatus.Succeeded, hash, stored.Preimage, mine.AmountMsat, 0),
            { PaidBy: var payer, State: DevInvoiceState.Accepted } when payer == Name =>
                new PaymentResult(PaymentStatus.Pending, hash, AmountMsat: mine.AmountMsat),
            { State: DevInvoiceState.Cancelled } =>
                new PaymentResult(PaymentStatus.Failed, hash, AmountMsat: mine.AmountMsat, FailureReason: "the payee cancelled the held payment"),
            _ => new PaymentResult(PaymentStatus.Failed, hash, AmountMsat: mine.AmountMsat, FailureReason: "the payment did not reach the invoice"),
        });
    }

    /// <summary>The payee side: an invoice this node issued, or null.</summary>
    public DevInvoice? LookupInvoice(string paymentHashHex)
    {
        var stored = ReadInvoice(NormalizeHash(paymentHashHex));
        return stored?.PayeeName == Name ? stored : null;
    }

    /// <summary>The invoices this node issued that were paid (settled), oldest first.</summary>
    public IReadOnlyList<DevInvoice> ListSettledInvoices() =>
        ReadAllInvoices().Where(i => i.PayeeName == Name && i.State == DevInvoiceState.Settled).OrderBy(i => i.PaidAt).ToList();

    /// <summary>How many PayAsync calls from any dev node reached the ledger for this payment hash (the double-payment witness).</summary>
    public int CountPaymentAttempts(string paymentHashHex)
    {
        var hash = NormalizeHash(paymentHashHex);
        var log = Path.Combine(LedgerDirectory, "attempts.log");
        if (!File.Exists(log))
        {
            return 0;
        }

        return File.ReadLines(log)
            .Select(line => JsonSerializer.Deserialize<DevAttempt>(line, LedgerJson.Compact))
            .Count(a => a is not null && a.PaymentHash == hash && a.Outcome is "settled" or "accepted (held)");
    }

    /// <summary>Settles a held payment: the payer's lookup then returns Succeeded with the preimage.</summary>
    public void SettleHoldInvoice(string paymentHashHex) => Resolve(paymentHashHex, DevInvoiceState.Settled);

    /// <summary>Cancels a held payment: the payer's lookup then returns Failed.</summary>
    public void CancelHoldInvoice(string paymentHashHex) => Resolve(paymentHashHex, DevInvoiceState.Cancelled);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private void Resolve(string paymentHashHex, DevInvoiceState target)
    {
        var hash = NormalizeHash(paymentHashHex);
        using var ledgerLock = AcquireLedgerLock(LedgerDirectory);
        var stored = ReadInvoice(hash);
        if (stored is null || stored.PayeeName != Name || !stored.Hold || stored.State != DevInvoiceState.Accepted)
        {
            throw new DsrsException(PaymentErrorCodes.DevInvalid, $"invoice {hash} is not a held payment of dev node '{Name}'");
        }

        WriteInvoice(stored with { State = target });
    }

    private CreatedInvoice Create(long amountMsat, string description, TimeSpan expiry, bool hold)
    {
        if (amountMsat <= 0)
        {
            throw new DsrsException(PaymentErrorCodes.DevInvalid, "a dev invoice needs a positive amount");
        }

        if (expiry <= TimeSpan.Zero)
        {
            throw new DsrsException(PaymentErrorCodes.DevInvalid, "a dev invoice needs a positive expiry");
        }

        var preimage = RandomNumberGenerator.GetBytes(32);
        var hash = Bolt11Decoder.Hex(SHA256.HashData(preimage));
        var now = time.GetUtcNow();
        var timestamp = DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds());
        var expirySeconds = TimeSpan.FromSeconds(Math.Ceiling(expiry.TotalSeconds));
        var bolt11 = Bolt11Encoder.Encode(
            new Bolt11InvoiceRequest
            {
                Network = Bolt11Networks.Regtest,
                AmountMsat = amountMsat,
                Timestamp = timestamp,
                PaymentHash = hash,
                PaymentSecret = Bolt11Decoder.Hex(RandomNumberGenerator.GetBytes(32)),
                Description = description,
                Expiry = expirySeconds,
                MinFinalCltvExpiry = 80,
            },
            secretKey);

        var record = new DevInvoice
        {
            PaymentHash = hash,
            Preimage = Bolt11Decoder.Hex(preimage),
            PayeeName = Name,
            PayeeNodeId = NodeId,
            AmountMsat = amountMsat,
            Description = description,
            Bolt11 = bolt11,
            CreatedAt = timestamp,
            ExpiresAt = timestamp + expirySeconds,
            Hold = hold,
            State = DevInvoiceState.Open,
        };
        using (AcquireLedgerLock(LedgerDirectory))
        {
            WriteInvoice(record);
        }

        return new CreatedInvoice(bolt11, hash, record.ExpiresAt);
    }

    private static FileLock AcquireLedgerLock(string directory)
    {
        // Ledger operations are a few small file writes: a short synchronous wait is enough.
        var acquired = FileLock.TryAcquireAsync(Path.Combine(directory, "ledger.lock"), LockTimeout, CancellationToken.None).GetAwaiter().GetResult();
        return acquired ?? throw new DsrsException(PaymentErrorCodes.DevLedgerBusy, $"the dev ledger lock in {directory} stayed taken for {LockTimeout.TotalSeconds} s");
    }

    private static string NormalizeHash(string hex)
    {
        var hash = hex.Trim().ToLowerInvariant();
        if (!Hex.IsLowerHex(hash, 32))
        {
            throw new DsrsException(PaymentErrorCodes.DevInvalid, "a payment hash is 64 hex characters");
        }

        return hash;
    }

    private DevInvoice? ReadInvoice(string hash) => Read<DevInvoice>(Path.Combine(LedgerDirectory, "invoices", hash + ".json"));

    private IEnumerable<DevInvoice> ReadAllInvoices()
    {
        var folder = Path.Combine(LedgerDirectory, "invoices");
        return Directory.Exists(folder)
            ? Directory.EnumerateFiles(folder, "*.json").Select(Read<DevInvoice>).OfType<DevInvoice>().ToList()
            : [];
    }

    private void WriteInvoice(DevInvoice invoice) =>
        AtomicFile.WriteAllText(Path.Combine(LedgerDirectory, "invoices", invoice.PaymentHash + ".json"), JsonSerializer.Serialize(invoice, LedgerJson.Options), ownerOnly: true);

    private DevPaymentRecord? ReadPayment(string hash) => Read<DevPaymentRecord>(Path.Combine(LedgerDirectory, "payments", Name, hash + ".json"));

    private void WritePayment(DevPaymentRecord payment) =>
        AtomicFile.WriteAllText(Path.Combine(LedgerDirectory, "payments", Name, payment.PaymentHash + ".json"), JsonSerializer.Serialize(payment, LedgerJson.Options), ownerOnly: true);

    private void Log(string hash, string outcome) =>
        AtomicFile.AppendLine(Path.Combine(LedgerDirectory, "attempts.log"), JsonSerializer.Serialize(new DevAttempt(Name, hash, outcome, time.GetUtcNow()), LedgerJson.Compact));

    private static T? Read<T>(string path)
        where T : class
    {
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<T>(File.ReadAllText(path), LedgerJson.Options);
        }
        catch (JsonException e)
        {
            throw new DsrsException(PaymentErrorCodes.LedgerCorrupt, $"dev ledger file {Path.GetFileName(path)} is not valid: {e.Message}");
        }
    }

    [GeneratedRegex("^[a-z0-9_-]{1,64}$")]
    private static partial Regex NamePattern();
}
