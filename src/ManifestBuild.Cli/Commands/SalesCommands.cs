using System.CommandLine;
using System.Globalization;
using ManifestBuild.Format;
using ManifestBuild.Format.Json;
using ManifestBuild.Market;
using ManifestBuild.Market.Listings;
using ManifestBuild.Market.Reviews;
using ManifestBuild.Nostr;
using ManifestBuild.Seller.Sales;

namespace ManifestBuild.Cli;

internal static class SalesCommands
{
    /// <summary>dsrs sales: the seller's view of what `dsrs serve` sold, from its journal, with the reviews received.</summary>
    public static void AddTo(RootCommand root, CliContext context)
    {
        var since = new Option<long?>("--since")
        {
            Description = "Only records from then on: a date (2026-12-01), a UTC time (2026-12-01T08:00:00Z) or a span back from now (7d, 24h, 2w).",
            CustomParser = result =>
            {
                var text = string.Join(' ', result.Tokens.Select(t => t.Value)).Trim();
                var value = SalesParseSince(text, DateTimeOffset.UtcNow);
                if (value is null)
                {
                    result.AddError(CliOptions.BadValue("--since", "a date, a UTC time or a span such as 7d", text));
                }

                return value;
            },
        };
        var by = new Option<SalesGrouping>("--by")
        {
            Description = "Group by manifest (default), bundle, line or day.",
            DefaultValueFactory = _ => SalesGrouping.Manifest,
            CustomParser = result =>
            {
                var text = string.Join(' ', result.Tokens.Select(t => t.Value)).Trim();
                if (Enum.TryParse<SalesGrouping>(text, ignoreCase: true, out var value) && Enum.IsDefined(value) && !char.IsDigit(text.FirstOrDefault()))
                {
                    return value;
                }

                result.AddError(CliOptions.BadValue("--by", "manifest, bundle, line or day", text));
                return SalesGrouping.Manifest;
            },
        };
        var relays = CliOptions.Relays("Relays to read the reviews you received from (repeatable); default: DSRS_RELAYS; none: no reviews.");
        var json = CliOptions.Json();
        var command = new Command("sales", "What you sold: sales and re-downloads, unique buyers (by payment hash), revenue, and the verified reviews and measured accuracies you received.");
        foreach (var option in new Option[] { since, by, relays, json })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (ParseResult r, CancellationToken ct) =>
        {
            var path = SalesJournal.PathFor(context.Home);
            var (records, unreadable) = SalesJournal.Read(path);
            var summary = SalesReport.Build(records, r.GetValue(by), r.GetValue(since));
            var reviews = await SalesReviewsAsync(r.GetValue(relays), context, ct);
            if (r.GetValue(json))
            {
                await context.Out.WriteAsync(JsonWriter.WriteReviewedFile(SalesJson(summary, reviews, path, unreadable)));
                return 0;
            }

            await SalesPrintAsync(context, summary, reviews, path, unreadable);
            return 0;
        });
        root.Subcommands.Add(command);
    }

    /// <summary>A date, a UTC time or a span back from now, as Unix seconds; null when it is none of them.</summary>
    internal static long? SalesParseSince(string text, DateTimeOffset now)
    {
        if (text.Length >= 2 && char.IsAsciiDigit(text[0]) && "hdw".Contains(text[^1], StringComparison.Ordinal)
            && int.TryParse(text[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count <= 100_000)
        {
            var span = text[^1] switch { 'h' => TimeSpan.FromHours(count), 'd' => TimeSpan.FromDays(count), _ => TimeSpan.FromDays(7.0 * count) };
            return (now - span).ToUnixTimeSeconds();
        }

        return DateTimeOffset.TryParseExact(text, ["yyyy-MM-dd", "yyyy-MM-dd'T'HH:mm:ss'Z'", "yyyy-MM-dd'T'HH:mm'Z'"], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at)
            ? at.ToUnixTimeSeconds()
            : null;
    }

    /// <summary>The reviews of this seller's listings (its key in $DSRS_HOME), verified as any buyer's client does; null without relays or key.</summary>
    private static async Task<SalesReviews?> SalesReviewsAsync(Uri[]? given, CliContext context, CancellationToken ct)
    {
        var list = given is { Length: > 0 } ? given : (context.Env(CliOptions.RelaysVariable) ?? string.Empty).Split(';', ',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(Nostr.Relays.RelayUrl.Parse).ToArray();
        if (list.Length == 0 || NostrKeyStore.LoadOrNull(context.Home) is not { } key)
        {
            return null;
        }

        var result = await new MarketClient().SearchAsync(new ListingQuery { Sellers = [key.PublicKeyHex] }, list, TimeSpan.FromSeconds(10), ct);
        foreach (var relay in result.Relays.Where(x => !x.Succeeded))
        {
            await context.Error.WriteLineAsync("warning: " + relay);
        }

        var byItem = result.Listings.GroupBy(l => l.CompiledId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (result.Reputation.ForListing(g.First().Address), result.Reputation.MeasuredForListing(g.First().Address)), StringComparer.Ordinal);
        return new SalesReviews(byItem, result.Reputation.ForSeller(key.PublicKeyHex), result.Reputation.MeasuredForSeller(key.PublicKeyHex));
    }

    private static JsonObject SalesJson(SalesSummary summary, SalesReviews? reviews, string path, int unreadable)
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

    private static async Task SalesPrintAsync(CliContext context, SalesSummary summary, SalesReviews? reviews, string path, int unreadable)
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

    private sealed record SalesReviews(IReadOnlyDictionary<string, (ReputationScore Score, MeasuredScore Measured)> ByItem, ReputationScore Seller, MeasuredScore SellerMeasured)
    {
        public (ReputationScore, MeasuredScore)? For(string compiledId) => ByItem.TryGetValue(compiledId, out var value) ? value : null;
    }
}
