using System.Globalization;
using ManifestBuild.Format;
using ManifestBuild.Format.Json;
using ManifestBuild.Nostr;

namespace ManifestBuild.Market.Listings;

/// <summary>A listing left out, and why (shown by <c>dsrs search --show-rejected</c> and in the build log).</summary>
public sealed record RejectedListing(string EventId, string PubKey, string Reason, string? Relay = null)
{
    /// <summary>Why, safe to print: reasons quote what peers sent (names, tags), so they are neutralised here, once.</summary>
    public string Reason { get; init; } = Format.UntrustedText.Neutralise(Reason, 300);
}

/// <summary>What a set of relay events yields: the listings kept and the ones left out with reasons.</summary>
public sealed record ListingSet(IReadOnlyList<Listing> Accepted, IReadOnlyList<RejectedListing> Rejected);

/// <summary>
/// Every client-side check of protocol §2 on an event whose id and BIP-340 signature are already
/// checked (a <see cref="VerifiedEvent"/> from the relay pool or <see cref="NostrEventVerifier"/>): kind, content is a manifest
/// object, d / x / content compiled_id agree, a free manifest's id recomputes, tags well formed,
/// paid listings name an L402 URL and a node, then the query's filters again, then de-duplication
/// (by event id, then newest per seller and signature).
/// </summary>
public static class ListingParser
{
    private const int MaxContentChars = 1024 * 1024;

    /// <summary>Parses one event; throws DSRS0521 with the reason when it is not an acceptable listing.</summary>
    public static Listing Parse(VerifiedEvent e) => TryParse(e, out var listing, out var reason) ? listing! : throw new DsrsException(MarketErrorCodes.ListingRejected, $"listing {Short(e.Id)} rejected: {Format.UntrustedText.Neutralise(reason, 300)}");

    public static bool TryParse(VerifiedEvent e, out Listing? listing, out string reason)
    {
        listing = null;
        reason = Check(e.Event, out listing) ?? string.Empty;
        return listing is not null;
    }

    /// <summary>Applies the parse, the query's filters and de-duplication to a relay result.</summary>
    public static ListingSet ParseAll(IEnumerable<VerifiedEvent> events, ListingQuery? query = null)
    {
        var rejected = new List<RejectedListing>();
        var byId = new HashSet<string>(StringComparer.Ordinal);
        var newest = new Dictionary<(string Seller, string Signature), Listing>();
        foreach (var e in events)
        {
            if (!byId.Add(e.Id) || DatasetListingParser.IsDatasetListing(e.Event))
            {
                continue; // the same event from another relay, or a dataset listing (never a manifest search's result)
            }

            if (BundleListingParser.ClaimsToBeBundle(e.Event) || SubscriptionListingParser.ClaimsToBeSubscription(e.Event))
            {
                continue; // a bundle or subscription listing (their own parsers), not a manifest's
            }

            if (ListingTags.Admit<Listing>(e, TryParse, query is null ? null : query.FirstMiss, rejected) is not { } listing)
            {
                continue;
            }

            var key = (listing.SellerPubKey, listing.SignatureName);
            if (newest.TryGetValue(key, out var current))
            {
                var (keep, drop) = ListingTags.IsNewer(listing.Event, current.Event) ? (listing, current) : (current, listing);
                newest[key] = keep;
                rejected.Add(new RejectedListing(drop.Event.Id, drop.SellerPubKey, $"superseded by the seller's newer listing {Short(keep.Event.Id)} of {keep.SignatureName}"));
            }
            else
            {
                newest[key] = listing;
            }
        }

        var accepted = newest.Values.OrderBy(l => l.CompiledId, StringComparer.Ordinal).ToList();
        return new ListingSet(accepted, rejected);
    }

    public static bool IsNodeId(string? hex) => ListingTags.IsNodeId(hex);

    private static string? Check(NostrEvent e, out Listing? listing)
    {
        listing = null;
        var tags = ListingTags.ContentAddress(e, Listing.DTagPrefix, CompiledId.MemberName, out var id);
        if ((ListingTags.Kind(e) ?? tags ?? ListingTags.ContentSize(e, MaxContentChars, "1 MiB")) is { } bad)
        {
            return bad;
        }

        JsonObject content;
        try
        {
            content = JsonParser.ParseObject(e.Content);
        }
        catch (DsrsException ex)
        {
            return "the content is not a JSON object: " + ex.Message;
        }

        if (content.GetString(CompiledId.MemberName) != id)
        {
            return "the content's compiled_id does not equal the d and x tags";
        }

        if (ListingTags.Price(e, out var price) is { } badPrice)
        {
            return badPrice;
        }

        if (price == 0 && CompiledId.Compute(content) != id)
        {
            return "a free listing's content does not hash to its compiled_id";
        }

        var signature = content.GetString("signature_name");
        if (string.IsNullOrEmpty(signature))
        {
            return "the content has no signature_name";
        }

        if (e.FirstTagValue("name") is { } nameTag && nameTag != signature)
        {
            return "the name tag differs from the content's signature_name";
        }

        var family = e.FirstTagValue("k");
        if (string.IsNullOrEmpty(family))
        {
            return "no k (family) tag";
        }

        if (content.GetString("family") is { } contentFamily && contentFamily != family)
        {
            return "the k tag differs from the content's family";
        }

        double? accuracy = null;
        if (e.FirstTagValue("accuracy") is { } accuracyText)
        {
            if (!ManifestFacts.TryParseAccuracy(accuracyText, out var a))
            {
                return "the accuracy tag is not a number between 0 and 1";
            }

            accuracy = a;
        }

        long? examples = null;
        if (e.FirstTagValue("examples") is { } examplesText)
        {
            if (!long.TryParse(examplesText, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            {
                return "the examples tag is not a whole number";
            }

            examples = n;
        }

        if (ListingTags.PaidEndpoint(e, price, out var l402, out var node) is { } badEndpoint)
        {
            return badEndpoint;
        }

        var line = e.FirstTagValue("line");
        if (line is not null && !LineName.Check(line))
        {
            return "the line tag must be " + LineName.Rule;
        }

        var domains = ListingTags.Domains(e);
        if (domains.Count == 0)
        {
            domains = ListingTags.Domains(e, "domain");
        }

        listing = new Listing
        {
            Event = e,
            CompiledId = id,
            SignatureName = signature,
            Family = family,
            Domains = domains,
            Accuracy = accuracy,
            ExampleCount = examples,
            PriceMsat = price,
            L402Url = l402,
            NodeIdHex = node,
            Alt = e.FirstTagValue("alt"),
            Line = line,
            Content = content,
        };
        return null;
    }

    private static string Short(string id) => ListingTags.Short(id);
}
