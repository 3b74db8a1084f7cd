using System.Text;
using ManifestBuild.Format.Json;

namespace ManifestBuild.Format.Caching;

/// <summary>How a cache lookup ended.</summary>
public enum CacheLookupStatus
{
    Hit,
    Miss,

    /// <summary>The entry was corrupt; it was moved to quarantine and must be fetched again.</summary>
    Quarantined,
}

/// <summary>The result of a cache lookup: the verified manifest on a hit, the problem when quarantined.</summary>
public sealed class CacheLookup
{
    public CacheLookup(CacheLookupStatus status, VerifiedManifest? verified, DsrsException? problem)
    {
        Status = status;
        Verified = verified;
        Problem = problem;
    }

    public CacheLookupStatus Status { get; }

    /// <summary>The entry's text, verified against the file's id, on a hit.</summary>
    public VerifiedManifest? Verified { get; }

    public Manifest? Manifest => Verified?.Manifest;

    /// <summary>The file's exact text on a hit (what the generator embeds).</summary>
    public string? Text => Verified?.Text;

    /// <summary>DSRS0210 naming the entry, why it was refused and where it went.</summary>
    public DsrsException? Problem { get; }
}

/// <summary>
/// The user-level content-addressed cache: <c>$DSRS_HOME/cache/&lt;compiled_id&gt;.json</c>. Writes go to a
/// unique temp file renamed into place, so a reader never sees half a file and concurrent writers of
/// one id (same content by construction) simply replace each other. Every read re-verifies the content
/// against the file's id; a corrupt entry is moved to <c>cache/quarantine/</c> and reported as a miss.
/// </summary>
public sealed class ManifestCache
{
    private static readonly UTF8Encoding StrictUtf8 = new(false, true);
    private static readonly AsyncLocal<FlowCounter?> WriteCounting = new();

    public ManifestCache(string home)
    {
        Home = Path.GetFullPath(home);
        CacheDirectory = Path.Combine(Home, "cache");
        QuarantineDirectory = Path.Combine(CacheDirectory, "quarantine");
    }

    public string Home { get; }

    public string CacheDirectory { get; }

    public string QuarantineDirectory { get; }

    /// <summary>The cache of <c>$DSRS_HOME</c> as the given environment sees it.</summary>
    public static ManifestCache ForEnvironment(Func<string, string?>? environment = null) => new(DsrsHome.Resolve(environment));

    /// <summary>The entry's path (whether or not it exists); DSRS0212 for an id that is not 64 lowercase hex.</summary>
    public string GetPath(string compiledId)
    {
        if (!CompiledId.IsWellFormed(compiledId))
        {
            throw new DsrsException(FormatErrorCodes.MalformedCompiledId, "not a compiled_id (64 lowercase hex digits): \"" + compiledId + "\"");
        }

        return Path.Combine(CacheDirectory, compiledId + ".json");
    }

    /// <summary>True with the verified manifest on a hit; false on a miss or a quarantined entry.</summary>
    public bool TryGet(string compiledId, out Manifest manifest)
    {
        var lookup = Lookup(compiledId);
        manifest = lookup.Manifest!;
        return lookup.Status == CacheLookupStatus.Hit;
    }

    /// <summary>Reads and verifies an entry; quarantines it when it is corrupt.</summary>
    public CacheLookup Lookup(string compiledId)
    {
        var path = GetPath(compiledId);
        if (CacheEntryFile.ReadShared(path, Entry) is not { } bytes)
        {
            return new CacheLookup(CacheLookupStatus.Miss, null, null);
        }

        var reason = Verify(compiledId, bytes, out var verified);
        if (reason is null)
        {
            return new CacheLookup(CacheLookupStatus.Hit, verified, null);
        }

        return new CacheLookup(CacheLookupStatus.Quarantined, null, CacheEntryFile.Quarantine(path, compiledId, QuarantineDirectory, Entry, reason));
    }

    /// <summary>Stores a manifest (verified first, see <see cref="ManifestVerifier"/>) and returns the entry's path.</summary>
    public string Put(Manifest manifest) => Put(ManifestVerifier.Verify(manifest.ToFileText()));

    /// <summary>Verifies manifest text (see <see cref="ManifestVerifier"/>) and stores it exactly as given.</summary>
    public string PutText(string text) => Put(ManifestVerifier.Verify(text));

    /// <summary>
    /// Stores verified manifest text exactly as given (e.g. as the seller delivered it) under its
    /// compiled_id, without checking it again. An entry with the same bytes is left as it is.
    /// </summary>
    public string Put(VerifiedManifest verified)
    {
        var id = verified.CompiledId;
        var path = GetPath(id);
        var bytes = StrictUtf8.GetBytes(verified.Text);
        if (HasBytes(path, bytes))
        {
            return path;
        }

        try
        {
            FlowCounter.Increment(WriteCounting);
            AtomicFile.WriteAllBytes(path, bytes);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Another writer may hold the target open for its own replace (Windows); its content is
            // the same by construction, so a valid entry in place means the job is done.
            if (!IsValidEntry(path, id))
            {
                throw new DsrsException(FormatErrorCodes.CacheIo, "cannot write cache entry " + path + ": " + e.Message);
            }
        }

        return path;
    }

    /// <summary>Test seam: counts the entry files written in this async flow until disposed.</summary>
    internal static FlowCounter CountWrites() => FlowCounter.Start(WriteCounting);

    /// <summary>The ids of the entries present (not verified; see <see cref="VerifyAll"/>), sorted.</summary>
    public IReadOnlyList<string> List()
    {
        if (!Directory.Exists(CacheDirectory))
        {
            return [];
        }

        return Directory.EnumerateFiles(CacheDirectory, "*.json")
            .Select(Path.GetFileNameWithoutExtension)
            .OfType<string>()
            .Where(CompiledId.IsWellFormed)
            .OrderBy(id => id, StringComparer.Ordinal)
            .ToArray();
    }

    /// <summary>
    /// Verifies every entry, quarantining corrupt ones, and removes temp files a crashed writer left
    /// (older than an hour, so a write in progress is never touched). Returns the problems found.
    /// </summary>
    public IReadOnlyList<DsrsException> VerifyAll()
    {
        RemoveStaleTempFiles(TimeSpan.FromHours(1));
        var problems = new List<DsrsException>();
        foreach (var id in List())
        {
            if (Lookup(id).Problem is { } problem)
            {
                problems.Add(problem);
            }
        }

        return problems;
    }

    private void RemoveStaleTempFiles(TimeSpan age)
    {
        if (!Directory.Exists(CacheDirectory))
        {
            return;
        }

        foreach (var temp in Directory.EnumerateFiles(CacheDirectory, ".*.tmp"))
        {
            try
            {
                if (DateTime.UtcNow - File.GetLastWriteTimeUtc(temp) > age)
                {
                    File.Delete(temp);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Another process is cleaning up too, or still holds it: leave it.
            }
        }
    }

    private static bool HasBytes(string path, byte[] bytes)
    {
        try
        {
            return File.Exists(path) && File.ReadAllBytes(path).AsSpan().SequenceEqual(bytes);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static bool IsValidEntry(string path, string id)
    {
        try
        {
            return File.Exists(path) && Verify(id, File.ReadAllBytes(path), out _) is null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Null when the bytes are a manifest that verifies against the file's id; else why not.</summary>
    private static string? Verify(string id, byte[] bytes, out VerifiedManifest verified)
    {
        verified = null!;
        try
        {
            verified = ManifestVerifier.Verify(StrictUtf8.GetString(bytes), id);
            return null;
        }
        catch (DecoderFallbackException)
        {
            return "not valid UTF-8";
        }
        catch (DsrsException e)
        {
            return e.ToString();
        }
    }

    // How a refusal names one of this cache's files.
    private const string Entry = "cache entry";
}
