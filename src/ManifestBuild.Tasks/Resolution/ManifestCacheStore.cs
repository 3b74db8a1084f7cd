using ManifestBuild.Format;
using ManifestBuild.Format.Caching;

namespace ManifestBuild.Tasks.Resolution;

/// <summary>
/// The user's cache ($DSRS_HOME/cache/&lt;compiled_id&gt;.json, Format's verified <see cref="ManifestCache"/>)
/// seen from the build: a corrupt entry is quarantined by the cache and reported here as content
/// that does not match the lock. The build only reads it: the market caches what it delivers.
/// </summary>
public sealed class ManifestCacheStore(string home)
{
    private readonly ManifestCache cache = new(home);

    public string PathOf(string compiledId) => cache.GetPath(compiledId);

    /// <summary>The entry verified against its id, or null on a miss; DSRS0031 when the entry does not hash to its id.</summary>
    public VerifiedManifest? TryRead(string compiledId)
    {
        var lookup = cache.Lookup(compiledId);
        return lookup.Status switch
        {
            CacheLookupStatus.Hit => lookup.Verified,
            CacheLookupStatus.Miss => null,
            _ => throw new DsrsException(BuildErrorCodes.LockedContentMismatch, $"the cached content of the locked compiled_id {compiledId} does not hash to it: {lookup.Problem?.Message}"),
        };
    }
}
