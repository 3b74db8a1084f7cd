namespace ManifestBuild.Tasks.Resolution;

/// <summary>One entry of dsrs.lock.json (protocol §6): where a manifest came from. No secrets, no content.</summary>
public sealed record LockedManifest
{
    public required string SignatureName { get; init; }

    public required string CompiledId { get; init; }

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

    public bool IsFree => PriceMsat == 0;
}
