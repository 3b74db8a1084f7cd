using ManifestBuild.Format;

namespace ManifestBuild.Tasks.Resolution;

/// <summary>$DSRS_HOME/cache/&lt;compiled_id&gt;.json, shared by every build of the user. Callers verify what they read.</summary>
public sealed class ManifestCacheStore(string home)
{
    public string PathOf(string compiledId) => Path.Combine(home, "cache", compiledId + ".json");

    public string? TryRead(string compiledId)
    {
        var path = PathOf(compiledId);
        try
        {
            return File.Exists(path) ? File.ReadAllText(path) : null;
        }
        catch (IOException e)
        {
            throw new DsrsException(FormatErrorCodes.CacheIo, $"the cache entry '{path}' cannot be read: {e.Message}");
        }
    }

    /// <summary>Stores verified content (atomically: parallel builds may write the same id at once).</summary>
    public void Write(string compiledId, string content)
    {
        var path = PathOf(compiledId);
        if (File.Exists(path) && File.ReadAllText(path) == content)
        {
            return;
        }

        try
        {
            AtomicFile.WriteAllTextAsync(path, content, CancellationToken.None).GetAwaiter().GetResult();
        }
        catch (IOException e)
        {
            throw new DsrsException(FormatErrorCodes.CacheIo, $"the cache entry '{path}' cannot be written: {e.Message}");
        }
    }
}
