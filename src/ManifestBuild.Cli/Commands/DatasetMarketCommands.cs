using System.CommandLine;
using ManifestBuild.Cli.Presenters;
using ManifestBuild.Format;
using ManifestBuild.Format.Datasets;
using ManifestBuild.Format.Json;
using ManifestBuild.Lightning.Nodes;
using ManifestBuild.Market;
using ManifestBuild.Market.Buying;
using ManifestBuild.Market.Listings;
using ManifestBuild.Market.Redaction;
using ManifestBuild.Nostr;

using static ManifestBuild.Cli.Presenters.MarketPresenter;

namespace ManifestBuild.Cli;

/// <summary>
/// Datasets through the market verbs: `dsrs publish` of a dsrs.dataset/1 file, `dsrs search --datasets`,
/// `dsrs buy --dataset`. The verbs' own code hands over here; the refusals, the catalog's price, the
/// confirmation and the payment guard are the manifests'.
/// </summary>
internal static partial class MarketCommands
{
    /// <summary>True when the file is a dsrs.dataset/1 document (then `dsrs publish` lists a dataset).</summary>
    private static bool DatasetIsDatasetFile(string path) => Dataset.IsDataset(JsonParser.Parse(Manifest.ReadText(path)));

    private sealed record DatasetPublishRequest(string File, long? Price, Uri? L402, string? Catalog, string? NodeId, bool AllowUnredacted, bool Json, RedactionPolicy Policy, IReadOnlyList<Uri> Relays);

    private static async Task<int> DatasetPublishAsync(CliContext context, DatasetPublishRequest request, CancellationToken ct)
    {
        var dataset = Dataset.Load(request.File);
        var id = dataset.VerifyId();

        // The scanner sees the examples too: a paid listing never shows them, but the buyer gets them.
        var findings = SecretScanner.Scan(dataset.Json, request.Policy);
        if (findings.Count > 0 && !request.AllowUnredacted)
        {
            throw new DsrsException(MarketErrorCodes.SecretsFound, "the secret scanner finds " + SecretScanner.Describe(findings) + "; run `dsrs redact` first, or pass --allow-unredacted");
        }

        var priceMsat = request.Price ?? 0;
        if (request.L402 is not null)
        {
            var folder = request.Catalog ?? Path.GetDirectoryName(Path.GetFullPath(request.File))!;
            priceMsat = ManifestBuild.Seller.ManifestCatalog.Load(folder).ForListing(id, request.Price).PriceMsat;
        }

        var node = request.NodeId;
        if (priceMsat > 0 && string.IsNullOrEmpty(node))
        {
            await using var configured = LightningNodeFactory.CreateConfigured(context.Env, context.Home);
            node = (await configured.GetInfoAsync(ct)).NodeIdHex;
        }

        var key = NostrKeyStore.Load(context.Home);
        var listing = DatasetListingBuilder.BuildSigned(dataset, new ListingOptions
        {
            PriceMsat = priceMsat,
            L402Url = request.L402,
            NodeIdHex = node,
        }, key);
        var results = await new MarketClient().PublishAsync(listing, request.Relays, TimeSpan.FromSeconds(15), ct);
        var naddr = Nip19.EncodeNaddr(listing.DTag, key.PublicKeyHex, NostrKinds.HandlerInformation, results.Where(x => x.Success).Select(x => x.Relay.AbsoluteUri));
        await DatasetPresenter.WritePublishAsync(context.Out, listing.Id, id, priceMsat, naddr, results, request.Json);
        return results.Any(x => x.Success) ? 0 : throw new DsrsException(MarketErrorCodes.PublishFailed, "no relay accepted the listing");
    }

    private static async Task<int> DatasetSearchAsync(CliContext context, DatasetQuery query, IReadOnlyList<Uri> relays, bool json, bool showRejected, CancellationToken ct)
    {
        var client = new MarketClient();
        var result = await client.SearchDatasetsAsync(query, relays, TimeSpan.FromSeconds(10), ct);
        if (result.Relays.Count > 0 && result.Relays.All(x => !x.Succeeded) && result.Listings.Count == 0)
        {
            throw new DsrsException(NostrErrorCodes.RelayConnectFailed, "no relay answered: " + string.Join("; ", result.Relays.Select(x => x.ToString())));
        }

        var selection = client.SelectDataset(result.Listings);
        var ranked = result.Listings.OrderByDescending(l => l.ExampleCount).ThenBy(l => l.PriceMsat).ThenByDescending(l => l.CreatedAt).ThenBy(l => l.DatasetId, StringComparer.Ordinal).ToList();
        await DatasetPresenter.WriteSearchAsync(context.Out, new DatasetSearchView(ranked, selection.Winner, selection.Explanation, result.Rejected), json, showRejected);
        return 0;
    }

    private sealed record DatasetBuyRequest(string Target, long? MaxPrice, long? MaxFee, string? Node, bool Yes, bool Json, IReadOnlyList<Uri> Relays);

    private static async Task<int> DatasetBuyAsync(CliContext context, DatasetBuyRequest request, CancellationToken ct)
    {
        var client = new MarketClient();
        var listing = await DatasetFindAsync(client, request.Target, request.Relays, ct);
        var cap = request.MaxPrice ?? DefaultBuyMaxPriceMsat;
        var options = new AcquireOptions { Home = context.Home, ItemMaxPriceMsat = cap, MaxFeeMsat = request.MaxFee, ExtraReceipts = MarketEnvironmentReceipts(context), AllowPay = false };
        AcquiredDataset acquired;
        try
        {
            acquired = await client.AcquireDatasetAsync(listing, options, ct);
        }
        catch (DsrsException e) when (e.Code == MarketErrorCodes.PaymentNotAllowed)
        {
            await MarketConfirmPaymentAsync(context, listing.AsOffer(), cap, request.MaxPrice is not null, request.Yes, ct);
            var connection = request.Node is { } conn ? NodeConnectionString.Parse(conn) : NodeConnectionString.TryResolve(context.Env, context.Home);
            await using var lightning = connection is null ? null : LightningNodeFactory.Create(connection, context.Home);
            acquired = await client.AcquireDatasetAsync(listing, options with { AllowPay = true, Node = lightning }, ct);
        }

        await DatasetPresenter.WriteBuyAsync(context.Out, listing, acquired, request.Json);
        return 0;
    }

    private static async Task<DatasetListing> DatasetFindAsync(MarketClient client, string target, IReadOnlyList<Uri> relays, CancellationToken ct)
    {
        var text = target.Trim();
        var query = new DatasetQuery { DatasetId = text };
        if (text.StartsWith("naddr1", StringComparison.Ordinal))
        {
            var address = Nip19.Decode(text) as Nip19Address ?? throw new DsrsException(MarketErrorCodes.ListingNotFound, "not an naddr");
            if (!address.Identifier.StartsWith(DatasetListing.DTagPrefix, StringComparison.Ordinal))
            {
                throw new DsrsException(MarketErrorCodes.ListingNotFound, "the address does not name a dsrs-dataset listing");
            }

            query = new DatasetQuery { DatasetId = address.Identifier[DatasetListing.DTagPrefix.Length..], Sellers = [address.PubKey] };
            relays = relays.Concat(address.Relays.Select(r => Nostr.Relays.RelayUrl.TryParse(r, out var u, out _) ? u : null).OfType<Uri>()).Distinct().ToList();
        }
        else if (!CompiledId.IsWellFormed(text))
        {
            throw new DsrsException(MarketErrorCodes.ListingNotFound, "name the dataset listing by its naddr1... address or its dataset_id (64 lowercase hex)");
        }

        var found = await client.SearchDatasetsAsync(query, relays, TimeSpan.FromSeconds(10), ct);
        return client.SelectDataset(found.Listings).Winner
            ?? throw new DsrsException(MarketErrorCodes.ListingNotFound, $"no relay returned a valid dataset listing for {text}" + (found.Rejected.Count > 0 ? ": " + string.Join("; ", found.Rejected.Select(x => x.Reason)) : string.Empty));
    }
}
