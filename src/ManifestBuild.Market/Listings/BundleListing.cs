using ManifestBuild.Format.Bundles;
using ManifestBuild.Nostr;

namespace ManifestBuild.Market.Listings;

/// <summary>
/// A verified bundle listing (docs/protocol-extensions.md, "Bundles"): kind 31990 with
/// <c>d = dsrs-bundle:&lt;bundle_id&gt;</c>, <c>k = dsrs-bundle</c>, one <c>x</c> tag per member, one price,
/// the seller's L402 endpoint for the bundle and its node, and the <c>dsrs.bundle/1</c> document as content.
/// Only <see cref="BundleListingParser"/> creates these, after every check passed.
/// </summary>
public sealed record BundleListing
{
    public const string DTagPrefix = "dsrs-bundle:";

    /// <summary>The k tag value every bundle listing carries: what relays are asked for (#k).</summary>
    public const string KindTag = "dsrs-bundle";

    public required NostrEvent Event { get; init; }

    public required BundleDocument Document { get; init; }

    public string BundleId => Document.BundleId;

    public string Name => Document.Name;

    public IReadOnlyList<string> Members => Document.Members;

    public required IReadOnlyList<string> Domains { get; init; }

    /// <summary>Always positive: one payment unlocks every member.</summary>
    public required long PriceMsat { get; init; }

    /// <summary>The bundle's endpoint, <c>.../bundles/&lt;bundle_id&gt;</c>.</summary>
    public required Uri L402Url { get; init; }

    public required string NodeIdHex { get; init; }

    public string SellerPubKey => Event.PubKey;

    public long CreatedAt => Event.CreatedAt;

    /// <summary>The NIP-01 coordinate <c>31990:&lt;seller&gt;:dsrs-bundle:&lt;id&gt;</c>.</summary>
    public string Address => $"{NostrKinds.HandlerInformation}:{Event.PubKey}:{DTagPrefix}{BundleId}";

    /// <summary>Where a member is downloaded with the bundle's credential: the same server, <c>.../manifests/&lt;id&gt;</c>.</summary>
    public Uri MemberUrl(string compiledId) => MemberUrl(L402Url, compiledId);

    /// <summary>A member's URL beside a bundle URL (a receipt remembers the bundle URL only).</summary>
    public static Uri MemberUrl(Uri bundleUrl, string compiledId)
    {
        var text = bundleUrl.GetLeftPart(UriPartial.Path);
        var at = text.LastIndexOf("/bundles/", StringComparison.Ordinal);
        return new Uri((at < 0 ? text.TrimEnd('/') : text[..at]) + "/manifests/" + compiledId);
    }

    /// <summary>The buyer's view: what pays for this bundle and what it contains.</summary>
    public string Describe() => $"bundle {Name} ({Members.Count} manifests, {PriceMsat} msat) from seller {Short(SellerPubKey)}";

    private static string Short(string hex) => hex.Length > 12 ? hex[..12] : hex;
}
