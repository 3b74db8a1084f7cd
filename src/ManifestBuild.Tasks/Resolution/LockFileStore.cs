using System.Security.Cryptography;
using System.Text;
using ManifestBuild.Format;
using ManifestBuild.Format.Json;

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
    public const int Version = 1;

    public static LockFileDocument Read(string path)
    {
        if (!File.Exists(path))
        {
            return new LockFileDocument(new Dictionary<string, LockedManifest>());
        }

        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (IOException e)
        {
            throw new DsrsException(FormatErrorCodes.LockFileIo, $"the lockfile '{path}' cannot be read: {e.Message}");
        }

        return Parse(text, path);
    }

    public static LockFileDocument Parse(string text, string path)
    {
        JsonObject root;
        try
        {
            root = JsonParser.ParseObject(text);
        }
        catch (DsrsException e)
        {
            throw new DsrsException(FormatErrorCodes.InvalidLockFile, $"the lockfile '{path}' is not valid JSON: {e.Message}");
        }

        var version = root["version"] as JsonNumber;
        if (version is null || !version.TryGetInt64(out var v) || v < 1)
        {
            throw new DsrsException(FormatErrorCodes.InvalidLockFile, $"the lockfile '{path}' has no valid \"version\"");
        }

        if (v > Version)
        {
            throw new DsrsException(FormatErrorCodes.LockFileTooNew, $"the lockfile '{path}' has version {v}; this ManifestBuild reads version {Version}: update the package");
        }

        var entries = new Dictionary<string, LockedManifest>(StringComparer.Ordinal);
        if (root["manifests"] is JsonObject manifests)
        {
            foreach (var (name, value) in manifests)
            {
                entries[name] = ParseEntry(value as JsonObject ?? throw Invalid(path, name, "is not an object"), path, name);
            }
        }

        return new LockFileDocument(entries);
    }

    /// <summary>
    /// Puts the given entries in, drops names outside <paramref name="keepOnly"/> when it is given,
    /// and writes the file when its text changes. Returns true when it wrote.
    /// </summary>
    public static async Task<bool> UpdateAsync(string path, string home, IReadOnlyDictionary<string, LockedManifest> entries, ISet<string>? keepOnly, CancellationToken cancellationToken)
    {
        using var gate = await CrossProcessLock.AcquireAsync(home, "lockfile-" + Hash(Path.GetFullPath(path)), TimeSpan.FromMinutes(2), cancellationToken).ConfigureAwait(false);
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
            return await AtomicFile.WriteIfChangedAsync(path, Serialize(merged), cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            throw new DsrsException(FormatErrorCodes.LockFileIo, $"the lockfile '{path}' cannot be written: {e.Message}");
        }
    }

    public static string Serialize(IEnumerable<KeyValuePair<string, LockedManifest>> entries)
    {
        var manifests = new JsonObject();
        foreach (var (name, e) in entries.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var relays = new JsonArray();
            foreach (var relay in e.Relays.Order(StringComparer.Ordinal))
            {
                relays.Add(new JsonString(relay));
            }

            manifests.Add(name, new JsonObject()
                .Add("signature_name", e.SignatureName)
                .Add("compiled_id", e.CompiledId)
                .Add("address", e.Address)
                .Add("event_id", e.EventId)
                .Add("seller", e.Seller)
                .Add("price_msat", e.PriceMsat)
                .Add("payment_hash", e.PaymentHash)
                .Add("relays", relays)
                .Add("resolved_at", e.ResolvedAt));
        }

        return JsonWriter.WriteFile(new JsonObject().Add("version", (long)Version).Add("manifests", manifests));
    }

    private static LockedManifest ParseEntry(JsonObject o, string path, string name)
    {
        string Text(string key, bool required = false)
        {
            var value = o.GetString(key);
            if (value is null && required)
            {
                throw Invalid(path, name, $"has no \"{key}\"");
            }

            return value ?? string.Empty;
        }

        long Number(string key) => o[key] is JsonNumber n && n.TryGetInt64(out var value) && value >= 0 ? value : 0;

        var id = Text("compiled_id", required: true);
        if (!CompiledId.IsWellFormed(id))
        {
            throw Invalid(path, name, $"has a malformed compiled_id '{id}'");
        }

        var relays = o["relays"] is JsonArray array ? array.Select(r => r.AsString()).OfType<string>().ToArray() : [];
        return new LockedManifest
        {
            SignatureName = Text("signature_name", required: true),
            CompiledId = id,
            Address = Text("address"),
            EventId = Text("event_id"),
            Seller = Text("seller"),
            PriceMsat = Number("price_msat"),
            PaymentHash = Text("payment_hash"),
            Relays = relays,
            ResolvedAt = Number("resolved_at"),
        };
    }

    private static bool SameExceptTime(LockedManifest a, LockedManifest b) =>
        a.SignatureName == b.SignatureName && a.CompiledId == b.CompiledId && a.Address == b.Address && a.EventId == b.EventId
        && a.Seller == b.Seller && a.PriceMsat == b.PriceMsat && a.PaymentHash == b.PaymentHash
        && a.Relays.Order(StringComparer.Ordinal).SequenceEqual(b.Relays.Order(StringComparer.Ordinal));

    private static DsrsException Invalid(string path, string name, string what) =>
        new(FormatErrorCodes.InvalidLockFile, $"the lockfile '{path}': entry \"{name}\" {what}");

    private static string Hash(string text) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16].ToLowerInvariant();
}
