using ManifestBuild.Nostr;

namespace ManifestBuild.Market.Reviews;

/// <summary>A parsed NIP-32 review (kind 1985, label namespace <c>dsrs.review</c>).</summary>
public sealed record Review
{
    public const string Namespace = "dsrs.review";

    public required NostrEvent Event { get; init; }

    /// <summary>1-5.</summary>
    public required int Rating { get; init; }

    /// <summary>The listing coordinate <c>31990:&lt;seller&gt;:dsrs-manifest:&lt;id&gt;</c>.</summary>
    public required string Address { get; init; }

    public required string SellerPubKey { get; init; }

    public required string CompiledId { get; init; }

    public string Comment => Event.Content;

    public string AuthorPubKey => Event.PubKey;

    /// <summary>A verified purchase: the bolt11 + preimage proof checked out against the listing.</summary>
    public bool IsVerified { get; init; }

    /// <summary>The proven payment hash (verified reviews only).</summary>
    public string? PaymentHash { get; init; }

    /// <summary>Why a purchase proof was present but did not verify (then the review is rejected).</summary>
    public string? RejectionReason { get; init; }

    /// <summary>The review reports fraud: delivered content that did not hash to the compiled_id.</summary>
    public string? FraudDeliveredSha256 { get; init; }

    /// <summary>What the buyer measured with <c>dsrs evaluate</c>; counted only when the purchase is verified.</summary>
    public Measurement? Measurement { get; init; }
}

/// <summary>A purchase proof a buyer attaches: the paid invoice and its preimage.</summary>
public sealed record PurchaseProof(string Bolt11, string PreimageHex);
