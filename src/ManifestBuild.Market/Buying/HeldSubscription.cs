using System.Security.Cryptography;
using System.Text;
using ManifestBuild.Format;
using ManifestBuild.Format.Json;
using ManifestBuild.Market.L402;
using ManifestBuild.Market.Listings;
using ManifestBuild.Nostr;

namespace ManifestBuild.Market.Buying;

/// <summary>
/// A subscription this home paid for: the signed listing it was bought from (re-verified whenever it is
/// read), the term it paid (see <see cref="TermId"/>), the L402 token with its line and expiry caveats and
/// the preimage. A secret like a receipt: it grants downloads, so it is never printed and lives owner-only.
/// </summary>
public sealed record HeldSubscription(SubscriptionListing Listing, string Term, string Token, string PreimageHex, string PaymentHash, SubscriptionClaim Claim)
{
    public string Line => Claim.Line;

    public string SellerPubKey => Listing.SellerPubKey;

    public long ExpiresAt => Claim.ExpiresAt;

    /// <summary>Does this subscription come from the seller, node and origin of this version's listing? Its token goes nowhere else.</summary>
    public bool IsIssuedBy(ReceiptIssuer issuer) =>
        string.Equals(Listing.SellerPubKey, issuer.Seller, StringComparison.OrdinalIgnoreCase)
        && string.Equals(Listing.NodeIdHex, issuer.NodeId, StringComparison.OrdinalIgnoreCase)
        && ReceiptIssuer.OriginOf(Listing.L402Url) == issuer.Origin;

    /// <summary>The receipt that downloads one version with this subscription (stored once it delivered).</summary>
    public Receipt ReceiptFor(Listing version) =>
        new(version.CompiledId, Token, PreimageHex, PaymentHash, version.L402Url) { Seller = Listing.SellerPubKey, NodeId = Listing.NodeIdHex };

    /// <summary>
    /// The purchase key of one term, what the ledger and its lock are keyed by and the seller's invoice names:
    /// sha256 of the seller, the line and the payment hash of the term it renews ("-" for the first). The
    /// same subscription state always gives the same key, so a run that dies while paying finds its record
    /// again and never pays a second time; a renewal has a new key, so it is not mistaken for the old term.
    /// </summary>
    public static string TermId(string seller, string line, string? renews) =>
        Hex.Encode(SHA256.HashData(Encoding.UTF8.GetBytes($"dsrs-subscription-term\n{seller.ToLowerInvariant()}\n{line}\n{renews ?? "-"}")));

    public JsonObject ToJson() => new JsonObject()
        .Add("version", 1)
        .Add("line", Line)
        .Add("term", Term)
        .Add("payment_hash", PaymentHash)
        .Add("expires_at", ExpiresAt)
        .Add("token", Token)
        .Add("preimage", PreimageHex)
        .Add("listing", Listing.Event.ToJson());

    /// <summary>
    /// Reads a stored subscription, checking again what entered when it was bought: the listing's id and
    /// signature and every listing rule, the token's caveats (line and expiry), its payment hash, and
    /// sha256(preimage). Throws DSRS0573 naming what failed.
    /// </summary>
    public static HeldSubscription FromJson(JsonValue value)
    {
        if (value is not JsonObject o || o.GetString("listing") is not { } eventJson || o.GetString("token") is not { } token
            || o.GetString("preimage") is not { Length: 64 } preimage || o.GetString("term") is not { } term || !CompiledId.IsWellFormed(term))
        {
            throw Malformed("a subscription needs listing, term, token and preimage");
        }

        if (!NostrJson.TryParseEvent(eventJson, out var e, out _) || !NostrEventVerifier.TryVerify(e!, out var verified, out _)
            || !SubscriptionListingParser.TryParse(verified, out var listing, out var reason))
        {
            throw Malformed("its listing does not verify");
        }

        try
        {
            var credential = L402Credential.From(token, preimage);
            var identifier = L402Identifier.Decode(credential.Macaroon.Identifier);
            if (!CryptographicOperations.FixedTimeEquals(SHA256.HashData(credential.Preimage), identifier.PaymentHash))
            {
                throw Malformed("sha256(preimage) is not the token's payment hash");
            }

            var claim = SubscriptionToken.Read(credential.Macaroon) ?? throw Malformed("its token carries caveats other than line and expires");
            return claim.Line != listing!.Line
                ? throw Malformed($"its token opens line {claim.Line}, not the listing's {listing.Line}")
                : new HeldSubscription(listing, term, token, preimage.ToLowerInvariant(), identifier.PaymentHashHex, claim);
        }
        catch (DsrsException ex) when (ex.Code != MarketErrorCodes.SubscriptionStoreMalformed)
        {
            throw Malformed("its token is not usable: " + ex.Message);
        }
    }

    private static DsrsException Malformed(string why) => new(MarketErrorCodes.SubscriptionStoreMalformed, "a stored subscription is not usable: " + why);
}
