using System.Security.Cryptography;
using System.Text;
using ManifestBuild.Format;
using ManifestBuild.Format.Caching;
using ManifestBuild.Format.Json;
using ManifestBuild.Lightning.Payments;
using ManifestBuild.Market.L402;
using ManifestBuild.Market.Listings;

namespace ManifestBuild.Market.Buying;

/// <summary>
/// Gets the whole manifest of one listing, cheapest way first: the cache (no network), a free
/// listing's content, a stored receipt (download again, never pay), then the §4 purchase through
/// the payment guard. Whatever arrives is checked against the compiled_id before it is cached;
/// paid content that does not match is refused and recorded as fraud.
/// </summary>
internal sealed class ManifestAcquirer
{
    private readonly AcquireOptions options;
    private readonly ManifestCache cache;
    private readonly ReceiptStore receipts;
    private readonly L402HttpClient l402;

    public ManifestAcquirer(HttpClient http, AcquireOptions options)
    {
        this.options = options;
        cache = new ManifestCache(options.Home);
        receipts = new ReceiptStore(options.Home);
        l402 = new L402HttpClient(http, options.HttpTimeout);
    }

    public async Task<AcquiredManifest> AcquireAsync(Listing listing, CancellationToken cancellationToken)
    {
        if (TryFromCache(listing.CompiledId) is { } cached)
        {
            return cached;
        }

        if (listing.IsFree)
        {
            // The parser already recomputed the id of a free listing's content; check again, then cache.
            var text = JsonWriter.Write(listing.Content, false);
            return Store(listing.CompiledId, text, AcquireSource.FreeListing, null, 0, null);
        }

        var url = listing.L402Url ?? throw new DsrsException(MarketErrorCodes.SellerProtocolViolation, "a paid listing without an l402 URL");
        if (FindReceipt(listing.CompiledId) is { } receipt)
        {
            return await DownloadWithReceiptAsync(listing.CompiledId, receipt, url, cancellationToken).ConfigureAwait(false);
        }

        if (!options.AllowPay)
        {
            throw new DsrsException(MarketErrorCodes.PaymentNotAllowed, $"manifest {listing.CompiledId} costs {listing.PriceMsat} msat, there is no receipt for it, and paying is not allowed here (locked mode)");
        }

        var node = options.Node ?? throw new DsrsException(MarketErrorCodes.PaymentNotAllowed, $"manifest {listing.CompiledId} costs {listing.PriceMsat} msat and no Lightning node is configured (DSRS_NODE or --node)");
        return await PurchaseAsync(listing, url, node, cancellationToken).ConfigureAwait(false);
    }

    public AcquiredManifest? TryFromCache(string compiledId)
    {
        var lookup = cache.Lookup(compiledId);
        return lookup.Status == CacheLookupStatus.Hit
            ? new AcquiredManifest { CompiledId = compiledId, Manifest = lookup.Manifest!, Text = lookup.Text!, Source = AcquireSource.Cache, CachePath = cache.GetPath(compiledId) }
            : null;
    }

    public Receipt? FindReceipt(string compiledId) =>
        receipts.Find(compiledId) ?? options.ExtraReceipts.FirstOrDefault(r => r.CompiledId == compiledId);

    public async Task<AcquiredManifest> DownloadWithReceiptAsync(string compiledId, Receipt receipt, Uri url, CancellationToken cancellationToken)
    {
        var credential = L402Credential.From(receipt.Token, receipt.PreimageHex);
        var response = await l402.RequestAsync(url, credential, cancellationToken).ConfigureAwait(false);
        var text = response.Content!;
        var mismatch = Mismatch(compiledId, text);
        if (mismatch is not null)
        {
            throw new DsrsException(MarketErrorCodes.ContentMismatch, $"the seller delivered content that is not manifest {compiledId} for a stored receipt ({mismatch}); nothing was paid");
        }

        return Store(compiledId, text, AcquireSource.Receipt, receipt.PaymentHash, 0, null);
    }

    private async Task<AcquiredManifest> PurchaseAsync(Listing listing, Uri url, Lightning.Nodes.ILightningNode node, CancellationToken cancellationToken)
    {
        var first = await l402.RequestAsync(url, null, cancellationToken).ConfigureAwait(false);
        if (first.Content is { } free)
        {
            // The seller gave it away: accept only what hashes to the listing's id.
            var why = Mismatch(listing.CompiledId, free);
            return why is null
                ? Store(listing.CompiledId, free, AcquireSource.FreeListing, null, 0, null)
                : throw new DsrsException(MarketErrorCodes.SellerProtocolViolation, $"the seller answered 200 without payment with content that is not manifest {listing.CompiledId} ({why})");
        }

        var challenge = first.Challenge!;
        var network = options.Network ?? (await node.GetInfoAsync(cancellationToken).ConfigureAwait(false)).Network;
        var guard = new PaymentGuard(node, PurchaseLedger.ForHome(options.Home), options.GuardOptions);
        var paid = await guard.PayAsync(
            new PurchaseRequest
            {
                CompiledId = listing.CompiledId,
                PriceMsat = listing.PriceMsat,
                ListingNodeId = listing.NodeIdHex!,
                ExpectedNetwork = network,
                MaxPriceMsat = options.ItemMaxPriceMsat,
                Budget = options.BuildBudget,
                Token = challenge.Token,
                Bolt11 = challenge.Invoice,
                MaxFeeMsat = options.MaxFeeMsat,
                Seller = listing.SellerPubKey,
            },
            cancellationToken).ConfigureAwait(false);

        // Durable before the download: if the seller or the network fails now, the receipt survives.
        var receipt = new Receipt(listing.CompiledId, paid.Token, paid.Preimage, paid.PaymentHash, url);
        receipts.Save(receipt);

        var response = await l402.RequestAsync(url, L402Credential.From(paid.Token, paid.Preimage), cancellationToken).ConfigureAwait(false);
        var text = response.Content!;
        var mismatch = Mismatch(listing.CompiledId, text);
        if (mismatch is not null)
        {
            var delivered = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text))).ToLowerInvariant();
            await PurchaseLedger.ForHome(options.Home).MarkFraudAsync(paid.PaymentHash, $"delivered content sha256 {delivered} is not manifest {listing.CompiledId}: {mismatch}", cancellationToken).ConfigureAwait(false);
            throw new ContentMismatchException(new FraudEvidence(listing.CompiledId, listing.SellerPubKey, paid.PaymentHash, paid.Bolt11, paid.Preimage, delivered, mismatch));
        }

        var result = Store(listing.CompiledId, text, AcquireSource.Purchase, paid.PaymentHash, paid.AlreadyPaid ? 0 : paid.AmountMsat, paid.AlreadyPaid ? null : paid.FeeMsat);
        await PurchaseLedger.ForHome(options.Home).MarkDeliveredAsync(paid.PaymentHash, cancellationToken).ConfigureAwait(false);
        return result;
    }

    /// <summary>Null when the text is the manifest with this id; else what is wrong with it.</summary>
    internal static string? Mismatch(string compiledId, string text)
    {
        JsonValue parsed;
        try
        {
            parsed = JsonParser.Parse(text);
        }
        catch (DsrsException e)
        {
            return "not JSON: " + e.Message;
        }

        if (parsed is not JsonObject manifest)
        {
            return "not a JSON object";
        }

        var computed = CompiledId.Compute(manifest);
        if (computed != compiledId)
        {
            return $"it hashes to {computed}";
        }

        return manifest.GetString(CompiledId.MemberName) == compiledId ? null : "its stated compiled_id differs";
    }

    private AcquiredManifest Store(string compiledId, string text, AcquireSource source, string? paymentHash, long paidMsat, long? feeMsat)
    {
        var mismatch = Mismatch(compiledId, text);
        if (mismatch is not null)
        {
            throw new DsrsException(MarketErrorCodes.ContentMismatch, $"content for {compiledId} does not match ({mismatch})");
        }

        var path = cache.PutText(text);
        return new AcquiredManifest
        {
            CompiledId = compiledId,
            Manifest = Manifest.Parse(text),
            Text = text,
            Source = source,
            PaymentHash = paymentHash,
            PricePaidMsat = paidMsat,
            FeePaidMsat = feeMsat,
            CachePath = path,
        };
    }
}
