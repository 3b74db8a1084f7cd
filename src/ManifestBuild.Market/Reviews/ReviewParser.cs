using System.Globalization;
using System.Security.Cryptography;
using ManifestBuild.Format;
using ManifestBuild.Lightning.Bolt11;
using ManifestBuild.Market.Listings;
using ManifestBuild.Nostr;

namespace ManifestBuild.Market.Reviews;

/// <summary>
/// Reads kind 1985 reviews and checks verified-purchase proofs (§3): the invoice's signature must
/// recover the listing's node, sha256(preimage) must be the invoice's payment hash, and the invoice
/// description must name the compiled_id. A review with a proof that fails is rejected with the reason;
/// one without a proof is kept as unverified.
/// </summary>
public static class ReviewParser
{
    /// <param name="listingNodeId">The listing's node (66 hex) when known; a proof cannot verify without it.</param>
    /// <param name="verified">An event whose id and signature are checked (the relay pool's result, or <see cref="NostrEventVerifier.TryVerify"/>).</param>
    public static bool TryParse(VerifiedEvent verified, string? listingNodeId, out Review? review, out string reason)
    {
        var e = verified.Event;
        review = null;
        reason = string.Empty;
        if (e.Kind != NostrKinds.Label || !e.HasTag("L", Review.Namespace))
        {
            reason = "not a dsrs.review label (kind 1985 with L=dsrs.review)";
            return false;
        }

        var label = e.TagsNamed("l").FirstOrDefault(t => t.Count >= 3 && t[2] == Review.Namespace);
        if (label is null || !int.TryParse(label[1], NumberStyles.None, CultureInfo.InvariantCulture, out var rating) || rating is < 1 or > 5)
        {
            reason = "no l tag with a rating 1-5 in dsrs.review";
            return false;
        }

        var address = e.FirstTagValue("a");
        var parts = address?.Split(':', 3);
        if (parts is not { Length: 3 } || parts[0] != "31990" || !Hex.IsLowerHex(parts[1], 32) || !parts[2].StartsWith(Listing.DTagPrefix, StringComparison.Ordinal))
        {
            reason = "the a tag is not a dsrs listing coordinate";
            return false;
        }

        var seller = parts[1];
        var compiledId = parts[2][Listing.DTagPrefix.Length..];
        if (!CompiledId.IsWellFormed(compiledId))
        {
            reason = "the a tag's compiled_id is not 64 lowercase hex";
            return false;
        }

        if (e.FirstTagValue("p") is { } p && p != seller)
        {
            reason = "the p tag is not the listing's seller";
            return false;
        }

        if (e.PubKey == seller)
        {
            reason = "a seller cannot review its own listing";
            return false;
        }

        var fraud = e.TagsNamed(ReviewBuilder.FraudTag).FirstOrDefault(t => t.Count >= 3);
        if (!Measurement.TryRead(e, out var measurement, out var measurementProblem) && measurementProblem is not null)
        {
            reason = "malformed measurement: " + measurementProblem;
            return false;
        }

        review = new Review
        {
            Event = e,
            Rating = rating,
            Address = address!,
            SellerPubKey = seller,
            CompiledId = compiledId,
            FraudDeliveredSha256 = fraud?[2],
            Measurement = measurement,
        };

        var bolt11 = e.FirstTagValue("bolt11");
        var preimage = e.FirstTagValue("preimage");
        if (bolt11 is null && preimage is null)
        {
            if (fraud is not null)
            {
                review = null;
                reason = "a fraud report without a purchase proof";
                return false;
            }

            return true;
        }

        var proofFailure = CheckProof(bolt11, preimage, listingNodeId, compiledId, out var paymentHash);
        if (proofFailure is not null)
        {
            review = null;
            reason = "purchase proof rejected: " + proofFailure;
            return false;
        }

        review = review with { IsVerified = true, PaymentHash = paymentHash };
        return true;
    }

    /// <summary>Null when the proof holds; otherwise which check failed.</summary>
    public static string? CheckProof(string? bolt11, string? preimageHex, string? listingNodeId, string compiledId, out string? paymentHash)
    {
        paymentHash = null;
        if (bolt11 is null || preimageHex is null)
        {
            return "a verified review needs both bolt11 and preimage tags";
        }

        Bolt11Invoice invoice;
        try
        {
            invoice = Bolt11Decoder.Decode(bolt11);
        }
        catch (DsrsException e)
        {
            return "the bolt11 invoice does not decode (" + e.Code + ": " + e.Message + ")";
        }

        if (listingNodeId is null)
        {
            return "the listing's node is unknown, so the invoice's signer cannot be checked";
        }

        if (!string.Equals(invoice.Payee, listingNodeId, StringComparison.OrdinalIgnoreCase))
        {
            return "the invoice's signature does not recover the listing's node";
        }

        if (Hex.TryDecode(preimageHex) is not { } preimage)
        {
            return "the preimage is not hex";
        }

        if (preimage.Length != 32 || Hex.Encode(SHA256.HashData(preimage)) != invoice.PaymentHash.ToLowerInvariant())
        {
            return "sha256(preimage) is not the invoice's payment hash";
        }

        if (invoice.Description is null || !invoice.Description.Contains(compiledId, StringComparison.Ordinal))
        {
            return "the invoice description does not name the compiled_id";
        }

        paymentHash = invoice.PaymentHash.ToLowerInvariant();
        return null;
    }
}
