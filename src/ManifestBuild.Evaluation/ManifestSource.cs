using ManifestBuild.Format;
using ManifestBuild.Format.Caching;
using ManifestBuild.Format.Locking;

namespace ManifestBuild.Evaluation;

/// <summary>A manifest to evaluate, verified against its compiled_id, and where it came from.</summary>
public sealed record LoadedManifest(Manifest Manifest, string CompiledId, string Origin);

/// <summary>
/// Finds the manifest a user names: a file, a compiled_id in the cache (<c>$DSRS_HOME/cache</c>), or a
/// project's <c>DsrsManifest</c> item name (<c>obj/dsrs/&lt;Name&gt;.json</c>, else the lockfile's
/// compiled_id looked up in the cache). Whatever the source, the content must hash to its compiled_id.
/// </summary>
public static class ManifestSource
{
    public static LoadedManifest Resolve(string reference, string home, string projectDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reference);
        var text = reference.Trim();
        if (File.Exists(text))
        {
            return FromFile(Path.GetFullPath(text), "file " + Path.GetFullPath(text));
        }

        if (CompiledId.IsWellFormed(text))
        {
            return FromCache(text, home, "the cache");
        }

        if (text.IndexOfAny(['/', '\\']) < 0 && !text.StartsWith('.'))
        {
            var handedOver = Path.Combine(projectDirectory, "obj", "dsrs", text + ".json");
            if (File.Exists(handedOver))
            {
                return FromFile(handedOver, $"item {text} ({handedOver})");
            }

            var lockPath = Path.Combine(projectDirectory, LockFile.FileName);
            if (File.Exists(lockPath) && LockFile.Read(lockPath).Manifests.TryGetValue(text, out var entry))
            {
                return FromCache(entry.CompiledId, home, $"item {text} of {lockPath}, from the cache");
            }
        }

        throw new DsrsException(EvaluationErrorCodes.ManifestNotFound,
            $"'{text}' is not a manifest file, a compiled_id in {new ManifestCache(home).CacheDirectory}, nor a DsrsManifest item of {projectDirectory} (obj/dsrs/{text}.json or {LockFile.FileName})");
    }

    private static LoadedManifest FromFile(string path, string origin)
    {
        var manifest = Manifest.Load(path);
        return new LoadedManifest(manifest, manifest.VerifyCompiledId(), origin);
    }

    private static LoadedManifest FromCache(string compiledId, string home, string origin)
    {
        var lookup = new ManifestCache(home).Lookup(compiledId);
        return lookup.Status switch
        {
            CacheLookupStatus.Hit => new LoadedManifest(lookup.Manifest!, compiledId, origin),
            CacheLookupStatus.Quarantined => throw lookup.Problem!,
            _ => throw new DsrsException(EvaluationErrorCodes.ManifestNotFound, $"{compiledId} is not in {new ManifestCache(home).CacheDirectory}; buy it first (`dsrs buy {compiledId}`)"),
        };
    }
}
