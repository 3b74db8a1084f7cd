using System.Globalization;
using ManifestBuild.Nostr;

namespace ManifestBuild.Market.Listings;

/// <summary>
/// A verified subscription listing (docs/protocol-extensions.md §3): kind 31990 with
/// <c>d = dsrs-subscription:&lt;line&gt;</c>, <c>k = dsrs-subscription</c>, the <c>line</c> it sells, a price per
/// period, the period in seconds, the seller's endpoint <c>.../subscriptions/&lt;line&gt;</c> and its node.
/// Only <see cref="SubscriptionListingParser"/> creates these, after every check passed.
/// </summary>
public sealed record SubscriptionListing
{
    public const string DTagPrefix = "dsrs-subscription:";

    /// <summary>The k tag value every subscription listing carries: what relays are asked for (#k).</summary>
    public const string KindTag = "dsrs-subscription";

    /// <summary>The longest period a listing may sell (a year and a day): a token outliving it is not a subscription.</summary>
    public const long MaxPeriodSeconds = 366L * 24 * 3600;

    public required NostrEvent Event { get; init; }

    /// <summary>The product line: every version listed with this <c>line</c> tag by this seller.</summary>
    public required string Line { get; init; }

    /// <summary>Always positive: one payment buys one period.</summary>
    public required long PriceMsat { get; init; }

    /// <summary>How long one payment lasts, seconds (from the seller's invoice; see the token's expiry).</summary>
    public required long PeriodSeconds { get; init; }

    /// <summary>The seller's endpoint, <c>.../subscriptions/&lt;line&gt;</c>.</summary>
    public required Uri L402Url { get; init; }

    public required string NodeIdHex { get; init; }

    public required IReadOnlyList<string> Domains { get; init; }

    /// <summary>The content: a one-paragraph description (seller text: neutralise before printing).</summary>
    public string Description => Event.Content;

    public string SellerPubKey => Event.PubKey;

    public long CreatedAt => Event.CreatedAt;

    /// <summary>The NIP-01 coordinate <c>31990:&lt;seller&gt;:dsrs-subscription:&lt;line&gt;</c>.</summary>
    public string Address => $"{NostrKinds.HandlerInformation}:{Event.PubKey}:{DTagPrefix}{Line}";

    public TimeSpan Period => TimeSpan.FromSeconds(PeriodSeconds);

    /// <summary>The buyer's view: what pays for this subscription and how long it lasts.</summary>
    public string Describe() => string.Create(CultureInfo.InvariantCulture, $"subscription to line {Line} ({PriceMsat} msat per {DescribePeriod(PeriodSeconds)}) from seller {Short(SellerPubKey)}");

    public static string DescribePeriod(long seconds) => seconds % 86400 == 0
        ? string.Create(CultureInfo.InvariantCulture, $"{seconds / 86400} day(s)")
        : string.Create(CultureInfo.InvariantCulture, $"{seconds} s");

    private static string Short(string hex) => hex.Length > 12 ? hex[..12] : hex;
}
