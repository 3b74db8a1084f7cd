namespace ManifestBuild.Tasks.Resolution;

/// <summary>One entry of dsrs.lock.json (protocol §6): where a manifest came from. No secrets, no content.</summary>
public sealed record LockedManifest
{
    public required string SignatureName { get; init; }

    public required string CompiledId { get; init; }

    /// <summary>The manifest's family; null in an entry written before the facts were recorded.</summary>
    public string? Family { get; init; }

    /// <summary>The manifest's domain_tags, lowercase and sorted.</summary>
    public IReadOnlyList<string> Domains { get; init; } = [];

    /// <summary>The manifest's accuracy (scorecard accuracy, else median score); null when it states none.</summary>
    public double? Accuracy { get; init; }

    /// <summary>NIP-01 address of the listing (31990:pubkey:d); empty for a local file.</summary>
    public string Address { get; init; } = string.Empty;

    public string EventId { get; init; } = string.Empty;

    /// <summary>Seller pubkey hex; empty for a local file.</summary>
    public string Seller { get; init; } = string.Empty;

    public long PriceMsat { get; init; }

    /// <summary>Hex payment hash of the purchase; empty when free.</summary>
    public string PaymentHash { get; init; } = string.Empty;

    public IReadOnlyList<string> Relays { get; init; } = [];

    /// <summary>Unix seconds of the first resolution of this compiled_id (kept while the id stays, so the file does not churn).</summary>
    public long ResolvedAt { get; init; }

    /// <summary>A bundle member: the bundle_id it was bought with (its receipt is the bundle's); empty otherwise.</summary>
    public string Bundle { get; init; } = string.Empty;

    /// <summary>A <c>&lt;DsrsBundle&gt;</c>'s own entry (CompiledId is the bundle_id): the members' compiled_ids; empty otherwise.</summary>
    public IReadOnlyList<string> Members { get; init; } = [];

    public bool IsBundle => Members.Count > 0;

    public bool IsFree => PriceMsat == 0;

    /// <summary>True when the entry records family, domains and accuracy (entries from before they were recorded do not).</summary>
    public bool HasFacts => Family is not null;

    /// <summary>This entry with the facts of its content (what a declaration is checked against).</summary>
    public LockedManifest WithFacts(ManifestFacts facts) => this with { Family = facts.Family, Domains = facts.Domains, Accuracy = facts.Accuracy };
}
