using System.Globalization;
using ManifestBuild.Format;
using ManifestBuild.Format.Json;
using ManifestBuild.Nostr;

namespace ManifestBuild.Market.Listings;

/// <summary>Builds and signs the kind 31990 listing of protocol §2 for a verified manifest.</summary>
public static class ListingBuilder
{
    /// <summary>The tags and content of the listing, unsigned.</summary>
    public static (IReadOnlyList<IReadOnlyList<string>> Tags, string Content) Build(JsonObject manifest, ListingOptions options)
    {
        var compiledId = VerifiedId(manifest);
        var family = ManifestFacts.Family(manifest);
        if (string.IsNullOrWhiteSpace(family))
        {
            throw Fail("the manifest has no family (the listing's k tag); add \"family\", e.g. \"complexity\"");
        }

        var name = ManifestFacts.SignatureName(manifest) ?? throw Fail("the manifest has no signature_name");
        if (options.PriceMsat < 0)
        {
            throw Fail("the price cannot be negative");
        }

        var paid = options.PriceMsat > 0;
        var domains = ManifestFacts.Domains(manifest);
        var accuracy = ManifestFacts.AccuracyText(manifest);
        var examples = ManifestFacts.ExampleCount(manifest);

        var tags = new List<IReadOnlyList<string>>
        {
            new[] { "d", Listing.DTagPrefix + compiledId },
            new[] { "k", family },
        };
        tags.AddRange(domains.Select(d => new[] { "t", d }));
        tags.AddRange(domains.Select(d => new[] { "domain", d }));
        tags.Add(["x", compiledId]);
        tags.Add(["name", name]);
        if (examples is not null)
        {
            tags.Add(["examples", examples.Value.ToString(CultureInfo.InvariantCulture)]);
        }

        if (accuracy is not null)
        {
            tags.Add(["accuracy", accuracy]);
        }

        tags.Add(["price", options.PriceMsat.ToString(CultureInfo.InvariantCulture)]);
        if (paid)
        {
            var url = DeliveryUrl(options.L402Url ?? throw Fail("a paid listing needs the seller's L402 URL (--l402)"), compiledId);
            var node = options.NodeIdHex?.Trim().ToLowerInvariant();
            if (!ListingParser.IsNodeId(node))
            {
                throw Fail("a paid listing needs the seller's Lightning node id: 66 hex characters starting 02 or 03 (--node-id)");
            }

            tags.Add(["l402", url.AbsoluteUri]);
            tags.Add(["node", node!]);
        }

        if (options.Line is not null)
        {
            tags.Add(["line", LineName.Check(options.Line) ? options.Line : throw Fail($"the line '{options.Line}' must be {LineName.Rule}")]);
        }

        tags.Add(["alt", Summary(name, family, domains, accuracy, examples, options.PriceMsat)]);
        var content = paid ? ManifestFacts.WithoutPaidContent(manifest) : manifest;
        return (tags, JsonWriter.Write(content, false));
    }

    public static NostrEvent BuildSigned(JsonObject manifest, ListingOptions options, NostrKeyPair seller)
    {
        var (tags, content) = Build(manifest, options);
        return seller.Sign(NostrKinds.HandlerInformation, tags, content, options.CreatedAt);
    }

    /// <summary>The per-manifest endpoint: a base URL gets <c>manifests/&lt;id&gt;</c> appended.</summary>
    public static Uri DeliveryUrl(Uri baseUrl, string compiledId)
    {
        if (!baseUrl.IsAbsoluteUri || (baseUrl.Scheme != Uri.UriSchemeHttps && !(baseUrl.Scheme == Uri.UriSchemeHttp && baseUrl.IsLoopback)))
        {
            throw Fail("the L402 URL must be absolute https (plain http only on loopback, for local testing)");
        }

        if (baseUrl.AbsolutePath.EndsWith("/" + compiledId, StringComparison.Ordinal))
        {
            return baseUrl;
        }

        var text = baseUrl.AbsoluteUri;
        return new Uri(text.TrimEnd('/') + "/manifests/" + compiledId);
    }

    private static string VerifiedId(JsonObject manifest)
    {
        try
        {
            return CompiledId.Verify(manifest);
        }
        catch (DsrsException e)
        {
            throw Fail("the manifest's compiled_id does not verify (" + e.Message + ")");
        }
    }

    private static string Summary(string name, string family, IReadOnlyList<string> domains, string? accuracy, long? examples, long price)
    {
        var parts = new List<string> { $"DSPy manifest {name} ({family}{(domains.Count > 0 ? "; " + string.Join(", ", domains) : string.Empty)})" };
        if (accuracy is not null)
        {
            parts.Add("accuracy " + accuracy);
        }

        if (examples is not null)
        {
            parts.Add(examples.Value.ToString(CultureInfo.InvariantCulture) + " examples");
        }

        parts.Add(price == 0 ? "free" : price.ToString(CultureInfo.InvariantCulture) + " msat");
        return string.Join(", ", parts);
    }

    private static DsrsException Fail(string why) => new(MarketErrorCodes.ListingBuildFailed, "cannot build the listing: " + why);
}
