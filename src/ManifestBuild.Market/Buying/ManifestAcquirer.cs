using System.Diagnostics.CodeAnalysis;
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
/// listing's content, a receipt issued by this listing's seller (download again, never pay), a
/// receipt paid to another seller (delivered from that seller, never paid twice), then the §4
/// purchase through the payment guard, refused for a blocked seller. Whatever arrives is checked
/// against the compiled_id before it is cached; a seller paid who then delivers content that does not
/// hash, refuses its own credential, or delivers nothing within the retry policy is recorded as a
/// fraud, which blocks the seller for every later purchase.
/// </summary>
internal sealed class ManifestAcquirer
{
    private readonly AcquireOptions options;
    private readonly AssetKind kind;
    private readonly ReceiptStore receipts;
    private readonly L402HttpClient l402;
    private readonly HttpClient http;

    /// <param name="kind">What is bought (a manifest when null): how delivered text is checked and cached.</param>
    public ManifestAcquirer(HttpClient http, AcquireOptions options, AssetKind? kind = null)
    {
        this.options = options;
        this.kind = kind ?? AssetKind.Manifest(options.Home);
        receipts = new ReceiptStore(options.Home);
        l402 = new L402HttpClient(http, options.HttpTimeout);
        this.http = http;
    }

    private PurchaseLedger Ledger => PurchaseLedger.ForHome(options.Home);

    public async Task<AcquiredContent> AcquireAsync(Listing listing, CancellationToken cancellationToken)
    {
        if (TryFromCache(listing.CompiledId) is { } cached)
        {
            return cached;
        }

        if (listing.IsFree)
        {
            // The listing's content is the whole manifest: it enters here, verified once, then cached.
            var text = JsonWriter.Write(listing.Content, false);
            return kind.TryVerify(listing.CompiledId, text, out var free, out var mismatch)
                ? Store(free, AcquireSource.FreeListing, null, 0, null)
                : throw new DsrsException(MarketErrorCodes.ContentMismatch, $"content for {listing.CompiledId} does not match ({mismatch})");
        }

        var url = listing.L402Url ?? throw new DsrsException(MarketErrorCodes.SellerProtocolViolation, "a paid listing without an l402 URL");
        if (receipts.FindFor(listing, options.ExtraReceipts) is { } receipt)
        {
            return await DownloadWithReceiptAsync(listing.CompiledId, receipt, url, cancellationToken).ConfigureAwait(false);
        }

        if (await FromOtherIssuerAsync(listing, cancellationToken).ConfigureAwait(false) is { } elsewhere)
        {
            return elsewhere;
        }

        // A version of a line this home subscribes to: downloaded with the subscription (or renewed through the guard).
        if (listing.Line is not null && await new SubscriptionAcquirer(http, options).TryVersionAsync(listing, this, cancellationToken).ConfigureAwait(false) is { } subscribed)
        {
            return subscribed;
        }

        if (!options.AllowPay)
        {
            throw new DsrsException(MarketErrorCodes.PaymentNotAllowed, $"{kind.Noun} {listing.CompiledId} costs {listing.PriceMsat} msat, there is no receipt for it from this seller, and paying is not allowed here (locked mode)");
        }

        if (SellerStanding.ForHome(options.Home).Load(options.BlockedSellers).Find(listing.SellerPubKey) is { } blocked)
        {
            throw new DsrsException(MarketErrorCodes.SellerBlocked, $"{kind.Noun} {listing.CompiledId} is not bought: {blocked.Describe()}; nothing was paid");
        }

        var node = options.Node ?? throw new DsrsException(MarketErrorCodes.PaymentNotAllowed, $"{kind.Noun} {listing.CompiledId} costs {listing.PriceMsat} msat and no Lightning node is configured (DSRS_NODE or --node)");
        return await PurchaseAsync(listing, url, node, cancellationToken).ConfigureAwait(false);
    }

    public AcquiredContent? TryFromCache(string compiledId)
    {
        var cached = kind.TryCached(compiledId);
        return cached is { } hit
            ? new AcquiredContent { CompiledId = compiledId, Text = hit.Text, Verified = hit.Verified, Source = AcquireSource.Cache, CachePath = hit.Path }
            : null;
    }

    /// <summary>Locked mode without a listing: a presentable receipt that remembers the URL it was bought at (its issuer).</summary>
    public Receipt? FindReceiptWithUrl(string compiledId) => receipts.FindWithUrl(compiledId, options.ExtraReceipts);

    /// <summary>
    /// Presents a receipt to the endpoint that issued it and takes what hashes to the id. A refusal marks
    /// the receipt refused (kept, not presented again) and, for a payment this home made and never got
    /// delivered, records the seller's fraud; a seller that is unreachable or fails is tried again by a
    /// later build with the same receipt.
    /// </summary>
    public async Task<AcquiredContent> DownloadWithReceiptAsync(string compiledId, Receipt receipt, Uri url, CancellationToken cancellationToken)
    {
        var credential = L402Credential.From(receipt.Token, receipt.PreimageHex);
        L402Response response;
        try
        {
            response = await l402.RequestAsync(url, credential, cancellationToken).ConfigureAwait(false);
        }
        catch (DsrsException e) when (e.Code == MarketErrorCodes.ReceiptRefused)
        {
            receipts.MarkRefused(receipt, e.Message);
            var record = Ledger.Find(receipt.PaymentHash);
            if (record is { IsPaidUndelivered: true, Fraud: false })
            {
                await Ledger.MarkUndeliveredAsync(record.PaymentHash, "the seller refused its own credential after a settled payment: " + e.Message, cancellationToken).ConfigureAwait(false);
            }

            throw new DsrsException(MarketErrorCodes.ReceiptRefused, $"{e.Message}; the receipt for {compiledId} (payment {receipt.PaymentHash}) is kept in {receipts.Directory} but will not be presented again", e);
        }

        var text = response.Content!;
        if (!kind.TryVerify(compiledId, text, out var verified, out var mismatch))
        {
            receipts.MarkRefused(receipt, "delivered content that is not the manifest: " + mismatch);
            if (Ledger.Find(receipt.PaymentHash) is { IsPaidUndelivered: true } record)
            {
                await Ledger.MarkFraudAsync(record.PaymentHash, $"delivered content sha256 {Sha256(text)} is not {kind.Noun} {compiledId}: {mismatch}", cancellationToken).ConfigureAwait(false);
            }

            throw new DsrsException(MarketErrorCodes.ContentMismatch, $"the seller delivered content that is not {kind.Noun} {compiledId} for a stored receipt ({mismatch}); nothing more was paid, and the receipt will not be presented again");
        }

        var result = Store(verified, AcquireSource.Receipt, receipt.PaymentHash, 0, null);
        if (Ledger.Find(receipt.PaymentHash) is { IsPaidUndelivered: true } paid)
        {
            await Ledger.MarkDeliveredAsync(paid.PaymentHash, cancellationToken).ConfigureAwait(false);
        }

        return result;
    }

    /// <summary>
    /// A receipt for this manifest paid to another seller: delivered from that seller's own endpoint
    /// (its credential never goes to this listing). When that fails, this seller is not paid while the
    /// other payment can still be delivered: one manifest is paid once, unless the first was a fraud.
    /// </summary>
    private async Task<AcquiredContent?> FromOtherIssuerAsync(Listing listing, CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        foreach (var other in receipts.FindElsewhere(listing, options.ExtraReceipts))
        {
            if (other.Url is null)
            {
                problems.Add($"{other.IssuerText}: the receipt does not say where it was bought");
                continue;
            }

            try
            {
                return await DownloadWithReceiptAsync(listing.CompiledId, other, other.Url, cancellationToken).ConfigureAwait(false);
            }
            catch (DsrsException e) when (e.Code is MarketErrorCodes.ReceiptRefused or MarketErrorCodes.ContentMismatch)
            {
                // That receipt is dead now (kept, marked refused): it no longer stands in the way of a purchase.
            }
            catch (DsrsException e)
            {
                problems.Add($"{other.IssuerText}: {e}");
            }
        }

        return problems.Count > 0 && options.AllowPay
            ? throw new DsrsException(MarketErrorCodes.PaidElsewhere, $"{kind.Noun} {listing.CompiledId} is already paid for through another seller's listing and could not be delivered from it now ({string.Join("; ", problems)}); this listing's seller is not paid for it a second time: a later build retries that delivery")
            : null;
    }

    private async Task<AcquiredContent> PurchaseAsync(Listing listing, Uri url, Lightning.Nodes.ILightningNode node, CancellationToken cancellationToken)
    {
        var terms = new L402PurchaseTerms(listing.CompiledId, listing.PriceMsat, listing.NodeIdHex!, listing.SellerPubKey, $"{kind.Noun} {listing.CompiledId}");
        var paid = await L402Purchase.PayAsync(l402, options, node, url, terms, cancellationToken).ConfigureAwait(false);

        // Durable before the download, bound to this seller: if the seller or the network fails now, the receipt survives.
        var receipt = Receipt.Issued(listing, paid.Token, paid.Preimage, paid.PaymentHash, url);
        receipts.Save(receipt);
        return await DeliverPaidAsync(listing, receipt, paid, url, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The download after a settled payment, under the retry policy; see <see cref="DeliveryRetry"/>.</summary>
    private async Task<AcquiredContent> DeliverPaidAsync(Listing listing, Receipt receipt, PaidPurchase paid, Uri url, CancellationToken cancellationToken)
    {
        var credential = L402Credential.From(paid.Token, paid.Preimage);
        var policy = options.Delivery;
        var delay = policy.Delay;
        string? failure = null;
        for (var attempt = 1; attempt <= Math.Max(1, policy.Attempts); attempt++)
        {
            if (attempt > 1)
            {
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                delay += delay;
            }

            L402Response response;
            try
            {
                response = await l402.RequestAsync(url, credential, cancellationToken).ConfigureAwait(false);
            }
            catch (DsrsException e) when (e.Code == MarketErrorCodes.ReceiptRefused)
            {
                // The seller refuses the credential it was just paid for: definitive, no retry.
                receipts.MarkRefused(receipt, e.Message);
                failure = "the seller refused its own credential after a settled payment: " + e.Message;
                break;
            }
            catch (DsrsException e) when (e.Code is MarketErrorCodes.SellerUnreachable or MarketErrorCodes.SellerProtocolViolation)
            {
                failure = e.Message;
                continue;
            }

            var text = response.Content!;
            if (!kind.TryVerify(listing.CompiledId, text, out var verified, out var mismatch))
            {
                var delivered = Sha256(text);
                await Ledger.MarkFraudAsync(paid.PaymentHash, $"delivered content sha256 {delivered} is not {kind.Noun} {listing.CompiledId}: {mismatch}", cancellationToken).ConfigureAwait(false);
                throw new ContentMismatchException(new FraudEvidence(listing.CompiledId, listing.SellerPubKey, paid.PaymentHash, paid.Bolt11, paid.Preimage, delivered, mismatch));
            }

            var result = Store(verified, AcquireSource.Purchase, paid.PaymentHash, paid.AlreadyPaid ? 0 : paid.AmountMsat, paid.AlreadyPaid ? null : paid.FeeMsat);
            await Ledger.MarkDeliveredAsync(paid.PaymentHash, cancellationToken).ConfigureAwait(false);
            return result;
        }

        if (Ledger.Find(paid.PaymentHash) is not { IsPaidUndelivered: true })
        {
            // Delivered once already (an earlier run): a failed re-download is not a non-delivery.
            throw new DsrsException(MarketErrorCodes.ReceiptRefused, $"the seller did not deliver {kind.Noun} {listing.CompiledId} again for payment {paid.PaymentHash}, delivered earlier: {failure}; nothing was paid");
        }

        await Ledger.MarkUndeliveredAsync(paid.PaymentHash, failure ?? "no delivery", cancellationToken).ConfigureAwait(false);
        throw new DsrsException(MarketErrorCodes.PaidNotDelivered, $"seller {listing.SellerPubKey} was paid {paid.AmountMsat} msat for {kind.Noun} {listing.CompiledId} (payment {paid.PaymentHash}) but did not deliver after {Math.Max(1, policy.Attempts)} attempt(s): {failure}; recorded as fraud: the seller is blocked and never paid again (`dsrs sellers unblock` clears it); the receipt is kept and a later build retries the delivery with it");
    }

    /// <summary>
    /// The one check of delivered text (<see cref="ManifestVerifier"/> against the id that was asked for):
    /// the verified manifest, or null and what is wrong with it (seller text, neutralised for the ledger).
    /// </summary>
    internal static bool TryVerify(string compiledId, string text, [NotNullWhen(true)] out VerifiedManifest? verified, [NotNullWhen(false)] out string? mismatch)
    {
        try
        {
            verified = ManifestVerifier.Verify(text, compiledId);
            mismatch = null;
            return true;
        }
        catch (DsrsException e)
        {
            verified = null;
            mismatch = UntrustedText.Neutralise(e.Message);
            return false;
        }
    }

    private static string Sha256(string text) => Hex.Encode(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    /// <summary>Caches verified content (one write, no second check) and describes where it came from.</summary>
    internal AcquiredContent Store(object verified, AcquireSource source, string? paymentHash, long paidMsat, long? feeMsat) => new()
    {
        CompiledId = kind.IdOf(verified),
        Text = kind.TextOf(verified),
        Verified = verified,
        Source = source,
        PaymentHash = paymentHash,
        PricePaidMsat = paidMsat,
        FeePaidMsat = feeMsat,
        CachePath = kind.Put(verified),
    };
}
