using ManifestBuild.Format.Json;
using ManifestBuild.Nostr;

namespace ManifestBuild.Market.Listings;

/// <summary>
/// A verified kind 31990 listing (protocol §2). Only <see cref="ListingParser"/> creates these, after
/// every client-side check passed; <see cref="Content"/> is the whole manifest when free, the manifest
/// without instruction and demos when paid.
/// </summary>
public sealed record Listing
{
    public const string DTagPrefix = "dsrs-manifest:";

    public required NostrEvent Event { get; init; }

    public required string CompiledId { get; init; }

    public required string SignatureName { get; init; }

    public required string Family { get; init; }

    public required IReadOnlyList<string> Domains { get; init; }

    public double? Accuracy { get; init; }

    public long? ExampleCount { get; init; }

    /// <summary>0 when free.</summary>
    public long PriceMsat { get; init; }

    /// <summary>The seller's L402 delivery endpoint (paid only).</summary>
    public Uri? L402Url { get; init; }

    /// <summary>The seller's Lightning node id, 66 lowercase hex (paid only).</summary>
    public string? NodeIdHex { get; init; }

    public string? Alt { get; init; }

    /// <summary>The product line this version belongs to (its <c>line</c> tag); null when it names none.</summary>
    public string? Line { get; init; }

    public required JsonObject Content { get; init; }

    public bool IsFree => PriceMsat == 0;

    public string SellerPubKey => Event.PubKey;

    public long CreatedAt => Event.CreatedAt;

    /// <summary>The NIP-01 coordinate <c>31990:&lt;seller&gt;:dsrs-manifest:&lt;id&gt;</c> reviews point at.</summary>
    public string Address => $"{NostrKinds.HandlerInformation}:{Event.PubKey}:{DTagPrefix}{CompiledId}";
}
