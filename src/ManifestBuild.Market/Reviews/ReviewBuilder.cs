using System.Globalization;
using ManifestBuild.Format;
using ManifestBuild.Nostr;

namespace ManifestBuild.Market.Reviews;

/// <summary>Builds review events per protocol §3.</summary>
public static class ReviewBuilder
{
    public const string FraudTag = "dsrs.fraud";

    public static NostrEvent Build(
        NostrKeyPair author,
        string sellerPubKey,
        string compiledId,
        int rating,
        string? comment,
        PurchaseProof? proof = null,
        string? fraudDeliveredSha256 = null,
        long? createdAt = null,
        Measurement? measurement = null)
    {
        if (rating is < 1 or > 5)
        {
            throw new DsrsException(MarketErrorCodes.ReviewBuildFailed, $"the rating must be 1 to 5, not {rating}");
        }

        if (!CompiledId.IsWellFormed(compiledId) || !Hex.IsLowerHex(sellerPubKey, 32))
        {
            throw new DsrsException(MarketErrorCodes.ReviewBuildFailed, "a review needs the listing's seller pubkey (64 hex) and compiled_id (64 hex)");
        }

        var tags = new List<IReadOnlyList<string>>
        {
            new[] { "L", Review.Namespace },
            new[] { "l", rating.ToString(CultureInfo.InvariantCulture), Review.Namespace },
            new[] { "a", $"{NostrKinds.HandlerInformation}:{sellerPubKey}:{Listings.Listing.DTagPrefix}{compiledId}" },
            new[] { "p", sellerPubKey },
        };
        if (proof is not null)
        {
            tags.Add(["bolt11", proof.Bolt11]);
            tags.Add(["preimage", proof.PreimageHex.ToLowerInvariant()]);
        }

        if (fraudDeliveredSha256 is not null)
        {
            if (proof is null)
            {
                throw new DsrsException(MarketErrorCodes.ReviewBuildFailed, "a fraud report needs the purchase proof (bolt11 and preimage)");
            }

            tags.Add([FraudTag, "content-mismatch", fraudDeliveredSha256]);
        }

        if (measurement is not null)
        {
            if (proof is null || fraudDeliveredSha256 is not null)
            {
                throw new DsrsException(MarketErrorCodes.MeasurementNotVerified, "a measurement is published only with a verified purchase's proof, and never in a fraud report");
            }

            tags.AddRange(measurement.ToTags());
        }

        tags.Add(["alt", $"Review of a DSPy manifest: {rating}/5"]);
        return author.Sign(NostrKinds.Label, tags, comment ?? string.Empty, createdAt);
    }
}
