using ManifestBuild.Format;
using ManifestBuild.Market.L402;
using ManifestBuild.Seller.Subscriptions;

namespace ManifestBuild.Seller;

/// <summary>The folder's product lines (<c>&lt;line&gt;.line.json</c>): what a subscription token opens.</summary>
public sealed partial class ManifestCatalog
{
    private IReadOnlyDictionary<string, LineDocument> lines = new Dictionary<string, LineDocument>(StringComparer.Ordinal);

    public IReadOnlyCollection<LineDocument> Lines => (IReadOnlyCollection<LineDocument>)lines.Values;

    public LineDocument? FindLine(string line) => lines.GetValueOrDefault(line);

    /// <summary>The line a sold manifest belongs to, or null.</summary>
    public string? LineOf(string compiledId) => lines.Values.FirstOrDefault(l => l.Find(compiledId) is not null)?.Line;

    /// <summary>
    /// Whether a subscription token's claim opens this manifest: null when it does, else the refusal. The
    /// manifest must be a version of the token's line, published at or before the token's expiry.
    /// </summary>
    public DsrsException? SubscriptionGrants(SubscriptionClaim claim, string compiledId)
    {
        if (FindLine(claim.Line)?.Find(compiledId) is not { } version)
        {
            return new DsrsException(Market.MarketErrorCodes.SubscriptionWrongLine, $"the token is a subscription to line {claim.Line}, and {compiledId} is not a version of that line here");
        }

        return version.PublishedAt > claim.ExpiresAt
            ? new DsrsException(Market.MarketErrorCodes.SubscriptionExpired, $"the subscription to line {claim.Line} expired at {claim.Expires:u}, before this version was published ({DateTimeOffset.FromUnixTimeSeconds(version.PublishedAt):u}); renew it to download this version")
            : null;
    }

    /// <summary>The line a subscription listing is made from: its price and period are the ones this catalog charges (a stated price only checks it).</summary>
    public LineDocument ForSubscriptionListing(string line, long? statedPriceMsat)
    {
        if (FindLine(line) is not { } sold)
        {
            var why = Problems.FirstOrDefault(p => p.Contains(line + LineDocument.FileSuffix, StringComparison.Ordinal));
            throw new DsrsException(SellerErrorCodes.LineNotInCatalog, why is not null
                ? $"the seller's catalog {Directory} does not sell line {line}: {why}"
                : $"the seller's catalog {Directory} does not sell line {line}: `dsrs subscription add <manifest> --line {line} --price <msat> --period <days>` writes its {line}{LineDocument.FileSuffix}");
        }

        if (statedPriceMsat is { } stated && stated != sold.PriceMsat)
        {
            throw new DsrsException(SellerErrorCodes.PriceDisagrees, string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"--price says {stated} msat but the seller's catalog charges {sold.PriceMsat} msat per period for line {line} ({line}{LineDocument.FileSuffix} in {Directory}); publish without --price"));
        }

        return sold;
    }

    /// <summary>The folder's lines; a version the folder does not sell is left out of its line and reported.</summary>
    private static Dictionary<string, LineDocument> LoadLines(string directory, Dictionary<string, CatalogEntry> entries, List<string> problems)
    {
        var result = new Dictionary<string, LineDocument>(StringComparer.Ordinal);
        foreach (var path in System.IO.Directory.EnumerateFiles(directory, "*" + LineDocument.FileSuffix).Order(StringComparer.Ordinal))
        {
            try
            {
                var line = LineDocument.Load(path);
                foreach (var missing in line.Versions.Where(v => !entries.TryGetValue(v.CompiledId, out var e) || e.Kind != CatalogAssetKind.Manifest))
                {
                    problems.Add($"{SellerErrorCodes.LineVersionNotSold}: version {missing.CompiledId} of line {line.Line} is not a manifest this folder sells: not sold through the subscription");
                }

                result[line.Line] = line with { Versions = line.Versions.Where(v => entries.ContainsKey(v.CompiledId)).ToList() };
            }
            catch (Exception e) when (e is DsrsException or IOException)
            {
                problems.Add($"{SellerErrorCodes.BadLineFile}: {Path.GetFileName(path)} not sold: {e.Message}");
            }
        }

        return result;
    }
}
