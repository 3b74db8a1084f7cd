using System.Globalization;
using ManifestBuild.Format;
using ManifestBuild.Format.Json;
using ManifestBuild.Market;
using ManifestBuild.Market.Listings;
using ManifestBuild.Market.Reviews;
using ManifestBuild.Nostr;

using static ManifestBuild.Cli.Presenters.MarketPresenter;

namespace ManifestBuild.Cli.Presenters;

/// <summary>How `dsrs review` says what kind of review it published, and `dsrs reputation` shows a seller's scores, as text or JSON.</summary>
internal static class ReputationPresenter
{
    public static async Task WriteReviewAsync(TextWriter output, string reviewId, Listing listing, Review? parsed, string reason)
    {
        var kind = parsed?.FraudDeliveredSha256 is not null ? "fraud report (verified purchase)" : parsed?.IsVerified == true ? "verified-purchase review" : parsed is null ? "review (its proof does not verify: " + reason + ")" : "unverified review";
        await output.WriteLineAsync($"{kind} {reviewId} of {UntrustedText.Neutralise(listing.SignatureName, 64)} {listing.CompiledId}");
        if (parsed?.Measurement is { } m)
        {
            await output.WriteLineAsync($"  measured {m.Accuracy.ToString("0.###", CultureInfo.InvariantCulture)} over {m.N} example(s), metric {m.Metric}, model {m.Model}, examples {m.ExamplesSha256[..12]}");
        }
    }

    public static async Task WriteReputationAsync(TextWriter output, string pubkey, SearchResult result, bool json)
    {
        var total = result.Reputation.ForSeller(pubkey);
        if (json)
        {
            var listings = new JsonArray(result.Listings.Select(l => (JsonValue)MarketScoreJson(result.Reputation.ForListing(l.Address)).Add("compiled_id", l.CompiledId).Add("signature_name", l.SignatureName).Add("measured", MeasuredJson(result.Reputation.MeasuredForListing(l.Address)))));
            await output.WriteAsync(JsonWriter.WriteReviewedFile(MarketScoreJson(total).Add("seller", pubkey).Add("npub", Nip19.EncodeNpub(pubkey)).Add("measured", MeasuredJson(result.Reputation.MeasuredForSeller(pubkey))).Add("listings", listings)));
            return;
        }

        await output.WriteLineAsync($"seller {Nip19.EncodeNpub(pubkey)}: {MarketScoreText(total)}");
        if (result.Reputation.MeasuredForSeller(pubkey) is { Buyers: > 0 } sellerMeasured)
        {
            // The seller's claim: the mean claimed accuracy of the listings buyers measured.
            var claims = result.Listings.Where(l => l.Accuracy is not null && result.Reputation.MeasuredForListing(l.Address).Buyers > 0).Select(l => l.Accuracy!.Value).ToList();
            await output.WriteLineAsync("  " + sellerMeasured.Describe(claims.Count > 0 ? claims.Average() : null));
        }

        foreach (var l in result.Listings)
        {
            await output.WriteLineAsync($"  {UntrustedText.Neutralise(l.SignatureName, 64)} {l.CompiledId[..12]}: {MarketScoreText(result.Reputation.ForListing(l.Address))}");
            await output.WriteLineAsync("    " + result.Reputation.MeasuredForListing(l.Address).Describe(l.Accuracy));
        }

        foreach (var rejected in result.Reputation.Rejected)
        {
            await output.WriteLineAsync($"  review {rejected.EventId[..12]} not counted: {rejected.Reason}");
        }
    }
}
