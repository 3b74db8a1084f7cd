namespace ManifestBuild.Format.Locking;

/// <summary>
/// One pinned manifest in dsrs.lock.json (protocol §6): where it came from and what it hashes to.
/// No secrets and no content: a payment hash is public, the preimage and token live in the user's receipts.
/// </summary>
public sealed class LockEntry
{
    public string SignatureName { get; set; } = string.Empty;

    public string CompiledId { get; set; } = string.Empty;

    /// <summary>The locked manifest's family, recorded so a changed declaration is seen without reading the content; null in entries written before it was recorded.</summary>
    public string? Family { get; set; }

    /// <summary>The locked manifest's domain_tags (lowercase, sorted); empty when it has none or the entry predates them.</summary>
    public IReadOnlyList<string> Domains { get; set; } = [];

    /// <summary>The locked manifest's accuracy (scorecard accuracy, else median score); null when it states none.</summary>
    public double? Accuracy { get; set; }

    /// <summary>The listing's NIP-01 address <c>31990:&lt;seller&gt;:dsrs-manifest:&lt;id&gt;</c>; null for a local file.</summary>
    public string? Address { get; set; }

    /// <summary>The listing event's id (hex); null for a local file.</summary>
    public string? EventId { get; set; }

    /// <summary>The seller's pubkey (hex); null for a local file.</summary>
    public string? Seller { get; set; }

    /// <summary>The price paid; 0 for a free manifest.</summary>
    public long PriceMsat { get; set; }

    /// <summary>The payment hash of the purchase (hex); null when free.</summary>
    public string? PaymentHash { get; set; }

    /// <summary>The relays the listing was found on, sorted.</summary>
    public IReadOnlyList<string> Relays { get; set; } = [];

    /// <summary>Unix seconds when the item was resolved.</summary>
    public long ResolvedAt { get; set; }

    /// <summary>
    /// A bundle member: the bundle_id it was bought with (its payment is the bundle's, one receipt for all
    /// members). A bundle's own entry: null. Written only when set, so entries without bundles keep their bytes.
    /// </summary>
    public string? Bundle { get; set; }

    /// <summary>A bundle's own entry (its compiled_id is the bundle_id): its members' compiled_ids, sorted; empty otherwise.</summary>
    public IReadOnlyList<string> Members { get; set; } = [];

    public LockEntry Clone() => (LockEntry)MemberwiseClone();
}
