using System.Globalization;
using ManifestBuild.Format;
using ManifestBuild.Format.Json;
using ManifestBuild.Market;
using ManifestBuild.Market.Buying;
using ManifestBuild.Market.Listings;
using ManifestBuild.Market.Reviews;
using ManifestBuild.Market.Selection;
using ManifestBuild.Nostr;
using ManifestBuild.Nostr.Relays;

namespace ManifestBuild.Cli.Presenters;

/// <summary>What `dsrs search` found: the ranking, what was left out and why, and the selector's explanation.</summary>
internal sealed record MarketSearchView(SelectionResult Ranked, SearchResult Result, IReadOnlyList<MarketPresenter.MarketLeftOutListing> Rejected, string Explanation, bool FamilyGiven);

/// <summary>What `dsrs publish` did: the signed listing, its price and address, and each relay's answer.</summary>
internal sealed record MarketPublishView(string ListingId, string CompiledId, long PriceMsat, string Naddr, IReadOnlyList<PublishResult> Relays);

/// <summary>
/// How the market commands show what they computed, as text or as JSON: the commands in
/// MarketCommands decide and fetch, and hand the outcome here; nothing here talks to a relay or a node.
/// </summary>
internal static class MarketPresenter
{
    public static Task WriteSearchJsonAsync(TextWriter output, MarketSearchView view) =>
        output.WriteAsync(MarketSearchJson(view.Ranked, view.Result, view.Rejected, view.Explanation));

    public static async Task WriteSearchTableAsync(TextWriter output, MarketSearchView view, bool showRejected)
    {
        var (ranked, result, rejected, explanation) = (view.Ranked, view.Result, view.Rejected, view.Explanation);
        await output.WriteLineAsync($"{"SIGNATURE",-36} {"SELLER",-20} {"ACCURACY",8} {"EXAMPLES",8} {"PRICE msat",10} {"REVIEWS",8} {"AGE",6}  COMPILED_ID");
        foreach (var item in ranked.Ranking)
        {
            var l = item.Listing;
            var score = result.Reputation.ForListing(l.Address);
            await output.WriteLineAsync(
                $"{MarketClip(UntrustedText.Neutralise(l.SignatureName, 64), 36),-36} {MarketSeller(l.SellerPubKey),-20} {(l.Accuracy?.ToString("0.###", CultureInfo.InvariantCulture) ?? "-"),8} {(l.ExampleCount?.ToString(CultureInfo.InvariantCulture) ?? "-"),8} " +
                $"{(l.IsFree ? "free" : l.PriceMsat.ToString(CultureInfo.InvariantCulture)),10} {score.VerifiedCount.ToString(CultureInfo.InvariantCulture) + (score.UnverifiedCount > 0 ? $"(+{score.UnverifiedCount})" : string.Empty),8} {MarketAge(l.CreatedAt),6}  {l.CompiledId}");
            if (result.Reputation.MeasuredForListing(l.Address) is { Buyers: > 0 } measuredScore)
            {
                await output.WriteLineAsync("    " + measuredScore.Describe(l.Accuracy));
            }
        }

        await output.WriteLineAsync($"{ranked.Ranking.Count} listing(s); {rejected.Count} left out" + (rejected.Count > 0 && !showRejected ? " (--show-rejected to see why)" : string.Empty));
        if (ranked.Winner is not null || !view.FamilyGiven)
        {
            await output.WriteLineAsync(explanation);
        }

        if (showRejected)
        {
            foreach (var item in rejected)
            {
                await output.WriteLineAsync($"  left out {item.Display}: {item.Reason}");
            }
        }
    }

    public static async Task WritePublishAsync(TextWriter output, MarketPublishView view, bool json)
    {
        if (json)
        {
            await output.WriteAsync(JsonWriter.WriteReviewedFile(new JsonObject()
                .Add("listing_id", view.ListingId).Add("compiled_id", view.CompiledId).Add("price_msat", view.PriceMsat).Add("naddr", view.Naddr).Add("relays", RelayAnswersJson(view.Relays))));
            return;
        }

        await output.WriteLineAsync($"listing {view.ListingId} ({(view.PriceMsat == 0 ? "free" : view.PriceMsat.ToString(CultureInfo.InvariantCulture) + " msat")})");
        await output.WriteLineAsync("naddr " + view.Naddr);
        await WriteRelayAnswersAsync(output, view.Relays);
    }

    /// <summary>Each relay's answer to a publish as JSON: relay, accepted, message.</summary>
    public static JsonArray RelayAnswersJson(IReadOnlyList<PublishResult> results)
    {
        var answers = new JsonArray();
        foreach (var result in results)
        {
            answers.Add(new JsonObject().Add("relay", result.Relay.AbsoluteUri).Add("accepted", result.Success).Add("message", result.Message ?? ""));
        }

        return answers;
    }

    /// <summary>One line per relay: OK or refused, and the relay's own words (untrusted, so neutralised).</summary>
    public static async Task WriteRelayAnswersAsync(TextWriter output, IReadOnlyList<PublishResult> results)
    {
        foreach (var result in results)
        {
            await output.WriteLineAsync($"  {result.Relay}: {(result.Success ? "OK" : "refused")} {UntrustedText.Neutralise(result.Message)}".TrimEnd());
        }
    }

    public static async Task WriteBuyAsync(TextWriter output, Listing listing, AcquiredManifest acquired, bool json)
    {
        if (json)
        {
            await output.WriteAsync(JsonWriter.WriteFile(MarketBuyJson(listing, acquired)));
            return;
        }

        var how = acquired.Source switch
        {
            AcquireSource.Cache => "already in the cache; nothing paid",
            AcquireSource.FreeListing => "free; nothing paid",
            AcquireSource.Receipt => "downloaded with a stored receipt; nothing paid",
            _ when acquired.PricePaidMsat == 0 => "paid earlier; delivered now",
            _ => $"paid {acquired.PricePaidMsat} msat (fee {acquired.FeePaidMsat ?? 0} msat), payment {acquired.PaymentHash}",
        };
        await output.WriteLineAsync($"{UntrustedText.Neutralise(listing.SignatureName, 64)} {acquired.CompiledId}: {how}");
        await output.WriteLineAsync("verified and cached at " + acquired.CachePath);
    }

    /// <summary>A listing left out, named as the table names listings: by compiled_id when it parsed, else by event and seller.</summary>
    internal sealed record MarketLeftOutListing(string EventId, string? CompiledId, string? SignatureName, string SellerPubKey, string Reason)
    {
        public string Display => CompiledId is not null
            ? $"{SignatureName} {CompiledId} from {MarketSeller(SellerPubKey)}"
            : $"event {(EventId.Length >= 12 ? EventId[..12] : EventId)} from {(Hex.IsLowerHex(SellerPubKey, 32) ? MarketSeller(SellerPubKey) : "?")}";
    }

    /// <summary>The selector's explanation with the winner's seller shown as npub, as everywhere on screen.</summary>
    internal static string MarketExplanation(SelectionResult ranked) =>
        ranked.Winner is { } w ? ranked.Explanation.Replace("from seller " + w.SellerPubKey[..12], "from seller " + MarketSeller(w.SellerPubKey), StringComparison.Ordinal) : ranked.Explanation;

    internal static JsonObject MarketBuyJson(Listing listing, AcquiredManifest acquired)
    {
        var o = new JsonObject()
            .Add("compiled_id", acquired.CompiledId)
            .Add("signature_name", listing.SignatureName)
            .Add("seller", listing.SellerPubKey)
            .Add("npub", Nip19.EncodeNpub(listing.SellerPubKey))
            .Add("source", acquired.Source switch { AcquireSource.Cache => "cache", AcquireSource.FreeListing => "free", AcquireSource.Receipt => "receipt", _ => "purchase" })
            .Add("price_paid_msat", acquired.PricePaidMsat);
        if (acquired.FeePaidMsat is { } fee)
        {
            o.Add("fee_paid_msat", fee);
        }

        if (acquired.PaymentHash is { } hash)
        {
            o.Add("payment_hash", hash);
        }

        return o.Add("cache_path", acquired.CachePath);
    }

    internal static string MarketSearchJson(SelectionResult ranked, SearchResult result, IReadOnlyList<MarketLeftOutListing> leftOut, string explanation)
    {
        var listings = new JsonArray();
        foreach (var item in ranked.Ranking)
        {
            var l = item.Listing;
            var o = new JsonObject()
                .Add("compiled_id", l.CompiledId)
                .Add("signature_name", l.SignatureName)
                .Add("family", l.Family)
                .Add("domains", JsonArray.OfStrings(l.Domains))
                .Add("seller", l.SellerPubKey)
                .Add("npub", Nip19.EncodeNpub(l.SellerPubKey))
                .Add("price_msat", l.PriceMsat)
                .Add("created_at", l.CreatedAt)
                .Add("event_id", l.Event.Id)
                .Add("address", l.Address)
                .Add("reputation", MarketScoreJson(result.Reputation.ForListing(l.Address)))
                .Add("measured", MeasuredJson(result.Reputation.MeasuredForListing(l.Address)));
            if (l.Accuracy is { } a)
            {
                o.Add("accuracy", a);
            }

            if (l.ExampleCount is { } n)
            {
                o.Add("examples", n);
            }

            listings.Add(o);
        }

        var rejected = new JsonArray(leftOut.Select(x => (JsonValue)MarketLeftOutJson(x)));
        var relays = new JsonArray(result.Relays.Select(x => (JsonValue)new JsonObject().Add("relay", x.Relay.AbsoluteUri).Add("ok", x.Succeeded).Add("accepted", x.Accepted).Add("invalid", x.Invalid)));
        return JsonWriter.WriteReviewedFile(new JsonObject().Add("listings", listings).Add("rejected", rejected).Add("relays", relays).Add("explanation", explanation));
    }

    internal static JsonObject MarketLeftOutJson(MarketLeftOutListing x)
    {
        var o = new JsonObject().Add("event_id", x.EventId);
        if (x.CompiledId is not null)
        {
            o.Add("compiled_id", x.CompiledId).Add("signature_name", x.SignatureName!);
        }

        o.Add("seller", x.SellerPubKey);
        if (Hex.IsLowerHex(x.SellerPubKey, 32))
        {
            o.Add("npub", Nip19.EncodeNpub(x.SellerPubKey));
        }

        return o.Add("reason", x.Reason);
    }

    /// <summary>A seller as shown on screen: its npub, clipped to the table's column.</summary>
    internal static string MarketSeller(string pubKeyHex) => MarketClip(Nip19.EncodeNpub(pubKeyHex), 20);

    internal static JsonObject MarketScoreJson(ReputationScore score)
    {
        var o = new JsonObject().Add("verified", score.VerifiedCount).Add("unverified", score.UnverifiedCount).Add("fraud_reports", score.FraudReports);
        if (score.VerifiedMean is { } v)
        {
            o.Add("verified_mean", v);
        }

        if (score.UnverifiedMean is { } u)
        {
            o.Add("unverified_mean", u);
        }

        return o;
    }

    internal static JsonObject MeasuredJson(MeasuredScore m)
    {
        var o = new JsonObject().Add("buyers", m.Buyers).Add("examples", m.Examples);
        if (m.Mean is { } mean)
        {
            o.Add("mean", mean).Add("half_width95", m.HalfWidth95!.Value).Add("lowest", m.Lowest!.Value).Add("highest", m.Highest!.Value);
        }

        return o;
    }

    internal static string MarketScoreText(ReputationScore s) =>
        $"{s.VerifiedCount} verified review(s){(s.VerifiedMean is { } v ? $", mean {v.ToString("0.0", CultureInfo.InvariantCulture)}" : string.Empty)}" +
        $"; {s.UnverifiedCount} unverified{(s.UnverifiedMean is { } u ? $" (mean {u.ToString("0.0", CultureInfo.InvariantCulture)})" : string.Empty)}" +
        (s.FraudReports > 0 ? $"; {s.FraudReports} proven fraud report(s)" : string.Empty);

    internal static string MarketClip(string text, int width) => text.Length <= width ? text : text[..(width - 1)] + "…";

    internal static string MarketAge(long createdAt)
    {
        var age = DateTimeOffset.UtcNow - DateTimeOffset.FromUnixTimeSeconds(createdAt);
        return age.TotalDays >= 1 ? $"{(int)age.TotalDays}d" : age.TotalHours >= 1 ? $"{(int)age.TotalHours}h" : $"{Math.Max(0, (int)age.TotalMinutes)}m";
    }
}
