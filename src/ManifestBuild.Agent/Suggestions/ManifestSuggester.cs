using System.Globalization;
using System.Security;
using System.Text.RegularExpressions;
using ManifestBuild.Agent.Domains;
using ManifestBuild.Market.Listings;

namespace ManifestBuild.Agent.Suggestions;

/// <summary>A <c>&lt;DsrsManifest&gt;</c> item worth adding, with limits that admit the best listing found.</summary>
public sealed record SuggestedItem(string Name, string Family, IReadOnlyList<string> Domains, long MaxPriceMsat, double? MinAccuracy, string Reason)
{
    /// <summary>The item as it goes into a csproj.</summary>
    public string ToXml()
    {
        var attributes = $"Include=\"{SecurityElement.Escape(Name)}\" Family=\"{SecurityElement.Escape(Family)}\"";
        if (Domains.Count > 0)
        {
            attributes += $" Domains=\"{SecurityElement.Escape(string.Join(';', Domains))}\"";
        }

        if (MinAccuracy is { } accuracy)
        {
            attributes += $" MinAccuracy=\"{accuracy.ToString("0.##", CultureInfo.InvariantCulture)}\"";
        }

        return $"<DsrsManifest {attributes} MaxPriceMsat=\"{MaxPriceMsat.ToString(CultureInfo.InvariantCulture)}\" />";
    }
}

/// <summary>
/// Turns what a repository is (<see cref="DomainReport"/>) and what the market lists into items: one per
/// family listed for the repository's domains, naming the domains the best listing carries among the
/// detected ones, a price cap that admits it with headroom, and an accuracy floor just under it.
/// </summary>
public static partial class ManifestSuggester
{
    private const int MaxDomainsPerItem = 2;

    // What a listing's family and domains must look like to be written into a project file.
    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,63}$")]
    private static partial Regex Tag();

    public static IReadOnlyList<SuggestedItem> Suggest(DomainReport report, IEnumerable<Listing> listings)
    {
        var detected = report.Tags;
        var suggestions = new List<SuggestedItem>();
        var writable = listings.Where(l => Tag().IsMatch(l.Family) && l.Domains.All(d => Tag().IsMatch(d)));
        foreach (var family in writable.GroupBy(l => l.Family, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            // The listing that covers the most detected domains (in detection order), then the most accurate, then the cheapest.
            var best = family
                .Select(l => (Listing: l, Covered: detected.Where(d => l.Domains.Contains(d, StringComparer.Ordinal)).ToList()))
                .Where(x => x.Covered.Count > 0)
                .OrderByDescending(x => x.Covered.Count)
                .ThenByDescending(x => x.Listing.Accuracy ?? 0)
                .ThenBy(x => x.Listing.PriceMsat)
                .ThenBy(x => x.Listing.CompiledId, StringComparer.Ordinal)
                .FirstOrDefault();
            if (best.Listing is null)
            {
                continue;
            }

            var domains = best.Covered.Take(MaxDomainsPerItem).ToList();
            var l = best.Listing;
            var maxPrice = l.IsFree ? 0 : RoundUp(l.PriceMsat * 3 / 2);
            double? minAccuracy = l.Accuracy is { } a ? Math.Max(0, Math.Floor((a - 0.05) * 100) / 100) : null;
            var name = UniqueName(ItemName(l.SignatureName), suggestions);
            suggestions.Add(new SuggestedItem(name, family.Key, domains, maxPrice, minAccuracy,
                $"{l.SignatureName} by {l.SellerPubKey[..8]}: domains [{string.Join(", ", l.Domains)}], accuracy {(l.Accuracy?.ToString("0.##", CultureInfo.InvariantCulture) ?? "-")}, {(l.IsFree ? "free" : l.PriceMsat.ToString(CultureInfo.InvariantCulture) + " msat")}"));
        }

        return suggestions;
    }

    // ComplexityClassificationSignature -> ComplexityClassification, a C# identifier the generator accepts.
    private static string ItemName(string signatureName)
    {
        var letters = new string(signatureName.Where(c => char.IsLetterOrDigit(c) || c == '_').ToArray());
        if (letters.EndsWith("Signature", StringComparison.Ordinal) && letters.Length > "Signature".Length)
        {
            letters = letters[..^"Signature".Length];
        }

        return letters.Length == 0 || char.IsDigit(letters[0]) ? "Manifest" + letters : letters;
    }

    private static string UniqueName(string name, List<SuggestedItem> taken)
    {
        var candidate = name;
        for (var i = 2; taken.Any(t => string.Equals(t.Name, candidate, StringComparison.OrdinalIgnoreCase)); i++)
        {
            candidate = name + i.ToString(CultureInfo.InvariantCulture);
        }

        return candidate;
    }

    // 1 sat steps below 10 sat, then two significant digits: caps that read as chosen, not computed.
    private static long RoundUp(long msat)
    {
        if (msat <= 10_000)
        {
            return (msat + 999) / 1000 * 1000;
        }

        var step = (long)Math.Pow(10, Math.Floor(Math.Log10(msat)) - 1);
        return (msat + step - 1) / step * step;
    }
}
