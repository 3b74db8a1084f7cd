using System.Globalization;

namespace ManifestBuild.Seller.Sales;

/// <summary>How <c>dsrs sales</c> groups the journal.</summary>
public enum SalesGrouping
{
    Manifest,
    Bundle,
    Line,
    Day,
}

/// <summary>
/// One group's figures. <paramref name="Sales"/> counts first hand-overs (an item per payment),
/// <paramref name="Redownloads"/> later ones with the same receipt, <paramref name="Buyers"/> distinct
/// payment hashes that settled, <paramref name="RevenueMsat"/> what those payments were invoiced for,
/// and <paramref name="Invoices"/> the 402 challenges sent (paid or not).
/// </summary>
public sealed record SalesRow(string Key, string? SignatureName, int Sales, int Redownloads, int Buyers, long RevenueMsat, int Invoices);

/// <summary>The figures per group and in all, over the records at or after <see cref="Since"/>.</summary>
public sealed record SalesSummary(SalesGrouping By, long? Since, IReadOnlyList<SalesRow> Rows, SalesRow Total);

/// <summary>Aggregates journal records; pure, so the CLI, tests and a dashboard compute the same figures.</summary>
public static class SalesReport
{
    /// <summary>The key of records that belong to no bundle or line.</summary>
    public const string None = "-";

    public static SalesSummary Build(IEnumerable<SaleRecord> records, SalesGrouping by, long? since = null)
    {
        var selected = records.Where(r => since is null || r.At >= since).ToList();
        var rows = selected
            .GroupBy(r => Key(r, by), StringComparer.Ordinal)
            .Select(g => Row(g.Key, g.ToList()))
            .OrderBy(r => by == SalesGrouping.Day ? r.Key : null, StringComparer.Ordinal)
            .ThenByDescending(r => r.RevenueMsat)
            .ThenBy(r => r.Key, StringComparer.Ordinal)
            .ToList();
        return new SalesSummary(by, since, rows, Row("total", selected));
    }

    private static SalesRow Row(string key, IReadOnlyList<SaleRecord> records)
    {
        var settled = records.Where(r => r.Event == SaleEvent.Settled).ToList();
        return new SalesRow(
            key,
            records.Select(r => r.SignatureName).LastOrDefault(n => n is not null),
            records.Count(r => r.Event == SaleEvent.Delivery && r.First),
            records.Count(r => r.Event == SaleEvent.Delivery && !r.First),
            settled.Select(r => r.PaymentHash).Distinct(StringComparer.Ordinal).Count(),
            settled.Sum(r => r.PriceMsat),
            records.Count(r => r.Event == SaleEvent.Invoice));
    }

    private static string Key(SaleRecord r, SalesGrouping by) => by switch
    {
        SalesGrouping.Manifest => r.Item,
        SalesGrouping.Bundle => r.Bundle ?? None,
        SalesGrouping.Line => r.Line ?? None,
        _ => DateTimeOffset.FromUnixTimeSeconds(r.At).UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
    };
}
