using System.Globalization;
using ManifestBuild.Format;
using ManifestBuild.Format.Datasets;
using ManifestBuild.Format.Json;
using ManifestBuild.Nostr;

namespace ManifestBuild.Market.Listings;

/// <summary>Builds and signs the kind 31990 listing of a sealed dsrs.dataset/1 document.</summary>
public static class DatasetListingBuilder
{
    /// <summary>The tags and content of the listing, unsigned. A paid listing never carries the examples.</summary>
    public static (IReadOnlyList<IReadOnlyList<string>> Tags, string Content) Build(Dataset dataset, ListingOptions options)
    {
        string id;
        try
        {
            id = dataset.VerifyId();
        }
        catch (DsrsException e)
        {
            throw Fail("the dataset's dataset_id does not verify (" + e.Message + ")");
        }

        if (options.PriceMsat < 0)
        {
            throw Fail("the price cannot be negative");
        }

        var paid = options.PriceMsat > 0;
        var domains = dataset.DomainTags.Select(t => t.Trim().ToLowerInvariant()).Where(t => t.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        var count = dataset.ExampleCount.ToString(CultureInfo.InvariantCulture);
        var tags = new List<IReadOnlyList<string>>
        {
            new[] { "d", DatasetListing.DTagPrefix + id },
            new[] { "k", dataset.Family },
        };
        tags.AddRange(domains.Select(d => new[] { "t", d }));
        tags.Add(["x", id]);
        tags.Add(["examples", count]);
        tags.Add(["price", options.PriceMsat.ToString(CultureInfo.InvariantCulture)]);
        if (paid)
        {
            var url = DeliveryUrl(options.L402Url ?? throw Fail("a paid listing needs the seller's L402 URL (--l402)"), id);
            var node = options.NodeIdHex?.Trim().ToLowerInvariant();
            if (!ListingParser.IsNodeId(node))
            {
                throw Fail("a paid listing needs the seller's Lightning node id: 66 hex characters starting 02 or 03 (--node-id)");
            }

            tags.Add(["l402", url.AbsoluteUri]);
            tags.Add(["node", node!]);
        }

        var price = paid ? options.PriceMsat.ToString(CultureInfo.InvariantCulture) + " msat" : "free";
        tags.Add(["alt", $"DSPy training dataset ({dataset.Family}{(domains.Count > 0 ? "; " + string.Join(", ", domains) : string.Empty)}), {count} examples, {price}"]);
        return (tags, JsonWriter.Write(paid ? Preview(dataset.Json) : dataset.Json, false));
    }

    public static NostrEvent BuildSigned(Dataset dataset, ListingOptions options, NostrKeyPair seller)
    {
        var (tags, content) = Build(dataset, options);
        return seller.Sign(NostrKinds.HandlerInformation, tags, content, options.CreatedAt);
    }

    /// <summary>The per-dataset endpoint: a base URL gets <c>datasets/&lt;id&gt;</c> appended.</summary>
    public static Uri DeliveryUrl(Uri baseUrl, string datasetId)
    {
        if (!baseUrl.IsAbsoluteUri || (baseUrl.Scheme != Uri.UriSchemeHttps && !(baseUrl.Scheme == Uri.UriSchemeHttp && baseUrl.IsLoopback)))
        {
            throw Fail("the L402 URL must be absolute https (plain http only on loopback, for local testing)");
        }

        return baseUrl.AbsolutePath.EndsWith("/" + datasetId, StringComparison.Ordinal)
            ? baseUrl
            : new Uri(baseUrl.AbsoluteUri.TrimEnd('/') + "/datasets/" + datasetId);
    }

    /// <summary>What a paid listing shows: everything but the examples (the description, schema, counts and provenance).</summary>
    public static JsonObject Preview(JsonObject dataset)
    {
        var preview = dataset.CloneObject();
        preview.Remove("examples");
        return preview;
    }

    private static DsrsException Fail(string why) => new(MarketErrorCodes.DatasetListingBuildFailed, "cannot build the dataset listing: " + why);
}
