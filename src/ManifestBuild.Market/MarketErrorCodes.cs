namespace ManifestBuild.Market;

/// <summary>The market's stable error codes (DSRS0500-0579). Seller endpoint codes are in ManifestBuild.Seller.</summary>
public static class MarketErrorCodes
{
    /// <summary>A macaroon's bytes are not a valid v2 binary macaroon.</summary>
    public const string MalformedMacaroon = "DSRS0500";

    /// <summary>A macaroon's signature does not verify with the seller's root key (forged or altered).</summary>
    public const string MacaroonSignatureInvalid = "DSRS0501";

    /// <summary>An L402 token identifier is not version 0 + payment hash + token id.</summary>
    public const string MalformedTokenIdentifier = "DSRS0502";

    /// <summary>A token's caveats do not allow the requested manifest.</summary>
    public const string TokenCaveatMismatch = "DSRS0503";

    /// <summary>sha256(preimage) is not the payment hash the token commits to.</summary>
    public const string PreimageMismatch = "DSRS0504";

    /// <summary>A WWW-Authenticate or Authorization header is not a readable L402/LSAT header.</summary>
    public const string MalformedL402Header = "DSRS0505";

    /// <summary>The seller's L402 root key file is missing, unreadable or has the wrong size.</summary>
    public const string RootKeyUnreadable = "DSRS0506";

    /// <summary>The secret scanner found secrets in a manifest that is about to be published.</summary>
    public const string SecretsFound = "DSRS0510";

    /// <summary>The input to redact is neither a JSON manifest nor a dataset (JSON / JSON lines).</summary>
    public const string UnredactableInput = "DSRS0511";

    /// <summary>A listing cannot be built from this manifest (missing family, bad price, paid without l402/node).</summary>
    public const string ListingBuildFailed = "DSRS0520";

    /// <summary>A relay's event is not an acceptable listing (reason attached).</summary>
    public const string ListingRejected = "DSRS0521";

    /// <summary>No listing passes the selection filters.</summary>
    public const string NoListingSelected = "DSRS0525";

    /// <summary>The seller's redaction policy ($DSRS_HOME/redaction.json) is not valid JSON of the documented shape.</summary>
    public const string BadRedactionPolicy = "DSRS0512";

    /// <summary>The delivered content does not hash to the compiled_id (recorded as fraud).</summary>
    public const string ContentMismatch = "DSRS0530";

    /// <summary>The seller's L402 endpoint did not behave as the protocol requires (status, headers).</summary>
    public const string SellerProtocolViolation = "DSRS0531";

    /// <summary>The seller's L402 endpoint could not be reached or timed out.</summary>
    public const string SellerUnreachable = "DSRS0532";

    /// <summary>Paying is needed but not allowed here (locked mode, or no node configured).</summary>
    public const string PaymentNotAllowed = "DSRS0533";

    /// <summary>Locked-mode restore found no cache entry, free listing or receipt for the compiled_id.</summary>
    public const string RestoreFailed = "DSRS0534";

    /// <summary>A manifest named by id or naddr cannot be found on the relays.</summary>
    public const string ListingNotFound = "DSRS0535";

    /// <summary>A receipts file or DSRS_RECEIPTS value is malformed.</summary>
    public const string MalformedReceipts = "DSRS0540";

    /// <summary>A stored receipt was refused by the seller; it is kept, marked refused, and not presented again.</summary>
    public const string ReceiptRefused = "DSRS0541";

    /// <summary>The seller is blocked (a proven fraud in the ledger, `dsrs sellers block`, or DsrsBlockedSellers): never paid.</summary>
    public const string SellerBlocked = "DSRS0542";

    /// <summary>The seller was paid but did not deliver within the retry policy: recorded as fraud, the seller blocked, the receipt kept.</summary>
    public const string PaidNotDelivered = "DSRS0543";

    /// <summary>The manifest is already paid to another seller whose delivery is pending: not paid a second time.</summary>
    public const string PaidElsewhere = "DSRS0544";

    /// <summary>A paid listing's seller answered 200 without payment: refused, so the lockfile never records a paid item as free.</summary>
    public const string UnpaidDelivery = "DSRS0545";

    /// <summary>A seller named to block or unblock is neither an npub nor 64 hex.</summary>
    public const string InvalidSeller = "DSRS0546";

    /// <summary>A dataset listing cannot be built (dataset_id does not verify, bad price, paid without l402/node).</summary>
    public const string DatasetListingBuildFailed = "DSRS0547";

    /// <summary>A relay's event is not an acceptable dataset listing (reason attached).</summary>
    public const string DatasetListingRejected = "DSRS0548";

    /// <summary>A locked dataset is not in the cache and could not be restored without paying (no free listing, no receipt).</summary>
    public const string DatasetRestoreFailed = "DSRS0549";

    /// <summary>No dataset listing passes the filters (family, domains, price, seller, dataset_id).</summary>
    public const string NoDatasetSelected = "DSRS0552";

    /// <summary>A review cannot be built (bad rating, verified review without a delivered purchase).</summary>
    public const string ReviewBuildFailed = "DSRS0550";

    /// <summary>A review event is malformed or its purchase proof does not verify (reason attached).</summary>
    public const string ReviewRejected = "DSRS0551";

    /// <summary>Publishing an event reached no relay that accepted it.</summary>
    public const string PublishFailed = "DSRS0560";

    /// <summary>A bundle listing cannot be built (not priced, no node id, no L402 URL).</summary>
    public const string BundleListingBuildFailed = "DSRS0561";

    /// <summary>No bundle listing fits the declaration (name, seller, pinned bundle_id, maximum price); the explanation lists why each was left out.</summary>
    public const string NoBundleSelected = "DSRS0562";

    /// <summary>The seller's answer for a paid bundle is not the bundle listed (its document does not hash to the bundle_id or names other members).</summary>
    public const string BundleContentMismatch = "DSRS0563";

    /// <summary>A token's bundle_id caveat does not grant the manifest asked for (not a member of that bundle here).</summary>
    public const string BundleDoesNotGrant = "DSRS0564";

    /// <summary>A locked bundle member has no cached content, no free listing and no receipt for its bundle: locked mode never pays.</summary>
    public const string BundleRestoreFailed = "DSRS0565";

    /// <summary>A line watch cannot start: the line is not a valid line name, the seller not a 64-hex key, or no relay given.</summary>
    public const string LineWatchInvalid = "DSRS0566";

    /// <summary>A subscription listing cannot be built (bad line, not priced, bad period, no node id, no L402 URL).</summary>
    public const string SubscriptionListingBuildFailed = "DSRS0567";

    /// <summary>No subscription listing fits (line, seller, maximum price, a blocked seller); the explanation lists why each was left out.</summary>
    public const string NoSubscriptionSelected = "DSRS0568";

    /// <summary>The seller refuses a subscription token for a version published after the token's expiry: renew the subscription.</summary>
    public const string SubscriptionExpired = "DSRS0569";

    /// <summary>A subscription token is for another line than the version asked for (or names no single line).</summary>
    public const string SubscriptionWrongLine = "DSRS0570";

    /// <summary>The seller's subscription challenge is not what its listing sells (another line, an expiry shorter than the period): nothing is paid.</summary>
    public const string SubscriptionOfferMismatch = "DSRS0571";

    /// <summary>After a settled subscription payment the seller's answer is not the subscription bought (line, expiry or token differ).</summary>
    public const string SubscriptionDocumentMismatch = "DSRS0572";

    /// <summary>A stored subscription file is malformed, or its listing no longer verifies: it is not used.</summary>
    public const string SubscriptionStoreMalformed = "DSRS0573";

    /// <summary>A measured review's measurement tags are missing a member, malformed or out of range.</summary>
    public const string MeasurementInvalid = "DSRS0575";

    /// <summary>A measured review needs a verified purchase: the ledger holds none for the compiled_id.</summary>
    public const string MeasurementNotVerified = "DSRS0576";

    /// <summary>The evaluation report measured another manifest than the listing being reviewed.</summary>
    public const string MeasurementOfAnotherManifest = "DSRS0577";
}
