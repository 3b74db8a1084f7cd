namespace ManifestBuild.Market.Listings;

/// <summary>How a seller prices and delivers a listing. Price 0 (the default) publishes the whole manifest for free.</summary>
public sealed record ListingOptions
{
    public long PriceMsat { get; init; }

    /// <summary>The seller's <c>dsrs serve</c> URL for this manifest (paid only).</summary>
    public Uri? L402Url { get; init; }

    /// <summary>The seller's Lightning node id, 66 hex (paid only).</summary>
    public string? NodeIdHex { get; init; }

    /// <summary>The product line this version belongs to (a <c>line</c> tag, docs/protocol-extensions.md §3); null for none.</summary>
    public string? Line { get; init; }

    /// <summary>Event time (unix seconds); now when null.</summary>
    public long? CreatedAt { get; init; }
}
