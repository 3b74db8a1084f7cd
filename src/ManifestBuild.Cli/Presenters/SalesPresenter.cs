using System.Globalization;
using ManifestBuild.Format;
using ManifestBuild.Format.Json;
using ManifestBuild.Market.Reviews;
using ManifestBuild.Seller.Sales;

namespace ManifestBuild.Cli.Presenters;

/// <summary>The verified reviews of a seller's listings, per compiled_id and for the seller, that `dsrs sales` shows beside the figures.</summary>
internal sealed record SalesReviews(IReadOnlyDictionary<string, (ReputationScore Score, MeasuredScore Measured)> ByItem, ReputationScore Seller, MeasuredScore SellerMeasured)
{
    public (ReputationScore, MeasuredScore)? For(string compiledId) => ByItem.TryGetValue(compiledId, out var value) ? value : null;
}

/// <summary>How `dsrs sales` shows what a seller sold (per manifest, bundle or period) with the reviews received, as text or JSON.</summary>
internal static class SalesPresenter
{
    internal static JsonObject SalesJson(SalesSummary summary, SalesReviews? reviews, string path, int unreadable)
    {
        JsonObject Row(SalesRow row, (ReputationScore, MeasuredScore)? review)
        {
            var o = new JsonObject().Add("key", row.Key);
            if (row.SignatureName is not null && summary.By == SalesGrouping.Manifest)
            {
                o.Add("signature_name", row.SignatureName);
            }

            o.Add("sales", row.Sales).Add("redownloads", row.Redownloads).Add("buyers", row.Buyers).Add("revenue_msat", row.RevenueMsat).Add("invoices", row.Invoices);
            if (review is var (score, measured))
            {
                o.Add("reviews", SalesReviewJson(score, measured));
            }

            return o;
        }

        var rows = new JsonArray(summary.Rows.Select(row => (JsonValue)Row(row, summary.By == SalesGrouping.Manifest ? reviews?.For(row.Key) : null)));
        var result = new JsonObject()
            .Add("journal", path)
            .Add("by", summary.By.ToString().ToLowerInvariant());
        if (summary.Since is { } s)
        {
            result.Add("since", s);
        }

        return result
            .Add("unreadable_lines", unreadable)
            .Add("rows", rows)
            .Add("total", Row(summary.Total, reviews is null ? null : (reviews.Seller, reviews.SellerMeasured)));
    }

    private static JsonObject SalesReviewJson(ReputationScore score, MeasuredScore measured)
    {
        var o = new JsonObject().Add("verified", score.VerifiedCount).Add("unverified", score.UnverifiedCount).Add("fraud_reports", score.FraudReports);
        if (score.VerifiedMean is { } mean)
        {
            o.Add("verified_mean_rating", Math.Round(mean, 3));
        }

        o.Add("measured_by", measured.Buyers);
        if (measured.Mean is { } accuracy)
        {
            o.Add("measured_accuracy", Math.Round(accuracy, 4));
        }

        return o;
    }

    internal static async Task SalesPrintAsync(CliContext context, SalesSummary summary, SalesReviews? reviews, string path, int unreadable)
    {
        var scope = summary.Since is { } s ? $" since {DateTimeOffset.FromUnixTimeSeconds(s):u}" : string.Empty;
        await context.Out.WriteLineAsync($"sales{scope} by {summary.By.ToString().ToLowerInvariant()}, from {path}");
        if (summary.Rows.Count == 0)
        {
            await context.Out.WriteLineAsync(File.Exists(path) ? "  nothing sold in that period" : "  no sales journal yet: `dsrs serve` writes one as it sells");
        }

        foreach (var row in summary.Rows)
        {
            var name = row.SignatureName is not null && summary.By == SalesGrouping.Manifest ? $"{UntrustedText.Neutralise(row.SignatureName, 48)} {row.Key[..12]}" : row.Key;
            await context.Out.WriteLineAsync($"  {name}: {SalesFigures(row)}");
            if (summary.By == SalesGrouping.Manifest && reviews?.For(row.Key) is var (score, measured))
            {
                await context.Out.WriteLineAsync($"    {SalesReviewText(score, measured)}");
            }
        }

        await context.Out.WriteLineAsync($"  total: {SalesFigures(summary.Total)}");
        if (reviews is not null)
        {
            await context.Out.WriteLineAsync($"    {SalesReviewText(reviews.Seller, reviews.SellerMeasured)}");
        }

        if (unreadable > 0)
        {
            await context.Error.WriteLineAsync($"warning: {unreadable} journal line(s) were not whole records (a write cut short by a crash) and were skipped");
        }
    }

    private static string SalesFigures(SalesRow row) => string.Create(
        CultureInfo.InvariantCulture,
        $"{row.Sales} sale(s), {row.Redownloads} re-download(s), {row.Buyers} buyer(s), {row.RevenueMsat} msat from {row.Invoices} invoice(s)");

    private static string SalesReviewText(ReputationScore score, MeasuredScore measured)
    {
        var rating = score.VerifiedMean is { } mean ? $"{score.VerifiedCount} verified review(s), mean {mean.ToString("0.0", CultureInfo.InvariantCulture)}/5" : "no verified review";
        var accuracy = measured.Mean is { } m ? $"measured accuracy {m.ToString("0.###", CultureInfo.InvariantCulture)} by {measured.Buyers} buyer(s)" : "no measured accuracy";
        return $"{rating}; {score.UnverifiedCount} unverified; {accuracy}{(score.FraudReports > 0 ? $"; {score.FraudReports} fraud report(s)" : string.Empty)}";
    }
}
