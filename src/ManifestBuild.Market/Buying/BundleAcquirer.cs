using ManifestBuild.Format;
using ManifestBuild.Format.Bundles;
using ManifestBuild.Lightning.Nodes;
using ManifestBuild.Lightning.Payments;
using ManifestBuild.Market.L402;
using ManifestBuild.Market.Listings;

namespace ManifestBuild.Market.Buying;

/// <summary>Every member of a bundle, verified and cached, and what this call paid for the bundle.</summary>
public sealed record AcquiredBundle
{
    public required BundleListing Listing { get; init; }

    /// <summary>The members in the bundle's order (sorted by compiled_id).</summary>
    public required IReadOnlyList<AcquiredManifest> Members { get; init; }

    /// <summary>The bundle's one payment (now or earlier); null when every member came from the cache.</summary>
    public string? PaymentHash { get; init; }

    /// <summary>What this call paid: the bundle's price once, or 0 (cache, receipt, an earlier run's payment).</summary>
    public long PricePaidMsat { get; init; }

    public long? FeePaidMsat { get; init; }

    public required AcquireSource Source { get; init; }
}

/// <summary>
/// Gets every member of a bundle with at most one payment: the cache when it holds them all (no
/// network), else the bundle's receipt from this seller, else one purchase of the bundle through the
/// payment guard (the ledger and its lock keyed by the bundle_id, the budget, the fee cap, the invoice
/// checks, locked mode refusing), its receipt saved before anything is downloaded. Then the seller's
/// bundle document must be the listed one and each member must hash to its compiled_id before it is
/// cached; the payment is marked delivered only when every member arrived, and a seller that delivers
/// something else is recorded as a fraud.
/// </summary>
internal sealed class BundleAcquirer
{
    private readonly AcquireOptions options;
    private readonly ManifestAcquirer manifests;
    private readonly ReceiptStore receipts;
    private readonly L402HttpClient l402;

    public BundleAcquirer(HttpClient http, AcquireOptions options)
    {
        this.options = options;
        manifests = new ManifestAcquirer(http, options);
        receipts = new ReceiptStore(options.Home);
        l402 = new L402HttpClient(http, options.HttpTimeout);
    }

    private PurchaseLedger Ledger => PurchaseLedger.ForHome(options.Home);

    public async Task<AcquiredBundle> AcquireAsync(BundleListing bundle, CancellationToken cancellationToken)
    {
        var cached = bundle.Members.Select(id => manifests.TryFromCache(id)?.ToManifest()).ToList();
        if (cached.All(m => m is not null))
        {
            return new AcquiredBundle { Listing = bundle, Members = cached!, Source = AcquireSource.Cache };
        }

        if (receipts.FindFor(bundle, options.ExtraReceipts) is { } receipt)
        {
            var members = await DownloadMembersAsync(bundle.BundleId, bundle.Members, whole: true, receipt, bundle.L402Url, AcquireSource.Receipt, cancellationToken).ConfigureAwait(false);
            return new AcquiredBundle { Listing = bundle, Members = members, PaymentHash = receipt.PaymentHash, Source = AcquireSource.Receipt };
        }

        if (!options.AllowPay)
        {
            throw new DsrsException(MarketErrorCodes.PaymentNotAllowed, $"{bundle.Describe()} has no receipt here and paying is not allowed (locked mode)");
        }

        if (SellerStanding.ForHome(options.Home).Load(options.BlockedSellers).Find(bundle.SellerPubKey) is { } blocked)
        {
            throw new DsrsException(MarketErrorCodes.SellerBlocked, $"{bundle.Describe()} is not bought: {blocked.Describe()}; nothing was paid");
        }

        var node = options.Node ?? throw new DsrsException(MarketErrorCodes.PaymentNotAllowed, $"{bundle.Describe()} must be paid and no Lightning node is configured (DSRS_NODE or --node)");
        return await PurchaseAsync(bundle, node, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Locked mode: one member, with the bundle's receipt that remembers the bundle URL (the member is
    /// asked for at the same server). Never pays.
    /// </summary>
    public async Task<AcquiredManifest> RestoreMemberAsync(string bundleId, string compiledId, CancellationToken cancellationToken)
    {
        if (manifests.TryFromCache(compiledId) is { } cached)
        {
            return cached.ToManifest();
        }

        var receipt = receipts.FindWithUrl(bundleId, options.ExtraReceipts)
            ?? throw new DsrsException(MarketErrorCodes.BundleRestoreFailed, $"manifest {compiledId} is not in the cache and there is no receipt for its bundle {bundleId} that names the seller's URL (DSRS_RECEIPTS); locked mode never pays");
        var members = await DownloadMembersAsync(bundleId, [compiledId], whole: false, receipt, receipt.Url!, AcquireSource.Receipt, cancellationToken).ConfigureAwait(false);
        return members[0];
    }

    private async Task<AcquiredBundle> PurchaseAsync(BundleListing bundle, ILightningNode node, CancellationToken cancellationToken)
    {
        var terms = new L402PurchaseTerms(bundle.BundleId, bundle.PriceMsat, bundle.NodeIdHex, bundle.SellerPubKey, bundle.Describe());
        var paid = await L402Purchase.PayAsync(l402, options, node, bundle.L402Url, terms, cancellationToken).ConfigureAwait(false);

        // Durable before any download: one receipt for the bundle, presented for each member.
        var receipt = new Receipt(bundle.BundleId, paid.Token, paid.Preimage, paid.PaymentHash, bundle.L402Url) { Seller = bundle.SellerPubKey, NodeId = bundle.NodeIdHex };
        receipts.Save(receipt);
        var members = await DownloadMembersAsync(bundle.BundleId, bundle.Members, whole: true, receipt, bundle.L402Url, AcquireSource.Purchase, cancellationToken).ConfigureAwait(false);
        return new AcquiredBundle
        {
            Listing = bundle,
            Members = members,
            PaymentHash = paid.PaymentHash,
            PricePaidMsat = paid.AlreadyPaid ? 0 : paid.AmountMsat,
            FeePaidMsat = paid.AlreadyPaid ? null : paid.FeeMsat,
            Source = AcquireSource.Purchase,
        };
    }

    /// <summary>
    /// Presents the bundle's credential for its document (when the whole bundle is asked for: <paramref name="whole"/>) and for
    /// each member not cached. A refusal or content that does not hash marks the receipt refused and,
    /// for a payment not yet delivered, records the seller's failure; a seller that is unreachable is
    /// tried again later with the same receipt, never paid again.
    /// </summary>
    private async Task<IReadOnlyList<AcquiredManifest>> DownloadMembersAsync(string bundleId, IReadOnlyList<string> wanted, bool whole, Receipt receipt, Uri bundleUrl, AcquireSource source, CancellationToken cancellationToken)
    {
        var credential = L402Credential.From(receipt.Token, receipt.PreimageHex);
        var result = new List<AcquiredManifest>(wanted.Count);
        try
        {
            if (whole)
            {
                var document = await l402.RequestAsync(bundleUrl, credential, cancellationToken).ConfigureAwait(false);
                if (DocumentMismatch(bundleId, wanted, document.Content!) is { } wrong)
                {
                    await FailAsync(receipt, fraud: true, $"the seller's bundle document is not bundle {bundleId}: {wrong}", cancellationToken).ConfigureAwait(false);
                    throw new DsrsException(MarketErrorCodes.BundleContentMismatch, $"the seller answered the paid bundle {bundleId} with a document that is not the listed one ({wrong}); recorded in the ledger, nothing more is paid");
                }
            }

            foreach (var id in wanted)
            {
                if (manifests.TryFromCache(id) is { } cached)
                {
                    result.Add(cached.ToManifest());
                    continue;
                }

                var response = await l402.RequestAsync(BundleListing.MemberUrl(bundleUrl, id), credential, cancellationToken).ConfigureAwait(false);
                if (!ManifestAcquirer.TryVerify(id, response.Content!, out var verified, out var mismatch))
                {
                    await FailAsync(receipt, fraud: true, $"member {id} of bundle {bundleId} was delivered as content that is not it: {mismatch}", cancellationToken).ConfigureAwait(false);
                    throw new DsrsException(MarketErrorCodes.ContentMismatch, $"the seller delivered content that is not manifest {id} (member of bundle {bundleId}: {mismatch}); recorded in the ledger, nothing more is paid, the receipt is not presented again");
                }

                result.Add(manifests.Store(verified, source, receipt.PaymentHash, 0, null).ToManifest());
            }
        }
        catch (DsrsException e) when (e.Code == MarketErrorCodes.ReceiptRefused)
        {
            await FailAsync(receipt, fraud: false, e.Message, cancellationToken).ConfigureAwait(false);
            throw new DsrsException(MarketErrorCodes.ReceiptRefused, $"{e.Message}; the receipt for bundle {bundleId} (payment {receipt.PaymentHash}) is kept in {receipts.Directory} but will not be presented again", e);
        }

        if (Ledger.Find(receipt.PaymentHash) is { IsPaidUndelivered: true } paid && whole)
        {
            await Ledger.MarkDeliveredAsync(paid.PaymentHash, cancellationToken).ConfigureAwait(false);
        }

        return result;
    }

    private async Task FailAsync(Receipt receipt, bool fraud, string why, CancellationToken cancellationToken)
    {
        receipts.MarkRefused(receipt, why);
        if (Ledger.Find(receipt.PaymentHash) is { IsPaidUndelivered: true, Fraud: false } record)
        {
            await (fraud ? Ledger.MarkFraudAsync(record.PaymentHash, why, cancellationToken) : Ledger.MarkUndeliveredAsync(record.PaymentHash, why, cancellationToken)).ConfigureAwait(false);
        }
    }

    /// <summary>Null when the text is bundle <paramref name="bundleId"/> and has the wanted members; else what is wrong.</summary>
    private static string? DocumentMismatch(string bundleId, IReadOnlyList<string> wanted, string text)
    {
        try
        {
            var document = BundleDocument.Parse(text);
            return document.BundleId != bundleId ? $"it is bundle {document.BundleId}"
                : wanted.Any(w => !document.Members.Contains(w, StringComparer.Ordinal)) ? "it lacks a listed member"
                : null;
        }
        catch (DsrsException e)
        {
            return UntrustedText.Neutralise(e.Message);
        }
    }
}
