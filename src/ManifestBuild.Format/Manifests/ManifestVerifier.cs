namespace ManifestBuild.Format;

/// <summary>
/// The one check of manifest text, where bytes enter (a download, a cache file, a restored or local
/// file), with one rule set (protocol §1): the text parses and validates; the id is the recomputed
/// compiled_id; a stated compiled_id must agree with it (DSRS0104), a missing one is allowed (the
/// member is optional, the generator accepts it too); and when the caller knows which manifest it
/// asked for, the recomputed id must be that one (DSRS0115). Nothing downstream checks again.
/// </summary>
public static class ManifestVerifier
{
    private static readonly AsyncLocal<FlowCounter?> Counting = new();

    /// <summary>Verifies manifest text, optionally against the compiled_id it must have.</summary>
    public static VerifiedManifest Verify(string text, string? expectedId = null)
    {
        if (text is null)
        {
            throw new ArgumentNullException(nameof(text));
        }

        FlowCounter.Increment(Counting);

        var manifest = Manifest.Parse(text);
        var computed = manifest.ComputeCompiledId();
        if (expectedId is not null && !string.Equals(expectedId, computed, StringComparison.Ordinal))
        {
            throw new DsrsException(FormatErrorCodes.UnexpectedCompiledId, "the content hashes to " + computed + ", not to the expected compiled_id " + expectedId);
        }

        if (manifest.CompiledId is { } stated && !string.Equals(stated, computed, StringComparison.Ordinal))
        {
            throw new DsrsException(FormatErrorCodes.CompiledIdMismatch, "compiled_id mismatch: stated " + UntrustedText.Neutralise(stated, 80) + ", recomputed " + computed + ". If the content was edited on purpose, " + CompiledId.FixHint);
        }

        return new VerifiedManifest(text, computed, manifest);
    }

    /// <summary>Test seam: counts the verifications made in this async flow until disposed.</summary>
    internal static FlowCounter CountVerifications() => FlowCounter.Start(Counting);
}
