using System.Globalization;
using ManifestBuild.Market.Buying;
using ManifestBuild.Market.Listings;

namespace ManifestBuild.Market.Selection;

/// <summary>The chosen dataset listing (null when none fits) and why, in words a build log can show.</summary>
public sealed record DatasetSelection(DatasetListing? Winner, string Explanation);

/// <summary>
/// Deterministic choice among dataset listings that passed the query: blocked sellers are out, then the
/// most examples win (the training signal a buyer pays for), then the lower price, then the newer
/// listing, then the lower dataset_id, so two machines given the same listings pick the same one.
/// </summary>
public static class DatasetSelector
{
    public static DatasetSelection Select(IReadOnlyList<DatasetListing> listings, BlockedSellers? blocked = null)
    {
        var skipped = new List<string>();
        var candidates = new List<DatasetListing>();
        foreach (var listing in listings)
        {
            if (blocked?.Find(listing.SellerPubKey) is { } entry)
            {
                skipped.Add($"{Short(listing.DatasetId)} skipped ({MarketErrorCodes.SellerBlocked}: {entry.Describe()})");
            }
            else
            {
                candidates.Add(listing);
            }
        }

        var ranked = candidates
            .OrderByDescending(l => l.ExampleCount)
            .ThenBy(l => l.PriceMsat)
            .ThenByDescending(l => l.CreatedAt)
            .ThenBy(l => l.DatasetId, StringComparer.Ordinal)
            .ToList();
        if (ranked.Count == 0)
        {
            return new DatasetSelection(null, listings.Count == 0 ? "no dataset listing matched" : "every matching listing was skipped: " + string.Join("; ", skipped));
        }

        var winner = ranked[0];
        var why = string.Create(CultureInfo.InvariantCulture, $"selected dataset {Short(winner.DatasetId)} from seller {Short(winner.SellerPubKey)}: {winner.ExampleCount} examples, {(winner.IsFree ? "free" : winner.PriceMsat + " msat")}");
        if (ranked.Count > 1)
        {
            why += string.Create(CultureInfo.InvariantCulture, $" (most examples, then lowest price, then newest; over {string.Join(", ", ranked.Skip(1).Take(4).Select(l => $"{Short(l.DatasetId)} {l.ExampleCount} examples {l.PriceMsat} msat"))})");
        }

        return new DatasetSelection(winner, skipped.Count == 0 ? why : why + "; " + string.Join("; ", skipped));
    }

    private static string Short(string hex) => hex.Length > 12 ? hex[..12] : hex;
}
