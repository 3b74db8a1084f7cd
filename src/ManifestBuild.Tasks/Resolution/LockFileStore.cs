using System.Security.Cryptography;
using System.Text;
using ManifestBuild.Format;
using ManifestBuild.Format.Locking;

namespace ManifestBuild.Tasks.Resolution;

/// <summary>The parsed lockfile: entries by item name.</summary>
public sealed class LockFileDocument
{
    public LockFileDocument(IReadOnlyDictionary<string, LockedManifest> entries) => Entries = entries;

    public IReadOnlyDictionary<string, LockedManifest> Entries { get; }

    public LockedManifest? Get(string name) => Entries.TryGetValue(name, out var entry) ? entry : null;
}

/// <summary>
/// Reads and writes dsrs.lock.json (protocol §6): names sorted, two-space indent, LF, trailing newline,
/// no secrets. Updates happen under a cross-process lock in $DSRS_HOME/locks and re-read the file
/// inside it, so that projects built in parallel (dotnet build -m) sharing one lockfile never lose
/// each other's entries; the file is replaced atomically and only when its text changes.
/// </summary>
public static class LockFileStore
{
    public static LockFileDocument Read(string path)
    {
        var file = LockFile.ReadOrEmpty(path);
        return new LockFileDocument(file.Manifests.ToDictionary(p => p.Key, p => FromEntry(p.Value), StringComparer.Ordinal));
    }

    /// <summary>
    /// Puts the given entries in, drops names outside <paramref name="keepOnly"/> when it is given,
    /// and writes the file when its text changes. Returns true when it wrote.
    /// </summary>
    public static async Task<bool> UpdateAsync(string path, string home, IReadOnlyDictionary<string, LockedManifest> entries, ISet<string>? keepOnly, CancellationToken cancellationToken)
    {
        using var gate = await CrossProcessLock.AcquireAsync(home, LockName(path), TimeSpan.FromMinutes(2), cancellationToken).ConfigureAwait(false);
        var current = Read(path).Entries;
        var merged = new SortedDictionary<string, LockedManifest>(StringComparer.Ordinal);
        foreach (var (name, entry) in current)
        {
            if (keepOnly is null || keepOnly.Contains(name))
            {
                merged[name] = entry;
            }
        }

        foreach (var (name, entry) in entries)
        {
            // The first resolution time of an unchanged id is kept so that rebuilding does not churn the file.
            merged[name] = merged.TryGetValue(name, out var old) && SameExceptTime(old, entry)
                ? old
                : entry;
        }

        if (merged.Count == 0 && !File.Exists(path))
        {
            return false;
        }

        try
        {
            // The file's dataset entries are the dataset resolver's: kept as they are.
            return await AtomicFile.WriteIfChangedAsync(path, Serialize(merged, LockFile.ReadOrEmpty(path).Datasets), cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            throw new DsrsException(FormatErrorCodes.LockFileIo, $"the lockfile '{path}' cannot be written: {e.Message}");
        }
    }

    public static string Serialize(IEnumerable<KeyValuePair<string, LockedManifest>> entries) => Serialize(entries, null);

    internal static string Serialize(IEnumerable<KeyValuePair<string, LockedManifest>> entries, IReadOnlyDictionary<string, LockEntry>? datasets)
    {
        var file = new LockFile();
        foreach (var (name, entry) in datasets ?? new Dictionary<string, LockEntry>())
        {
            file.Datasets[name] = entry;
        }

        foreach (var (name, entry) in entries)
        {
            file.Manifests[name] = ToEntry(entry);
        }

        return file.ToText();
    }

    private static LockedManifest FromEntry(LockEntry e) => new()
    {
        SignatureName = e.SignatureName,
        CompiledId = e.CompiledId,
        Family = e.Family,
        Domains = e.Domains,
        Accuracy = e.Accuracy,
        Address = e.Address ?? string.Empty,
        EventId = e.EventId ?? string.Empty,
        Seller = e.Seller ?? string.Empty,
        PriceMsat = e.PriceMsat,
        PaymentHash = e.PaymentHash ?? string.Empty,
        Relays = e.Relays,
        ResolvedAt = e.ResolvedAt,
    };

    private static LockEntry ToEntry(LockedManifest m) => new()
    {
        SignatureName = m.SignatureName,
        CompiledId = m.CompiledId,
        Family = m.Family,
        Domains = m.Domains.Order(StringComparer.Ordinal).ToArray(),
        Accuracy = m.Accuracy,
        Address = Empty(m.Address),
        EventId = Empty(m.EventId),
        Seller = Empty(m.Seller),
        PriceMsat = m.PriceMsat,
        PaymentHash = Empty(m.PaymentHash),
        Relays = m.Relays.Order(StringComparer.Ordinal).ToArray(),
        ResolvedAt = m.ResolvedAt,
    };

    private static string? Empty(string text) => text.Length == 0 ? null : text;

    private static bool SameExceptTime(LockedManifest a, LockedManifest b) =>
        a.SignatureName == b.SignatureName && a.CompiledId == b.CompiledId
        && a.Family == b.Family && a.Domains.SequenceEqual(b.Domains) && a.Accuracy == b.Accuracy && a.Address == b.Address && a.EventId == b.EventId
        && a.Seller == b.Seller && a.PriceMsat == b.PriceMsat && a.PaymentHash == b.PaymentHash
        && a.Relays.Order(StringComparer.Ordinal).SequenceEqual(b.Relays.Order(StringComparer.Ordinal));

    /// <summary>The cross-process lock every writer of this lockfile takes (manifests and datasets alike).</summary>
    internal static string LockName(string path) => "lockfile-" + Hash(Path.GetFullPath(path));

    private static string Hash(string text) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16].ToLowerInvariant();
}
