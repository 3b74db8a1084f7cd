using System.Security.Cryptography;
using System.Text;
using ManifestBuild.Format;
using ManifestBuild.Format.Locking;

namespace ManifestBuild.Tasks.Resolution;

/// <summary>The parsed lockfile: entries by item name.</summary>
public sealed class LockFileDocument
{
    public LockFileDocument(IReadOnlyDictionary<string, LockEntry> entries) => Entries = entries;

    public IReadOnlyDictionary<string, LockEntry> Entries { get; }

    public LockEntry? Get(string name) => Entries.TryGetValue(name, out var entry) ? entry : null;
}

/// <summary>
/// Reads and updates dsrs.lock.json (protocol §6) through Format's <see cref="LockFile"/>, the one
/// reader and writer of its bytes. Updates happen under a cross-process lock in $DSRS_HOME/locks and re-read the file
/// inside it, so that projects built in parallel (dotnet build -m) sharing one lockfile never lose
/// each other's entries; the file is replaced atomically and only when its text changes.
/// </summary>
public static class LockFileStore
{
    public static LockFileDocument Read(string path)
    {
        var file = LockFile.ReadOrEmpty(path);
        return new LockFileDocument(file.Manifests.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal));
    }

    /// <summary>
    /// Puts the given entries in, drops names outside <paramref name="keepOnly"/> when it is given,
    /// and writes the file when its text changes. Returns true when it wrote.
    /// </summary>
    public static async Task<bool> UpdateAsync(string path, string home, IReadOnlyDictionary<string, LockEntry> entries, ISet<string>? keepOnly, CancellationToken cancellationToken)
    {
        using var gate = await CrossProcessLock.AcquireAsync(home, LockName(path), TimeSpan.FromMinutes(2), cancellationToken).ConfigureAwait(false);
        var current = Read(path).Entries;
        var merged = new SortedDictionary<string, LockEntry>(StringComparer.Ordinal);
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
            merged[name] = merged.TryGetValue(name, out var old) && old.SameExceptTime(entry)
                ? old
                : entry;
        }

        if (merged.Count == 0 && !File.Exists(path))
        {
            return false;
        }

        // The file's dataset entries are the dataset resolver's: kept as they are.
        return await ToFile(merged, LockFile.ReadOrEmpty(path).Datasets).WriteAsync(path, cancellationToken).ConfigureAwait(false);
    }

    public static string Serialize(IEnumerable<KeyValuePair<string, LockEntry>> entries) => ToFile(entries, null).ToText();

    internal static LockFile ToFile(IEnumerable<KeyValuePair<string, LockEntry>> entries, IReadOnlyDictionary<string, LockEntry>? datasets)
    {
        var file = new LockFile();
        foreach (var (name, entry) in datasets ?? new Dictionary<string, LockEntry>())
        {
            file.Datasets[name] = entry;
        }

        foreach (var (name, entry) in entries)
        {
            file.Manifests[name] = entry;
        }

        return file;
    }

    /// <summary>The cross-process lock every writer of this lockfile takes (manifests and datasets alike).</summary>
    internal static string LockName(string path) => "lockfile-" + Hash(Path.GetFullPath(path));

    private static string Hash(string text) => Hex.Encode(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];
}
