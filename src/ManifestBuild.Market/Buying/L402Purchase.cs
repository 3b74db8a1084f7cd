using ManifestBuild.Format;
using ManifestBuild.Lightning.Nodes;
using ManifestBuild.Lightning.Payments;
using ManifestBuild.Market.L402;

namespace ManifestBuild.Market.Buying;

/// <summary>
/// What one L402 purchase is, in the signed listing's words: the content address the invoice must name
/// (a compiled_id, a bundle_id, a subscription term), its price, the seller's node and key, and how the
/// buyer calls it in a refusal.
/// </summary>
internal sealed record L402PurchaseTerms(string Id, long PriceMsat, string NodeIdHex, string Seller, string Describe);

/// <summary>
/// The one "pay this L402 challenge through the guard" step every purchase shares (a manifest, a bundle, a
/// subscription): ask the seller's URL without a credential, refuse an endpoint that gives away what is
/// listed for a price, let the caller check the challenge's token (a subscription's caveats), then hand
/// the invoice to the <see cref="PaymentGuard"/> with the listing's price, node, seller, the item's cap
/// and the build's budget. The guard does every check of protocol §4 and pays at most once per id.
/// </summary>
internal static class L402Purchase
{
    /// <param name="checkChallenge">Throws when the challenge's token is not what the listing promises; runs before any payment.</param>
    public static async Task<PaidPurchase> PayAsync(
        L402HttpClient l402,
        AcquireOptions options,
        ILightningNode node,
        Uri url,
        L402PurchaseTerms terms,
        CancellationToken cancellationToken,
        Action<L402Challenge>? checkChallenge = null)
    {
        var first = await l402.RequestAsync(url, null, cancellationToken).ConfigureAwait(false);
        if (first.Content is not null)
        {
            // A listing that asks a price but an endpoint that gives it away: one of them is not the
            // seller's word. Refused rather than locked as free or as paid (nothing was paid).
            throw new DsrsException(MarketErrorCodes.UnpaidDelivery, $"{terms.Describe} is listed for {terms.PriceMsat} msat but its seller answered 200 without payment; refused (nothing was paid): the seller should list it free");
        }

        var challenge = first.Challenge!;
        checkChallenge?.Invoke(challenge);
        var network = options.Network ?? (await node.GetInfoAsync(cancellationToken).ConfigureAwait(false)).Network;
        var guard = new PaymentGuard(node, PurchaseLedger.ForHome(options.Home), options.GuardOptions);
        return await guard.PayAsync(
            new PurchaseRequest
            {
                CompiledId = terms.Id,
                PriceMsat = terms.PriceMsat,
                ListingNodeId = terms.NodeIdHex,
                ExpectedNetwork = network,
                MaxPriceMsat = options.ItemMaxPriceMsat,
                Budget = options.BuildBudget,
                Token = challenge.Token,
                Bolt11 = challenge.Invoice,
                MaxFeeMsat = options.MaxFeeMsat,
                Seller = terms.Seller,
            },
            cancellationToken).ConfigureAwait(false);
    }
}
