using System.Globalization;
using ManifestBuild.Format;
using ManifestBuild.Nostr;

namespace ManifestBuild.Market.Listings;

/// <summary>Builds and signs a subscription listing (docs/protocol-extensions.md §3).</summary>
public static class SubscriptionListingBuilder
{
    public const int MaxDescriptionChars = 2000;

    public static (IReadOnlyList<IReadOnlyList<string>> Tags, string Content) Build(string line, long periodSeconds, ListingOptions options, string? description = null, IEnumerable<string>? domains = null)
    {
        if (!LineName.Check(line))
        {
            throw Fail($"the line must be {LineName.Rule}");
        }

        if (options.PriceMsat <= 0)
        {
            throw Fail("a subscription is sold, never free: its price per period must be positive");
        }

        if (periodSeconds is <= 0 or > SubscriptionListing.MaxPeriodSeconds)
        {
            throw Fail($"the period must be 1 to {SubscriptionListing.MaxPeriodSeconds} seconds");
        }

        var node = options.NodeIdHex?.Trim().ToLowerInvariant();
        if (!ListingParser.IsNodeId(node))
        {
            throw Fail("a subscription listing needs the seller's Lightning node id: 66 hex characters starting 02 or 03 (--node-id)");
        }

        var text = (description ?? string.Empty).Trim();
        if (text.Length > MaxDescriptionChars)
        {
            throw Fail($"the description is longer than {MaxDescriptionChars} characters");
        }

        var url = SubscriptionUrl(options.L402Url ?? throw Fail("a subscription listing needs the seller's L402 URL (--l402)"), line);
        var price = options.PriceMsat.ToString(CultureInfo.InvariantCulture);
        var tags = new List<IReadOnlyList<string>>
        {
            new[] { "d", SubscriptionListing.DTagPrefix + line },
            new[] { "k", SubscriptionListing.KindTag },
            new[] { "line", line },
        };
        tags.AddRange((domains ?? []).Select(d => d.Trim().ToLowerInvariant()).Where(d => d.Length > 0).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).Select(d => new[] { "t", d }));
        tags.Add(["price", price]);
        tags.Add(["period", periodSeconds.ToString(CultureInfo.InvariantCulture)]);
        tags.Add(["l402", url.AbsoluteUri]);
        tags.Add(["node", node!]);
        tags.Add(["alt", $"DSPy manifest subscription: every version of line {line} for {price} msat per {SubscriptionListing.DescribePeriod(periodSeconds)}"]);
        return (tags, text);
    }

    public static NostrEvent BuildSigned(string line, long periodSeconds, ListingOptions options, NostrKeyPair seller, string? description = null, IEnumerable<string>? domains = null)
    {
        var (tags, content) = Build(line, periodSeconds, options, description, domains);
        return seller.Sign(NostrKinds.HandlerInformation, tags, content, options.CreatedAt);
    }

    /// <summary>The line's endpoint: a base URL gets <c>subscriptions/&lt;line&gt;</c> appended.</summary>
    public static Uri SubscriptionUrl(Uri baseUrl, string line)
    {
        if (!baseUrl.IsAbsoluteUri || (baseUrl.Scheme != Uri.UriSchemeHttps && !(baseUrl.Scheme == Uri.UriSchemeHttp && baseUrl.IsLoopback)))
        {
            throw Fail("the L402 URL must be absolute https (plain http only on loopback, for local testing)");
        }

        var text = baseUrl.GetLeftPart(UriPartial.Path).TrimEnd('/');
        if (text.EndsWith("/subscriptions/" + line, StringComparison.Ordinal))
        {
            return new Uri(text);
        }

        var manifests = text.LastIndexOf("/manifests/", StringComparison.Ordinal);
        return new Uri((manifests < 0 ? text : text[..manifests]) + "/subscriptions/" + line);
    }

    private static DsrsException Fail(string why) => new(MarketErrorCodes.SubscriptionListingBuildFailed, "cannot build the subscription listing: " + why);
}
