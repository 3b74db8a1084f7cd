using System.Globalization;
using ManifestBuild.Format.Json;
using ManifestBuild.Market.Buying;
using ManifestBuild.Market.Listings;
using ManifestBuild.Nostr.Relays;
using ManifestBuild.Seller.Subscriptions;

namespace ManifestBuild.Cli.Presenters;

/// <summary>How `dsrs subscription add | publish | buy | list` show a line, its listing and a buyer's terms (never the token).</summary>
internal static class SubscriptionPresenter
{
    public static async Task WriteAddedAsync(TextWriter output, string line, string compiledId, string path, string fileName)
    {
        await output.WriteLineAsync($"line {line}: version {compiledId} -> {path}");
        await output.WriteLineAsync($"publish its listing with `dsrs publish {fileName} --l402 <url>`: it carries the line tag, and subscribers download it without paying");
    }

    public static async Task WritePublishedAsync(TextWriter output, string listingId, LineDocument sold, IReadOnlyList<PublishResult> relays)
    {
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"subscription listing {listingId} (line {sold.Line}, {sold.PriceMsat} msat per {SubscriptionListing.DescribePeriod(sold.PeriodSeconds)}, {sold.Versions.Count} version(s) now)"));
        await MarketPresenter.WriteRelayAnswersAsync(output, relays);
    }

    public static Task WriteBoughtAsync(TextWriter output, SubscriptionPurchase purchase, bool json)
    {
        var held = purchase.Subscription;
        return output.WriteLineAsync(json
            ? JsonWriter.Write(Describe(held).Add("paid_msat", purchase.PaidMsat).Add("already_held", purchase.AlreadyHeld), false)
            : string.Create(CultureInfo.InvariantCulture, $"{(purchase.AlreadyHeld ? "already subscribed" : "subscribed")} to line {held.Line} from seller {held.SellerPubKey[..12]} until {held.Claim.Expires:u}: paid {purchase.PaidMsat} msat"));
    }

    public static async Task WriteHeldAsync(TextWriter output, TextWriter error, IEnumerable<HeldSubscription> held, IEnumerable<string> problems, DateTimeOffset now, bool json)
    {
        foreach (var one in held)
        {
            var state = one.Claim.IsActive(now) ? "active" : "expired";
            await output.WriteLineAsync(json
                ? JsonWriter.Write(Describe(one).Add("state", state), false)
                : $"{one.Line}  seller {one.SellerPubKey[..12]}  {state} {(state == "active" ? "until" : "since")} {one.Claim.Expires.ToString("u", CultureInfo.InvariantCulture)}  payment {one.PaymentHash[..12]}");
        }

        foreach (var problem in problems)
        {
            await error.WriteLineAsync("warning " + problem);
        }
    }

    private static JsonObject Describe(HeldSubscription held) => new JsonObject()
        .Add("line", held.Line)
        .Add("seller", held.SellerPubKey)
        .Add("expires_at", held.ExpiresAt)
        .Add("price_msat", held.Listing.PriceMsat)
        .Add("period_seconds", held.Listing.PeriodSeconds)
        .Add("payment_hash", held.PaymentHash);
}
