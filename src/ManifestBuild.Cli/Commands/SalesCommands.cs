using System.CommandLine;
using System.Globalization;
using ManifestBuild.Cli.Presenters;
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
                await context.Out.WriteAsync(JsonWriter.WriteReviewedFile(SalesPresenter.SalesJson(summary, reviews, path, unreadable)));
                return 0;
            }

            await SalesPresenter.SalesPrintAsync(context, summary, reviews, path, unreadable);
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
        var list = given is { Length: > 0 } ? given : CliOptions.EnvironmentRelays(context);
        if (list.Count == 0 || NostrKeyStore.LoadOrNull(context.Home) is not { } key)
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
}
