using System.Globalization;
using ManifestBuild.Format;
using ManifestBuild.Format.Json;
using ManifestBuild.Market.Listings;

namespace ManifestBuild.Seller.Subscriptions;

/// <summary>One version of a line: a manifest the folder sells, and when the seller published it in the line (unix seconds).</summary>
public sealed record LineVersion(string CompiledId, long PublishedAt);

/// <summary>
/// A product line on sale, <c>&lt;line&gt;.line.json</c> in the served folder (<c>dsrs.line/1</c>):
/// <c>{"format":"dsrs.line/1","line":"rust-systems","price_msat":10000,"period_seconds":604800,"description":"...","versions":[{"compiled_id":"...","published_at":1700000000}]}</c>.
/// It is the one place the subscription's price and period live (<c>dsrs subscription publish</c> lists them,
/// <c>dsrs serve</c> charges them) and the seller's record of which version belongs to the line since when:
/// a token opens the versions published at or before its expiry.
/// </summary>
public sealed record LineDocument(string Line, long PriceMsat, long PeriodSeconds, string? Description, IReadOnlyList<LineVersion> Versions)
{
    public const string FormatName = "dsrs.line/1";

    public const string FileSuffix = ".line.json";

    public LineVersion? Find(string compiledId) => Versions.FirstOrDefault(v => v.CompiledId == compiledId);

    /// <summary>The line with this version added (published now), or as it is when the version is in it already.</summary>
    public LineDocument WithVersion(string compiledId, long publishedAt) =>
        Find(compiledId) is not null ? this : this with { Versions = [.. Versions, new LineVersion(compiledId, publishedAt)] };

    public string ToText()
    {
        var o = new JsonObject()
            .Add("format", FormatName)
            .Add("line", Line)
            .Add("price_msat", PriceMsat)
            .Add("period_seconds", PeriodSeconds);
        if (Description is not null)
        {
            o.Add("description", Description);
        }

        o.Add("versions", new JsonArray(Versions.Select(v => (JsonValue)new JsonObject().Add("compiled_id", v.CompiledId).Add("published_at", v.PublishedAt))));
        return JsonWriter.WriteFile(o);
    }

    public static LineDocument Load(string path) => Parse(File.ReadAllText(path));

    /// <summary>Parses and checks a line file; throws DSRS0594 naming what is wrong.</summary>
    public static LineDocument Parse(string text)
    {
        JsonObject o;
        try
        {
            o = JsonParser.ParseObject(text);
        }
        catch (DsrsException e)
        {
            throw Bad("it is not a JSON object: " + e.Message);
        }

        if (o.GetString("format") != FormatName)
        {
            throw Bad($"its format is not {FormatName}");
        }

        var line = o.GetString("line");
        if (!LineName.Check(line))
        {
            throw Bad("its line must be " + LineName.Rule);
        }

        var price = Int(o, "price_msat") ?? 0;
        if (price <= 0)
        {
            throw Bad("its price_msat must be a positive whole number (a subscription is never free)");
        }

        var period = Int(o, "period_seconds") ?? 0;
        if (period is <= 0 or > SubscriptionListing.MaxPeriodSeconds)
        {
            throw Bad(string.Create(CultureInfo.InvariantCulture, $"its period_seconds must be 1 to {SubscriptionListing.MaxPeriodSeconds}"));
        }

        var versions = new List<LineVersion>();
        foreach (var item in o["versions"] as JsonArray ?? throw Bad("it has no versions array"))
        {
            if (item is not JsonObject v || v.GetString("compiled_id") is not { } id || !CompiledId.IsWellFormed(id) || Int(v, "published_at") is not { } at || at < 0)
            {
                throw Bad("each version is {\"compiled_id\": 64 hex, \"published_at\": unix seconds}");
            }

            if (versions.Any(x => x.CompiledId == id))
            {
                throw Bad($"version {id} is listed twice");
            }

            versions.Add(new LineVersion(id, at));
        }

        return new LineDocument(line!, price, period, o.GetString("description"), versions);
    }

    private static long? Int(JsonObject o, string name) => o[name] is JsonNumber n && n.TryGetInt64(out var value) ? value : null;

    private static DsrsException Bad(string why) => new(SellerErrorCodes.BadLineFile, "the line file is not valid: " + why);
}
