using System.Globalization;
using ManifestBuild.Nostr;

namespace ManifestBuild.Market.Listings;

/// <summary>Subscription listings a query yields: the ones kept and the ones left out with reasons.</summary>
public sealed record SubscriptionListingSet(IReadOnlyList<SubscriptionListing> Accepted, IReadOnlyList<RejectedListing> Rejected);

/// <summary>
/// Every client-side check of a subscription listing on an event whose id and signature are already
/// checked (a <see cref="VerifiedEvent"/>): kind, d tag <c>dsrs-subscription:&lt;line&gt;</c> equal to the
/// <c>line</c> tag, k tag, a positive price, a period within a year and a day, an https (loopback http)
/// endpoint ending in <c>/subscriptions/&lt;line&gt;</c>, a node id, a short description; then
/// de-duplication (by event id, then the newest per seller and line).
/// </summary>
public static class SubscriptionListingParser
{
    /// <summary>True when the event says it is a subscription listing (its d tag); whether it is a valid one is <see cref="TryParse"/>'s job.</summary>
    public static bool ClaimsToBeSubscription(NostrEvent e) => e.FirstTagValue("d")?.StartsWith(SubscriptionListing.DTagPrefix, StringComparison.Ordinal) == true;

    public static bool TryParse(VerifiedEvent e, out SubscriptionListing? listing, out string reason)
    {
        reason = Check(e.Event, out listing) ?? string.Empty;
        return listing is not null;
    }

    /// <summary>The relay filter: kind 31990, #k dsrs-subscription, optionally one line (#d) and sellers.</summary>
    public static NostrFilter Filter(string? line, IReadOnlyList<string> sellers)
    {
        var filter = new NostrFilter { Kinds = [NostrKinds.HandlerInformation] }.WithTag("k", SubscriptionListing.KindTag);
        if (sellers.Count > 0)
        {
            filter = filter with { Authors = sellers.ToArray() };
        }

        return line is null ? filter : filter.WithTag("d", SubscriptionListing.DTagPrefix + line);
    }

    public static SubscriptionListingSet ParseAll(IEnumerable<VerifiedEvent> events)
    {
        var rejected = new List<RejectedListing>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var newest = new Dictionary<(string Seller, string Line), SubscriptionListing>();
        foreach (var e in events)
        {
            if (!seen.Add(e.Id) || !ClaimsToBeSubscription(e.Event))
            {
                continue;
            }

            if (!TryParse(e, out var listing, out var reason))
            {
                rejected.Add(new RejectedListing(e.Id, e.PubKey, reason));
                continue;
            }

            var key = (listing!.SellerPubKey, listing.Line);
            if (newest.TryGetValue(key, out var current))
            {
                var newer = listing.CreatedAt > current.CreatedAt || (listing.CreatedAt == current.CreatedAt && string.CompareOrdinal(listing.Event.Id, current.Event.Id) < 0);
                var (keep, drop) = newer ? (listing, current) : (current, listing);
                newest[key] = keep;
                rejected.Add(new RejectedListing(drop.Event.Id, drop.SellerPubKey, $"superseded by the seller's newer subscription listing of line {keep.Line}"));
            }
            else
            {
                newest[key] = listing;
            }
        }

        return new SubscriptionListingSet(newest.Values.OrderBy(l => l.Line, StringComparer.Ordinal).ThenBy(l => l.SellerPubKey, StringComparer.Ordinal).ToList(), rejected);
    }

    private static string? Check(NostrEvent e, out SubscriptionListing? listing)
    {
        listing = null;
        if (e.Kind != NostrKinds.HandlerInformation)
        {
            return $"kind {e.Kind} is not 31990";
        }

        var d = e.FirstTagValue("d");
        var line = d is not null && d.StartsWith(SubscriptionListing.DTagPrefix, StringComparison.Ordinal) ? d[SubscriptionListing.DTagPrefix.Length..] : null;
        if (!LineName.Check(line))
        {
            return "the d tag is not dsrs-subscription:<line> with a line of " + LineName.Rule;
        }

        if (e.FirstTagValue("k") != SubscriptionListing.KindTag)
        {
            return "a subscription listing's k tag is not dsrs-subscription";
        }

        if (e.FirstTagValue("line") != line)
        {
            return "the line tag is not the d tag's line";
        }

        if (e.Content.Length > SubscriptionListingBuilder.MaxDescriptionChars)
        {
            return $"the description is longer than {SubscriptionListingBuilder.MaxDescriptionChars} characters";
        }

        if (!long.TryParse(e.FirstTagValue("price"), NumberStyles.None, CultureInfo.InvariantCulture, out var price) || price <= 0)
        {
            return "a subscription's price tag is not a positive whole number of millisats";
        }

        if (!long.TryParse(e.FirstTagValue("period"), NumberStyles.None, CultureInfo.InvariantCulture, out var period) || period <= 0 || period > SubscriptionListing.MaxPeriodSeconds)
        {
            return $"the period tag is not a whole number of seconds from 1 to {SubscriptionListing.MaxPeriodSeconds}";
        }

        if (!Uri.TryCreate(e.FirstTagValue("l402"), UriKind.Absolute, out var l402) ||
            !(l402.Scheme == Uri.UriSchemeHttps || (l402.Scheme == Uri.UriSchemeHttp && l402.IsLoopback)))
        {
            return "the subscription's l402 tag is not an https URL";
        }

        if (!l402.AbsolutePath.EndsWith("/subscriptions/" + line, StringComparison.Ordinal))
        {
            return "the subscription's l402 URL does not end in /subscriptions/<line>";
        }

        var node = e.FirstTagValue("node");
        if (!ListingParser.IsNodeId(node))
        {
            return "the subscription's node tag is not a 33-byte compressed public key in lowercase hex";
        }

        listing = new SubscriptionListing
        {
            Event = e,
            Line = line!,
            PriceMsat = price,
            PeriodSeconds = period,
            L402Url = l402,
            NodeIdHex = node!,
            Domains = e.TagValues("t").Select(t => t.ToLowerInvariant()).Distinct(StringComparer.Ordinal).ToList(),
        };
        return null;
    }
}
