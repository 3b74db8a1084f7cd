namespace ManifestBuild.Format.Locking;

/// <summary>
/// One pinned manifest in dsrs.lock.json (protocol §6): where it came from and what it hashes to.
/// Immutable: the build derives a changed entry with <c>with</c>. A member the file has as null (a local
/// file has no listing) reads as the empty string. No secrets and no content: a payment hash is
/// public, the preimage and token live in the user's receipts.
/// </summary>
public sealed record LockEntry
{
    public required string SignatureName { get; init; }

    public required string CompiledId { get; init; }

    /// <summary>The locked manifest's family, recorded so a changed declaration is seen without reading the content; null in entries written before it was recorded.</summary>
    public string? Family { get; init; }

    /// <summary>The locked manifest's domain_tags (lowercase, sorted); empty when it has none or the entry predates them.</summary>
    public IReadOnlyList<string> Domains { get; init; } = [];

    /// <summary>The locked manifest's accuracy (scorecard accuracy, else median score); null when it states none.</summary>
    public double? Accuracy { get; init; }

    /// <summary>The listing's NIP-01 address <c>31990:&lt;seller&gt;:dsrs-manifest:&lt;id&gt;</c>; empty for a local file.</summary>
    public string Address { get; init; } = string.Empty;

    /// <summary>The listing event's id (hex); empty for a local file.</summary>
    public string EventId { get; init; } = string.Empty;

    /// <summary>The seller's pubkey (hex); empty for a local file.</summary>
    public string Seller { get; init; } = string.Empty;

    /// <summary>The price paid; 0 for a free manifest.</summary>
    public long PriceMsat { get; init; }

    /// <summary>The payment hash of the purchase (hex); empty when free.</summary>
    public string PaymentHash { get; init; } = string.Empty;

    /// <summary>The relays the listing was found on (written sorted).</summary>
    public IReadOnlyList<string> Relays { get; init; } = [];

    /// <summary>Unix seconds of the first resolution of this compiled_id (kept while the id stays, so the file does not churn).</summary>
    public long ResolvedAt { get; init; }

    /// <summary>A bundle member: the bundle_id it was bought with (its payment is the bundle's, one receipt for all members); empty otherwise. Written only when set, so entries without bundles keep their bytes.</summary>
    public string Bundle { get; init; } = string.Empty;

    /// <summary>A bundle's own entry (its compiled_id is the bundle_id): its members' compiled_ids, sorted; empty otherwise.</summary>
    public IReadOnlyList<string> Members { get; init; } = [];

    public bool IsBundle => Members.Count > 0;

    public bool IsFree => PriceMsat == 0;

    /// <summary>True when the entry records family, domains and accuracy (entries from before they were recorded do not).</summary>
    public bool HasFacts => Family is not null;

    /// <summary>True when both entries pin the same thing the same way: everything but <see cref="ResolvedAt"/> agrees.</summary>
    public bool SameExceptTime(LockEntry other) =>
        SignatureName == other.SignatureName && CompiledId == other.CompiledId
        && Family == other.Family && Domains.SequenceEqual(other.Domains) && Accuracy == other.Accuracy && Address == other.Address && EventId == other.EventId
        && Seller == other.Seller && PriceMsat == other.PriceMsat && PaymentHash == other.PaymentHash
        && Relays.Order(StringComparer.Ordinal).SequenceEqual(other.Relays.Order(StringComparer.Ordinal))
        && Bundle == other.Bundle && Members.SequenceEqual(other.Members);
}
