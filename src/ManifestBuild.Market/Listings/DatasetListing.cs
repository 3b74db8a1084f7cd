using ManifestBuild.Format.Json;
using ManifestBuild.Nostr;

namespace ManifestBuild.Market.Listings;

/// <summary>
/// A verified kind 31990 dataset listing: <c>d</c> = <c>dsrs-dataset:&lt;dataset_id&gt;</c>, <c>k</c> = family,
/// the same <c>t</c> domains, example count and price as a manifest listing. Only
/// <see cref="DatasetListingParser"/> creates these. <see cref="Content"/> is the whole dataset when free,
/// the dataset without its examples (description, schema, provenance) when paid.
/// </summary>
public sealed record DatasetListing
{
    public const string DTagPrefix = "dsrs-dataset:";

    public required NostrEvent Event { get; init; }

    public required string DatasetId { get; init; }

    public required string Family { get; init; }

    public required IReadOnlyList<string> Domains { get; init; }

    public required long ExampleCount { get; init; }

    /// <summary>0 when free.</summary>
    public long PriceMsat { get; init; }

    public Uri? L402Url { get; init; }

    public string? NodeIdHex { get; init; }

    public string? Description { get; init; }

    public required JsonObject Content { get; init; }

    public bool IsFree => PriceMsat == 0;

    public string SellerPubKey => Event.PubKey;

    public long CreatedAt => Event.CreatedAt;

    public string Address => $"{NostrKinds.HandlerInformation}:{Event.PubKey}:{DTagPrefix}{DatasetId}";

    /// <summary>
    /// The same offer in the shape the acquirer, the payment guard and the receipts know: the dataset_id
    /// takes the compiled_id's place (both are SHA-256 content addresses, so they never collide), and the
    /// seller, node and L402 URL are this listing's, so receipts stay bound to their issuer.
    /// </summary>
    public Listing AsOffer() => new()
    {
        Event = Event,
        CompiledId = DatasetId,
        SignatureName = "dataset " + Family,
        Family = Family,
        Domains = Domains,
        ExampleCount = ExampleCount,
        PriceMsat = PriceMsat,
        L402Url = L402Url,
        NodeIdHex = NodeIdHex,
        Content = Content,
    };
}
