using ManifestBuild.Format;
using ManifestBuild.Format.Locking;

namespace ManifestBuild.Tasks.Resolution;

/// <summary>
/// What a declaration is checked against, read from a manifest: family, domain_tags (lowercase, sorted)
/// and accuracy (the scorecard's accuracy, else its median score: the rule listings use).
/// </summary>
public sealed record ManifestFacts(string? Family, IReadOnlyList<string> Domains, double? Accuracy)
{
    public static ManifestFacts Of(Manifest manifest) => new(
        manifest.Family?.Trim().ToLowerInvariant(),
        manifest.DomainTags.Select(t => t.Trim().ToLowerInvariant()).Where(t => t.Length > 0).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray(),
        manifest.Scorecard is { } scorecard ? scorecard.Accuracy ?? scorecard.MedianScore : null);

    /// <summary>The facts of verified content (read from its parsed manifest, not parsed again).</summary>
    public static ManifestFacts Of(VerifiedManifest verified) => Of(verified.Manifest);
}

public static class LockEntryFacts
{
    /// <summary>This entry with the facts of its content (what a declaration is checked against).</summary>
    public static LockEntry WithFacts(this LockEntry entry, ManifestFacts facts) => entry with { Family = facts.Family, Domains = facts.Domains, Accuracy = facts.Accuracy };
}
