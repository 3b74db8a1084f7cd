namespace ManifestBuild.Format;

/// <summary>
/// Manifest text that <see cref="ManifestVerifier"/> checked: it parses, validates as dsrs.manifest/1
/// and hashes to <see cref="CompiledId"/>. Only the verifier creates one, so holding one is the proof:
/// the cache, the market and the build take it as it is and never parse or hash the text again.
/// </summary>
public sealed class VerifiedManifest
{
    internal VerifiedManifest(string text, string compiledId, Manifest manifest)
    {
        Text = text;
        CompiledId = compiledId;
        Manifest = manifest;
    }

    /// <summary>The exact text that was verified (what the cache stores and the generator embeds).</summary>
    public string Text { get; }

    /// <summary>The recomputed compiled_id (a stated one agrees with it).</summary>
    public string CompiledId { get; }

    /// <summary>The parsed manifest, for reading; <see cref="Format.Manifest.Clone"/> it before editing, or the text and the model part ways.</summary>
    public Manifest Manifest { get; }

    public string SignatureName => Manifest.SignatureName;
}
