using System.Security.Cryptography;
using ManifestBuild.Format;

namespace ManifestBuild.Market.L402;

/// <summary>
/// Minting and checking the seller's L402 tokens: a macaroon whose identifier commits to the payment
/// hash and whose first-party caveat <c>compiled_id=&lt;id&gt;</c> restricts it to one manifest.
/// </summary>
public static class L402Token
{
    public const string CompiledIdCaveat = "compiled_id";

    /// <summary>The caveat of a bundle's token: every member of that bundle is downloadable with it.</summary>
    public const string BundleIdCaveat = "bundle_id";

    /// <summary>Mints a token for one invoice and one manifest under the seller's root key.</summary>
    public static Macaroon Mint(ReadOnlySpan<byte> rootKey, string paymentHashHex, string compiledId, string? location = null)
    {
        var identifier = L402Identifier.Create(paymentHashHex);
        return Macaroon.Mint(rootKey, identifier.Encode(), location, [CompiledIdCaveat + "=" + compiledId]);
    }

    /// <summary>Mints a bundle's token: one invoice, caveat <c>bundle_id=&lt;id&gt;</c>, valid for the bundle and each member.</summary>
    public static Macaroon MintForBundle(ReadOnlySpan<byte> rootKey, string paymentHashHex, string bundleId, string? location = null)
    {
        var identifier = L402Identifier.Create(paymentHashHex);
        return Macaroon.Mint(rootKey, identifier.Encode(), location, [BundleIdCaveat + "=" + bundleId]);
    }

    /// <summary>
    /// Verifies a credential for a manifest: the macaroon's signature under the root key, every caveat
    /// satisfied (unknown caveats refuse: a caveat we cannot check must not be ignored), at least one
    /// compiled_id caveat naming this manifest, and sha256(preimage) equal to the committed hash.
    /// Returns the identifier. Throws a DsrsException naming the failed check.
    /// </summary>
    /// <param name="bundleGrants">
    /// Whether a bundle_id caveat grants this request (the seller's catalog: the bundle itself, or a bundle
    /// that has the manifest as a member); null refuses every bundle caveat.
    /// </param>
    /// <param name="subscriptionGrants">
    /// Whether a subscription token's claim (line and expiry caveats) grants this request: null when it
    /// does, else the refusal to throw (the seller's catalog knows each version's line and publication
    /// time). Null refuses every subscription caveat.
    /// </param>
    public static L402Identifier Verify(ReadOnlySpan<byte> rootKey, L402Credential credential, string compiledId, Func<string, bool>? bundleGrants = null, Func<SubscriptionClaim, DsrsException?>? subscriptionGrants = null)
    {
        var macaroon = credential.Macaroon;
        var identifier = L402Identifier.Decode(macaroon.Identifier);
        if (!macaroon.HasValidSignature(rootKey))
        {
            throw new DsrsException(MarketErrorCodes.MacaroonSignatureInvalid, "the token's signature does not verify: it was not minted here or has been altered");
        }

        var named = false;
        var lines = new List<string>();
        var expiries = new List<string>();
        foreach (var caveat in macaroon.Caveats)
        {
            var separator = caveat.IndexOf('=', StringComparison.Ordinal);
            var key = separator < 0 ? caveat.Trim() : caveat[..separator].Trim();
            var value = separator < 0 ? string.Empty : caveat[(separator + 1)..].Trim();
            if (key == BundleIdCaveat)
            {
                if (bundleGrants is null || !bundleGrants(value))
                {
                    throw new DsrsException(MarketErrorCodes.BundleDoesNotGrant, "the token was issued for a bundle that does not contain this manifest");
                }

                named = true;
                continue;
            }

            if (key is SubscriptionToken.LineCaveat or SubscriptionToken.ExpiresCaveat)
            {
                (key == SubscriptionToken.LineCaveat ? lines : expiries).Add(value);
                continue;
            }

            if (key != CompiledIdCaveat)
            {
                throw new DsrsException(MarketErrorCodes.TokenCaveatMismatch, $"the token carries a caveat this seller does not understand ({key})");
            }

            // Every compiled_id caveat must allow the request: added caveats can only narrow a token.
            if (!string.Equals(value, compiledId, StringComparison.Ordinal))
            {
                throw new DsrsException(MarketErrorCodes.TokenCaveatMismatch, "the token was issued for another manifest");
            }

            named = true;
        }

        if (lines.Count > 0 || expiries.Count > 0)
        {
            var claim = SubscriptionToken.Claim(lines, expiries);
            var refusal = subscriptionGrants is null
                ? new DsrsException(MarketErrorCodes.SubscriptionWrongLine, "the token is a subscription's and this seller sells no subscription for it here")
                : subscriptionGrants(claim);
            if (refusal is not null)
            {
                throw refusal;
            }

            named = true;
        }

        if (!named)
        {
            throw new DsrsException(MarketErrorCodes.TokenCaveatMismatch, "the token names no manifest");
        }

        var hash = SHA256.HashData(credential.Preimage);
        if (!CryptographicOperations.FixedTimeEquals(hash, identifier.PaymentHash))
        {
            throw new DsrsException(MarketErrorCodes.PreimageMismatch, "sha256(preimage) is not the payment hash the token commits to");
        }

        return identifier;
    }
}
