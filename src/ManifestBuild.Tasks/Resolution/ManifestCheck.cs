using ManifestBuild.Format;
using ManifestBuild.Format.Json;

namespace ManifestBuild.Tasks.Resolution;

/// <summary>Checks manifest text before it is handed to the generator or pinned: JSON object, signature_name, compiled_id.</summary>
public static class ManifestCheck
{
    /// <summary>Returns the compiled_id (recomputed; a stated one must agree) and the signature name.</summary>
    public static (string CompiledId, string SignatureName) Verify(string text, string what)
    {
        var manifest = JsonParser.ParseObject(text);
        var signatureName = manifest.GetString("signature_name");
        if (string.IsNullOrWhiteSpace(signatureName))
        {
            throw new DsrsException(FormatErrorCodes.InvalidManifest, $"{what} is not a manifest: it has no signature_name");
        }

        var id = manifest.ContainsKey(CompiledId.MemberName) ? CompiledId.Verify(manifest) : CompiledId.Compute(manifest);
        return (id, signatureName!);
    }
}
