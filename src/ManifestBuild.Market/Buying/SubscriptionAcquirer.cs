using System.Globalization;
using ManifestBuild.Format;
using ManifestBuild.Format.Json;
using ManifestBuild.Lightning.Payments;
using ManifestBuild.Market.L402;
using ManifestBuild.Market.Listings;

namespace ManifestBuild.Market.Buying;

/// <summary>A subscription bought (or found already held), and what this call paid for it.</summary>
public sealed record SubscriptionPurchase(HeldSubscription Subscription, long PaidMsat, long? FeeMsat, bool AlreadyHeld);

/// <summary>
/// Buys a subscription term with one L402 payment through the payment guard (the shared
/// <see cref="L402Purchase"/> step, keyed by the term's id so a crash never pays twice), checks before
/// paying that the seller's token opens the listed line for at least one period, stores the token, then
/// has the seller confirm it (the <c>dsrs.subscription/1</c> document). Downloads versions of a line with
/// a held token, and renews an expired one as a purchase when a version is newer than its expiry.
/// </summary>
internal sealed class SubscriptionAcquirer
{
    /// <summary>How far the buyer's and the seller's clocks may differ when the offered expiry is checked.</summary>
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    // A home that lost its subscription files replays its ledger's earlier terms, each already paid; bounded.
    private const int MaxTermsReplayed = 32;

    private readonly AcquireOptions options;
    private readonly L402HttpClient l402;
    private readonly SubscriptionStore store;

    public SubscriptionAcquirer(HttpClient http, AcquireOptions options)
    {
        this.options = options;
        l402 = new L402HttpClient(http, options.HttpTimeout);
        store = new SubscriptionStore(options.Home);
    }

    private PurchaseLedger Ledger => PurchaseLedger.ForHome(options.Home);

    private DateTimeOffset Now => (options.GuardOptions?.Time ?? TimeProvider.System).GetUtcNow();

    /// <summary>An active subscription from this listing's issuer is returned as held; otherwise the next term is bought.</summary>
    public async Task<SubscriptionPurchase> SubscribeAsync(SubscriptionListing listing, CancellationToken cancellationToken)
    {
        var issuer = new ReceiptIssuer(listing.SellerPubKey, listing.NodeIdHex, ReceiptIssuer.OriginOf(listing.L402Url));
        var held = store.ForLine(listing.SellerPubKey, listing.Line).Where(h => h.IsIssuedBy(issuer)).ToList();
        if (held.FirstOrDefault(h => h.Claim.IsActive(Now)) is { } active)
        {
            return new SubscriptionPurchase(active, 0, null, AlreadyHeld: true);
        }

        return await BuyTermAsync(listing, held.FirstOrDefault(), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// A version of a line through a held subscription: null when none is held for its issuer. A token whose
    /// expiry is not before the version's listing is presented (0 paid); when every held term expired before
    /// it, the latest is renewed through the guard and budget (refused with DSRS0533 where paying is not allowed).
    /// </summary>
    public async Task<AcquiredContent?> TryVersionAsync(Listing version, ManifestAcquirer manifests, CancellationToken cancellationToken)
    {
        var held = store.For(version);
        if (held.Count == 0)
        {
            return null;
        }

        var now = Now.ToUnixTimeSeconds();
        var problems = new List<string>();
        var expiredForIt = true;
        foreach (var term in held.Where(h => h.ExpiresAt > now || h.ExpiresAt >= version.CreatedAt))
        {
            try
            {
                return await DownloadAsync(version, term, manifests, 0, null, cancellationToken).ConfigureAwait(false);
            }
            catch (DsrsException e) when (e.Code == MarketErrorCodes.ReceiptRefused)
            {
                // The seller's refusal names its code: DSRS0569 says this version came after the term.
                problems.Add(e.Message);
                expiredForIt &= e.Message.Contains(MarketErrorCodes.SubscriptionExpired, StringComparison.Ordinal);
            }
        }

        var latest = held[0];
        if (!expiredForIt)
        {
            throw new DsrsException(MarketErrorCodes.ReceiptRefused, $"the seller refused the active subscription to line {latest.Line} for {version.CompiledId}: {string.Join("; ", problems)}; nothing was paid");
        }

        var expired = $"the subscription to line {latest.Line} expired at {latest.Claim.Expires:u}, before {version.CompiledId} was published";
        if (!options.AllowPay || options.Node is null)
        {
            throw new DsrsException(MarketErrorCodes.PaymentNotAllowed, $"{expired}; renewing it ({latest.Listing.PriceMsat} msat per {SubscriptionListing.DescribePeriod(latest.Listing.PeriodSeconds)}) is a payment, and paying is not allowed here{(options.AllowPay ? " (no Lightning node: DSRS_NODE or --node)" : " (locked mode / no-pay)")}; nothing was paid");
        }

        var renewed = await BuyTermAsync(latest.Listing, latest, cancellationToken).ConfigureAwait(false);
        return await DownloadAsync(version, renewed.Subscription, manifests, renewed.PaidMsat, renewed.FeeMsat, cancellationToken).ConfigureAwait(false);
    }

    private async Task<AcquiredContent> DownloadAsync(Listing version, HeldSubscription term, ManifestAcquirer manifests, long paidMsat, long? feeMsat, CancellationToken cancellationToken)
    {
        var receipt = term.ReceiptFor(version);
        var content = await manifests.DownloadWithReceiptAsync(version.CompiledId, receipt, version.L402Url!, cancellationToken).ConfigureAwait(false);

        // From now on this version is re-downloaded (a lost cache, CI with DSRS_RECEIPTS) like any paid one.
        new ReceiptStore(options.Home).Save(receipt);
        return content with { Source = paidMsat > 0 ? AcquireSource.Purchase : AcquireSource.Receipt, PricePaidMsat = paidMsat, FeePaidMsat = feeMsat };
    }

    private async Task<SubscriptionPurchase> BuyTermAsync(SubscriptionListing listing, HeldSubscription? renews, CancellationToken cancellationToken)
    {
        if (!options.AllowPay)
        {
            throw new DsrsException(MarketErrorCodes.PaymentNotAllowed, $"{listing.Describe()} must be paid and paying is not allowed here (locked mode / no-pay); nothing was paid");
        }

        if (SellerStanding.ForHome(options.Home).Load(options.BlockedSellers).Find(listing.SellerPubKey) is { } blocked)
        {
            throw new DsrsException(MarketErrorCodes.SellerBlocked, $"{listing.Describe()} is not bought: {blocked.Describe()}; nothing was paid");
        }

        var node = options.Node ?? throw new DsrsException(MarketErrorCodes.PaymentNotAllowed, $"{listing.Describe()} must be paid and no Lightning node is configured (DSRS_NODE or --node)");
        var previous = renews?.PaymentHash;
        for (var replay = 0; replay < MaxTermsReplayed; replay++)
        {
            var term = HeldSubscription.TermId(listing.SellerPubKey, listing.Line, previous);
            var url = new Uri(listing.L402Url.GetLeftPart(UriPartial.Path) + "?term=" + term);
            var terms = new L402PurchaseTerms(term, listing.PriceMsat, listing.NodeIdHex, listing.SellerPubKey, listing.Describe());
            var paid = await L402Purchase.PayAsync(l402, options, node, url, terms, cancellationToken, challenge => CheckOffer(listing, challenge)).ConfigureAwait(false);
            var claim = SubscriptionToken.Read(Macaroon.FromBase64(paid.Token))
                ?? throw new DsrsException(MarketErrorCodes.SubscriptionOfferMismatch, $"the token paid for term {term} is not a subscription token");
            var held = new HeldSubscription(listing, term, paid.Token, paid.Preimage, paid.PaymentHash, claim);

            // Durable before the seller is asked again: if the seller or the network fails now, the token survives.
            store.Save(held);
            await ConfirmAsync(held, cancellationToken).ConfigureAwait(false);
            if (paid.AlreadyPaid && !claim.IsActive(Now))
            {
                // An earlier run paid this term and it has run out since: the next term renews it.
                previous = paid.PaymentHash;
                continue;
            }

            return new SubscriptionPurchase(held, paid.AlreadyPaid ? 0 : paid.AmountMsat, paid.AlreadyPaid ? null : paid.FeeMsat, AlreadyHeld: paid.AlreadyPaid);
        }

        throw new DsrsException(MarketErrorCodes.SubscriptionStoreMalformed, $"more than {MaxTermsReplayed} earlier terms of line {listing.Line} were found in the ledger; nothing more was paid");
    }

    /// <summary>Before paying: the token must open the listed line for at least one whole period from now.</summary>
    private void CheckOffer(SubscriptionListing listing, L402Challenge challenge)
    {
        SubscriptionClaim? claim;
        try
        {
            claim = SubscriptionToken.Read(Macaroon.FromBase64(challenge.Token));
        }
        catch (DsrsException e)
        {
            throw new DsrsException(MarketErrorCodes.SubscriptionOfferMismatch, $"the seller's token for {listing.Describe()} is not a subscription token ({e.Message}); nothing was paid");
        }

        if (claim is null || claim.Line != listing.Line)
        {
            throw new DsrsException(MarketErrorCodes.SubscriptionOfferMismatch, $"the seller's token does not open line {listing.Line} alone{(claim is null ? string.Empty : " (it names " + UntrustedText.Neutralise(claim.Line, 64) + ")")}; nothing was paid");
        }

        var earliest = Now + listing.Period - ClockSkew;
        if (claim.Expires < earliest)
        {
            throw new DsrsException(MarketErrorCodes.SubscriptionOfferMismatch, $"the seller's token expires at {claim.Expires:u}, before one whole period ({SubscriptionListing.DescribePeriod(listing.PeriodSeconds)}) from now; nothing was paid");
        }
    }

    /// <summary>
    /// The seller's confirmation after payment: <c>GET &lt;l402&gt;</c> with the credential answers the
    /// subscription document, which must name this line and this expiry. A refusal or another document is
    /// recorded in the ledger (the seller's failure); an unreachable seller leaves the payment settled and
    /// undelivered: the stored token still works, and its first delivered version marks it delivered.
    /// </summary>
    private async Task ConfirmAsync(HeldSubscription held, CancellationToken cancellationToken)
    {
        var record = Ledger.Find(held.PaymentHash);
        if (record is not { IsPaidUndelivered: true })
        {
            return; // confirmed by an earlier run
        }

        L402Response response;
        try
        {
            response = await l402.RequestAsync(held.Listing.L402Url, L402Credential.From(held.Token, held.PreimageHex), cancellationToken).ConfigureAwait(false);
        }
        catch (DsrsException e) when (e.Code == MarketErrorCodes.ReceiptRefused)
        {
            await Ledger.MarkUndeliveredAsync(held.PaymentHash, "the seller refused its own subscription token after a settled payment: " + e.Message, cancellationToken).ConfigureAwait(false);
            throw new DsrsException(MarketErrorCodes.PaidNotDelivered, $"seller {held.SellerPubKey} was paid for {held.Listing.Describe()} (payment {held.PaymentHash}) but refuses the token: {e.Message}; recorded as fraud: the seller is blocked and never paid again");
        }
        catch (DsrsException e) when (e.Code is MarketErrorCodes.SellerUnreachable or MarketErrorCodes.SellerProtocolViolation)
        {
            throw new DsrsException(e.Code, $"the subscription to line {held.Line} is paid and stored (payment {held.PaymentHash}) but the seller did not confirm it now: {e.Message}; it is used as it is, nothing more is paid");
        }

        if (DocumentMismatch(held, response.Content!) is { } wrong)
        {
            await Ledger.MarkFraudAsync(held.PaymentHash, $"the seller's subscription document is not the one paid for: {wrong}", cancellationToken).ConfigureAwait(false);
            throw new DsrsException(MarketErrorCodes.SubscriptionDocumentMismatch, $"the seller answered the paid subscription to line {held.Line} with another subscription ({wrong}); recorded in the ledger, nothing more is paid");
        }

        await Ledger.MarkDeliveredAsync(held.PaymentHash, cancellationToken).ConfigureAwait(false);
    }

    private static string? DocumentMismatch(HeldSubscription held, string text)
    {
        try
        {
            var o = JsonParser.ParseObject(text);
            return o.GetString("format") != SubscriptionDocument.Format ? "it is not a dsrs.subscription/1 document"
                : o.GetString("line") != held.Line ? "it names another line"
                : o["expires_at"] is not JsonNumber n || !n.TryGetInt64(out var at) || at != held.ExpiresAt ? string.Create(CultureInfo.InvariantCulture, $"its expires_at is not the token's {held.ExpiresAt}")
                : null;
        }
        catch (DsrsException e)
        {
            return UntrustedText.Neutralise(e.Message);
        }
    }
}

/// <summary>The seller's answer to a subscription credential: <c>{"format":"dsrs.subscription/1","line","expires_at","versions":[...]}</c>.</summary>
public static class SubscriptionDocument
{
    public const string Format = "dsrs.subscription/1";
}
