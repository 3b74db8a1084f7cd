using System.Globalization;
using ManifestBuild.Format.Json;

namespace ManifestBuild.Format.Locking;

/// <summary>
/// dsrs.lock.json (protocol §6): <c>{"version":1,"manifests":{"&lt;Name&gt;":{...}}}</c>, entries sorted by
/// name (ordinal), members in a fixed order, two-space indent, LF, trailing newline. The same content
/// always gives the same bytes, so a merge conflict is a real conflict. Entries also record the
/// locked manifest's family, domains and accuracy (what checking a declaration against the lock
/// needs); those members are optional, so files written before them still read as version 1.
/// </summary>
public sealed class LockFile
{
    public const int CurrentVersion = 1;
    public const string FileName = "dsrs.lock.json";

    private static readonly string[] EntryMembers =
        ["signature_name", "compiled_id", "family", "domains", "accuracy", "address", "event_id", "seller", "price_msat", "payment_hash", "relays", "resolved_at"];

    /// <summary>Entries keyed by the DsrsManifest item name, kept sorted by ordinal comparison.</summary>
    public SortedDictionary<string, LockEntry> Manifests { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// DsrsDataset entries, their own kind (<see cref="LockEntry.CompiledId"/> holds the dataset_id, written
    /// as "dataset_id"). The "datasets" member is written only when there is one, so every file without
    /// datasets keeps its bytes, and an older reader that ignores unknown members still reads it.
    /// </summary>
    public SortedDictionary<string, LockEntry> Datasets { get; } = new(StringComparer.Ordinal);

    /// <summary>Reads a lockfile; a missing file is DSRS0202 (use <see cref="ReadOrEmpty"/> when absence is normal).</summary>
    public static LockFile Read(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DsrsException(FormatErrorCodes.LockFileIo, "cannot read " + path + ": " + e.Message);
        }

        try
        {
            return Parse(text);
        }
        catch (DsrsException e)
        {
            throw new DsrsException(e.Code, path + ": " + e.Message, e);
        }
    }

    /// <summary>Reads a lockfile, or returns an empty one when the file does not exist.</summary>
    public static LockFile ReadOrEmpty(string path) => File.Exists(path) ? Read(path) : new LockFile();

    public static LockFile Parse(string text)
    {
        JsonValue parsed;
        try
        {
            parsed = JsonParser.Parse(text);
        }
        catch (DsrsException e)
        {
            throw new DsrsException(FormatErrorCodes.InvalidLockFile, e.Message, e);
        }

        if (parsed is not JsonObject root)
        {
            throw Invalid("the lockfile must be a JSON object");
        }

        if (root["version"] is not JsonNumber versionNumber || !versionNumber.TryGetInt64(out var version) || version < 1)
        {
            throw Invalid("version must be a positive integer");
        }

        if (version > CurrentVersion)
        {
            throw new DsrsException(
                FormatErrorCodes.LockFileTooNew,
                "lockfile version " + version.ToString(CultureInfo.InvariantCulture) + " was written by a newer ManifestBuild; this one reads version " + CurrentVersion.ToString(CultureInfo.InvariantCulture) + ": upgrade ManifestBuild (the file was left unchanged)");
        }

        if (root["manifests"] is not JsonObject manifests)
        {
            throw Invalid("manifests must be an object keyed by DsrsManifest name");
        }

        var lockFile = new LockFile();
        foreach (var member in manifests.Members)
        {
            lockFile.Manifests.Add(member.Key, ParseEntry(member.Key, member.Value));
        }

        switch (root["datasets"])
        {
            case null:
                break;
            case JsonObject datasets:
                foreach (var member in datasets.Members)
                {
                    lockFile.Datasets.Add(member.Key, LockFileDatasets.ParseEntry(member.Key, member.Value));
                }

                break;
            default:
                throw Invalid("datasets must be an object keyed by DsrsDataset name");
        }

        return lockFile;
    }

    /// <summary>The exact file text.</summary>
    public string ToText()
    {
        var manifests = new JsonObject();
        foreach (var (name, entry) in Manifests)
        {
            manifests.Add(name, EntryJson(name, entry));
        }

        var root = new JsonObject().Add("version", CurrentVersion).Add("manifests", manifests);
        if (Datasets.Count > 0)
        {
            root.Add("datasets", LockFileDatasets.ToJson(Datasets));
        }

        return JsonWriter.WriteReviewedFile(root);
    }

    /// <summary>
    /// The one writer of dsrs.lock.json: replaces the file atomically, and leaves it untouched (same
    /// bytes, same timestamp) when the content is unchanged. Returns whether it wrote. Callers that
    /// share a file across processes hold their own lock around read-merge-write (the build does).
    /// </summary>
    public async Task<bool> WriteAsync(string path, CancellationToken cancellationToken = default)
    {
        var text = ToText();
        try
        {
            return await AtomicFile.WriteIfChangedAsync(path, text, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DsrsException(FormatErrorCodes.LockFileIo, "the lockfile '" + path + "' cannot be written: " + e.Message);
        }
    }

    internal static LockEntry ParseEntry(string name, JsonValue value)
    {
        var where = "manifests." + name;
        if (value is not JsonObject json)
        {
            throw Invalid(where + " must be an object");
        }

        var entry = new LockEntry
        {
            SignatureName = json.GetString("signature_name") ?? throw Invalid(where + ".signature_name must be a string"),
            CompiledId = json.GetString("compiled_id") ?? throw Invalid(where + ".compiled_id must be a string"),
            Family = OptionalString(json, "family", where),
            Domains = StringArray(json, "domains", where, "domain tags"),
            Accuracy = OptionalAccuracy(json, where),
            Address = OptionalString(json, "address", where) ?? string.Empty,
            EventId = OptionalHex(json, "event_id", where) ?? string.Empty,
            Seller = OptionalHex(json, "seller", where) ?? string.Empty,
            PriceMsat = NonNegative(json, "price_msat", where),
            PaymentHash = OptionalHex(json, "payment_hash", where) ?? string.Empty,
            ResolvedAt = NonNegative(json, "resolved_at", where),
        };
        if (!CompiledId.IsWellFormed(entry.CompiledId))
        {
            throw Invalid(where + ".compiled_id must be 64 lowercase hex digits");
        }

        var members = StringArray(json, "members", where, "compiled_ids");
        if (members.Any(m => !CompiledId.IsWellFormed(m)))
        {
            throw Invalid(where + ".members must be compiled_ids (64 lowercase hex digits)");
        }

        return entry with { Relays = StringArray(json, "relays", where, "relay URLs"), Bundle = OptionalHex(json, "bundle", where) ?? string.Empty, Members = members };
    }

    internal static JsonObject EntryJson(string name, LockEntry entry)
    {
        if (!CompiledId.IsWellFormed(entry.CompiledId))
        {
            throw Invalid("manifests." + name + ".compiled_id must be 64 lowercase hex digits, got \"" + entry.CompiledId + "\"");
        }

        var json = new JsonObject();
        foreach (var member in EntryMembers)
        {
            JsonValue value = member switch
            {
                "signature_name" => new JsonString(entry.SignatureName),
                "compiled_id" => new JsonString(entry.CompiledId),
                "family" => StringOrNull(entry.Family),
                "domains" => JsonArray.OfStrings(entry.Domains.Distinct(StringComparer.Ordinal).OrderBy(d => d, StringComparer.Ordinal)),
                "accuracy" => entry.Accuracy is { } accuracy ? new JsonNumber(accuracy) : JsonNull.Instance,
                "address" => EmptyAsNull(entry.Address),
                "event_id" => EmptyAsNull(entry.EventId),
                "seller" => EmptyAsNull(entry.Seller),
                "price_msat" => new JsonNumber(entry.PriceMsat),
                "payment_hash" => EmptyAsNull(entry.PaymentHash),
                "relays" => JsonArray.OfStrings(entry.Relays.Distinct(StringComparer.Ordinal).OrderBy(r => r, StringComparer.Ordinal)),
                _ => new JsonNumber(entry.ResolvedAt),
            };
            json.Add(member, value);
        }

        // Bundle members come last and only when set: a lockfile without bundles keeps its exact bytes.
        if (entry.Bundle.Length > 0)
        {
            json.Add("bundle", entry.Bundle);
        }

        if (entry.Members.Count > 0)
        {
            json.Add("members", JsonArray.OfStrings(entry.Members.Distinct(StringComparer.Ordinal).OrderBy(m => m, StringComparer.Ordinal)));
        }

        return json;
    }

    private static JsonValue StringOrNull(string? value) => value is null ? JsonNull.Instance : new JsonString(value);

    /// <summary>A local file's entry has no listing: the file says null, not "".</summary>
    private static JsonValue EmptyAsNull(string value) => value.Length == 0 ? JsonNull.Instance : new JsonString(value);

    private static string? OptionalString(JsonObject json, string member, string where) => json[member] switch
    {
        null or JsonNull => null,
        JsonString s => s.Value,
        _ => throw Invalid(where + "." + member + " must be a string or null"),
    };

    private static IReadOnlyList<string> StringArray(JsonObject json, string member, string where, string what)
    {
        if (json[member] is not { } value)
        {
            return [];
        }

        if (value is not JsonArray array || array.Any(r => r is not JsonString))
        {
            throw Invalid(where + "." + member + " must be an array of " + what);
        }

        return array.Select(r => r.AsString()!).ToArray();
    }

    private static double? OptionalAccuracy(JsonObject json, string where) => json["accuracy"] switch
    {
        null or JsonNull => null,
        JsonNumber n when n.Value is >= 0 and <= 1 => n.Value,
        _ => throw Invalid(where + ".accuracy must be a number between 0 and 1 or null"),
    };

    private static string? OptionalHex(JsonObject json, string member, string where)
    {
        var value = OptionalString(json, member, where);
        if (value is not null && !CompiledId.IsWellFormed(value))
        {
            throw Invalid(where + "." + member + " must be 64 lowercase hex digits or null");
        }

        return value;
    }

    private static long NonNegative(JsonObject json, string member, string where)
    {
        if (json[member] is null)
        {
            return 0;
        }

        if (json[member] is JsonNumber n && n.TryGetInt64(out var value) && value >= 0)
        {
            return value;
        }

        throw Invalid(where + "." + member + " must be a non-negative integer");
    }

    internal static DsrsException Invalid(string message) => new(FormatErrorCodes.InvalidLockFile, "invalid dsrs.lock.json: " + message);
}
