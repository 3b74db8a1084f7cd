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

            if (BundleListingParser.ClaimsToBeBundle(e.Event))
            {
                continue; // a bundle listing (BundleListingParser), not a manifest's
            }

            if (!TryParse(e, out var listing, out var reason))
            {
                rejected.Add(new RejectedListing(e.Id, e.PubKey, reason));
                continue;
            }

            if (query?.FirstMiss(listing!) is { } miss)
            {
                rejected.Add(new RejectedListing(e.Id, e.PubKey, "does not match the query: " + miss));
                continue;
            }

            var key = (listing!.SellerPubKey, listing.SignatureName);
            if (newest.TryGetValue(key, out var current))
            {
                var (keep, drop) = IsNewer(listing, current) ? (listing, current) : (current, listing);
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

    public static bool IsNodeId(string? hex) =>
        hex is { Length: 66 } && (hex.StartsWith("02", StringComparison.Ordinal) || hex.StartsWith("03", StringComparison.Ordinal)) && hex.All(c => c is (>= '0' and <= '9') or (>= 'a' and <= 'f'));

    // NIP-01 tie-break for the same created_at: the lowest id wins.
    private static bool IsNewer(Listing candidate, Listing current) =>
        candidate.CreatedAt > current.CreatedAt || (candidate.CreatedAt == current.CreatedAt && string.CompareOrdinal(candidate.Event.Id, current.Event.Id) < 0);

    private static string? Check(NostrEvent e, out Listing? listing)
    {
        listing = null;
        if (e.Kind != NostrKinds.HandlerInformation)
        {
            return $"kind {e.Kind} is not 31990";
        }

        var d = e.FirstTagValue("d");
        if (d is null || !d.StartsWith(Listing.DTagPrefix, StringComparison.Ordinal))
        {
            return "the d tag is not dsrs-manifest:<compiled_id>";
        }

        var id = d[Listing.DTagPrefix.Length..];
        if (!CompiledId.IsWellFormed(id))
        {
            return "the d tag's compiled_id is not 64 lowercase hex";
        }

        if (e.FirstTagValue("x") != id)
        {
            return "the x tag does not equal the d tag's compiled_id";
        }

        if (e.Content.Length > MaxContentChars)
        {
            return "the content is larger than 1 MiB";
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

        var priceText = e.FirstTagValue("price");
        long price = 0;
        if (priceText is not null && (!long.TryParse(priceText, NumberStyles.None, CultureInfo.InvariantCulture, out price) || price < 0))
        {
            return "the price tag is not a non-negative whole number of millisats";
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

        Uri? l402 = null;
        string? node = null;
        if (price > 0)
        {
            if (!Uri.TryCreate(e.FirstTagValue("l402"), UriKind.Absolute, out l402) ||
                !(l402.Scheme == Uri.UriSchemeHttps || (l402.Scheme == Uri.UriSchemeHttp && l402.IsLoopback)))
            {
                return "a paid listing's l402 tag is not an https URL";
            }

            node = e.FirstTagValue("node");
            if (!IsNodeId(node))
            {
                return "a paid listing's node tag is not a 33-byte compressed public key in lowercase hex";
            }
        }

        var line = e.FirstTagValue("line");
        if (line is not null && !LineName.Check(line))
        {
            return "the line tag must be " + LineName.Rule;
        }

        var domains = e.TagValues("t").Select(t => t.ToLowerInvariant()).Distinct(StringComparer.Ordinal).ToList();
        if (domains.Count == 0)
        {
            domains = e.TagValues("domain").Select(t => t.ToLowerInvariant()).Distinct(StringComparer.Ordinal).ToList();
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

    private static string Short(string id) => id.Length > 12 ? id[..12] : id;
}
