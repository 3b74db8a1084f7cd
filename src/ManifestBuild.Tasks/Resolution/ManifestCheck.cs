using ManifestBuild.Format;

namespace ManifestBuild.Tasks.Resolution;

/// <summary>Checks manifest text before it is handed to the generator or pinned: a valid manifest whose compiled_id is right.</summary>
public static class ManifestCheck
{
    /// <summary>Returns the compiled_id (recomputed; a stated one must agree) and the signature name.</summary>
    public static (string CompiledId, string SignatureName) Verify(string text, string what)
    {
        try
        {
            var manifest = Manifest.Parse(text);
            var id = manifest.CompiledId is null ? manifest.ComputeCompiledId() : manifest.VerifyCompiledId();
            return (id, manifest.SignatureName);
        }
        catch (DsrsException e)
        {
            throw new DsrsException(e.Code, $"{what}: {e.Message}", e);
        }
    }
}
