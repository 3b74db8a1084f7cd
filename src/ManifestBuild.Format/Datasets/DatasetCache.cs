using System.Text;
using ManifestBuild.Format.Caching;

namespace ManifestBuild.Format.Datasets;

/// <summary>
/// The content-addressed dataset cache, <c>$DSRS_HOME/datasets/&lt;dataset_id&gt;.json</c>, with the manifest
/// cache's discipline: written through a temp file and a rename (a reader never sees half a file), every
/// read re-verified against the file's id, a corrupt entry moved to <c>datasets/quarantine/</c> and
/// reported as a miss (DSRS0210) so that it is fetched again.
/// </summary>
public sealed class DatasetCache
{
    private static readonly UTF8Encoding StrictUtf8 = new(false, true);

    public DatasetCache(string home)
    {
        Directory = Path.Combine(Path.GetFullPath(home), "datasets");
        QuarantineDirectory = Path.Combine(Directory, "quarantine");
    }

    public string Directory { get; }

    public string QuarantineDirectory { get; }

    public string GetPath(string datasetId) => CompiledId.IsWellFormed(datasetId)
        ? Path.Combine(Directory, datasetId + ".json")
        : throw new DsrsException(FormatErrorCodes.MalformedCompiledId, "not a dataset_id (64 lowercase hex digits): \"" + datasetId + "\"");

    /// <summary>The verified text on a hit; null on a miss. A corrupt entry is quarantined and <paramref name="problem"/> says so.</summary>
    public string? TryRead(string datasetId, out DsrsException? problem)
    {
        problem = null;
        var path = GetPath(datasetId);
        if (CacheEntryFile.ReadShared(path, Entry) is not { } bytes)
        {
            return null;
        }

        var reason = Mismatch(datasetId, bytes, out var text);
        if (reason is null)
        {
            return text;
        }

        problem = CacheEntryFile.Quarantine(path, datasetId, QuarantineDirectory, Entry, reason);
        return null;
    }

    public CacheLookupStatus Status(string datasetId) => TryRead(datasetId, out var problem) is not null ? CacheLookupStatus.Hit : problem is null ? CacheLookupStatus.Miss : CacheLookupStatus.Quarantined;

    /// <summary>Stores dataset text exactly as given after checking it validates and hashes to its stated id; returns the path.</summary>
    public string PutText(string text)
    {
        var id = Dataset.Parse(text).VerifyId();
        var path = GetPath(id);
        if (File.Exists(path) && TryRead(id, out _) is not null)
        {
            return path;
        }

        try
        {
            AtomicFile.WriteAllBytes(path, StrictUtf8.GetBytes(text));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            if (TryRead(id, out _) is null)
            {
                throw new DsrsException(FormatErrorCodes.CacheIo, "cannot write dataset cache entry " + path + ": " + e.Message);
            }
        }

        return path;
    }

    /// <summary>Null when the text is the dataset with this id; else what is wrong with it.</summary>
    public static string? Mismatch(string datasetId, string text)
    {
        try
        {
            var dataset = Dataset.Parse(text);
            var computed = Dataset.ComputeId(dataset.Json);
            return computed != datasetId ? "its content hashes to " + computed
                : dataset.StatedId != datasetId ? "its stated dataset_id is " + (dataset.StatedId ?? "missing")
                : null;
        }
        catch (DsrsException e)
        {
            return UntrustedText.Neutralise(e.ToString(), 300);
        }
    }

    private static string? Mismatch(string datasetId, byte[] bytes, out string text)
    {
        text = string.Empty;
        try
        {
            text = StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return "not valid UTF-8";
        }

        return Mismatch(datasetId, text);
    }

    // How a refusal names one of this cache's files.
    private const string Entry = "dataset cache entry";
}
