using System.Globalization;
using ManifestBuild.Format;
using ManifestBuild.Format.Datasets;
using ManifestBuild.Format.Json;
using ManifestBuild.Market;
using ManifestBuild.Market.Buying;
using ManifestBuild.Market.Listings;
using ManifestBuild.Market.Redaction;
using ManifestBuild.Nostr;
using ManifestBuild.Nostr.Relays;

using static ManifestBuild.Cli.Presenters.MarketPresenter;

namespace ManifestBuild.Cli.Presenters;

/// <summary>What `dsrs search --datasets` found, ranked, with the selector's choice and what was left out.</summary>
internal sealed record DatasetSearchView(IReadOnlyList<DatasetListing> Ranked, DatasetListing? Selected, string Explanation, IReadOnlyList<RejectedListing> Rejected);

/// <summary>
/// How the dataset verbs (`dsrs dataset ...`, and `publish` / `search --datasets` / `buy --dataset`)
/// show what they did; the commands decide, read and write, and hand the outcome here.
/// </summary>
internal static class DatasetPresenter
{
    public static async Task WriteImportedAsync(TextWriter output, Dataset imported, string path)
    {
        await output.WriteLineAsync($"{imported.StatedId} {imported.Family}: {imported.ExampleCount} example(s), inputs [{Fields(imported.Inputs)}], outputs [{Fields(imported.Outputs)}]");
        await output.WriteLineAsync("wrote " + path);
    }

    /// <summary>The Python line that loads the exported list as DSPy examples with their inputs marked.</summary>
    public static Task WriteDspyLoadHintAsync(TextWriter output, IEnumerable<string> inputNames, string path) =>
        output.WriteLineAsync($"load with: [dspy.Example(**d).with_inputs({string.Join(", ", inputNames.Select(n => "\"" + n + "\""))}) for d in json.load(open(\"{Path.GetFileName(path)}\"))]");

    public static async Task WriteNoisedAsync(TextWriter output, IReadOnlyList<NoiseSpec> specs, Dataset before, Dataset noised, string path)
    {
        foreach (var spec in specs)
        {
            await output.WriteLineAsync($"{spec.Field}: Laplace noise, scale {spec.Sensitivity / spec.Epsilon:G4} (epsilon {spec.Epsilon:G4}, sensitivity {spec.Sensitivity:G4})");
        }

        await output.WriteLineAsync($"dataset_id {before.StatedId ?? "(none)"} -> {noised.StatedId}; wrote {path}");
    }

    public static Task WriteFilteredAsync(TextWriter output, Dataset kept, int removed, string path) =>
        output.WriteLineAsync($"kept {kept.ExampleCount} public example(s), removed {removed}; dataset_id -> {kept.StatedId}; wrote {path}");

    public static async Task WritePublishAsync(TextWriter output, string listingId, string datasetId, long priceMsat, string naddr, IReadOnlyList<PublishResult> relays, bool json)
    {
        if (json)
        {
            await output.WriteAsync(JsonWriter.WriteReviewedFile(new JsonObject()
                .Add("listing_id", listingId).Add("dataset_id", datasetId).Add("price_msat", priceMsat).Add("naddr", naddr).Add("relays", RelayAnswersJson(relays))));
            return;
        }

        await output.WriteLineAsync($"dataset listing {listingId} ({(priceMsat == 0 ? "free, examples included" : priceMsat.ToString(CultureInfo.InvariantCulture) + " msat, description and schema only")})");
        await output.WriteLineAsync("naddr " + naddr);
        await WriteRelayAnswersAsync(output, relays);
    }

    public static async Task WriteSearchAsync(TextWriter output, DatasetSearchView view, bool json, bool showRejected)
    {
        if (json)
        {
            var listings = new JsonArray();
            foreach (var l in view.Ranked)
            {
                listings.Add(new JsonObject()
                    .Add("dataset_id", l.DatasetId).Add("family", l.Family).Add("domains", JsonArray.OfStrings(l.Domains))
                    .Add("examples", l.ExampleCount).Add("price_msat", l.PriceMsat).Add("seller", l.SellerPubKey).Add("npub", Nip19.EncodeNpub(l.SellerPubKey))
                    .Add("description", UntrustedText.Neutralise(l.Description, 300)).Add("created_at", l.CreatedAt));
            }

            var rejected = new JsonArray();
            foreach (var x in view.Rejected)
            {
                rejected.Add(new JsonObject().Add("event_id", x.EventId).Add("seller", x.PubKey).Add("reason", x.Reason));
            }

            await output.WriteAsync(JsonWriter.WriteReviewedFile(new JsonObject()
                .Add("datasets", listings).Add("selected", view.Selected?.DatasetId is { } w ? new JsonString(w) : JsonNull.Instance)
                .Add("explanation", view.Explanation).Add("rejected", rejected)));
            return;
        }

        await output.WriteLineAsync($"{"FAMILY",-16} {"SELLER",-20} {"EXAMPLES",8} {"PRICE msat",10}  DATASET_ID");
        foreach (var l in view.Ranked)
        {
            await output.WriteLineAsync($"{MarketClip(UntrustedText.Neutralise(l.Family, 32), 16),-16} {MarketSeller(l.SellerPubKey),-20} {l.ExampleCount,8} {(l.IsFree ? "free" : l.PriceMsat.ToString(CultureInfo.InvariantCulture)),10}  {l.DatasetId}");
        }

        await output.WriteLineAsync($"{view.Ranked.Count} dataset listing(s); {view.Rejected.Count} left out");
        await output.WriteLineAsync(view.Explanation);
        if (showRejected)
        {
            foreach (var x in view.Rejected)
            {
                await output.WriteLineAsync($"  left out event {(x.EventId.Length >= 12 ? x.EventId[..12] : x.EventId)}: {x.Reason}");
            }
        }
    }

    public static async Task WriteBuyAsync(TextWriter output, DatasetListing listing, AcquiredDataset acquired, bool json)
    {
        var source = acquired.Source switch { AcquireSource.Cache => "cache", AcquireSource.FreeListing => "free", AcquireSource.Receipt => "receipt", _ => "purchase" };
        if (json)
        {
            await output.WriteAsync(JsonWriter.WriteFile(new JsonObject()
                .Add("dataset_id", acquired.DatasetId).Add("family", listing.Family).Add("examples", acquired.Dataset.ExampleCount)
                .Add("seller", listing.SellerPubKey).Add("source", source).Add("price_paid_msat", acquired.PricePaidMsat)
                .Add("payment_hash", acquired.PaymentHash is { } h ? new JsonString(h) : JsonNull.Instance).Add("cache_path", acquired.CachePath)));
            return;
        }

        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"dataset {acquired.DatasetId} ({acquired.Dataset.ExampleCount} examples) from {source}{(acquired.PricePaidMsat > 0 ? $", paid {acquired.PricePaidMsat} msat" : "; nothing paid")}"));
        await output.WriteLineAsync("cached at " + acquired.CachePath);
    }

    private static string Fields(IEnumerable<ManifestField> fields) => string.Join(", ", fields.Select(f => f.Name + ":" + f.Type));
}
