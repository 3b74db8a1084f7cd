using System.Globalization;
using ManifestBuild.Format;

namespace ManifestBuild.Market.L402;

/// <summary>What a subscription token's caveats say: the line it opens and the moment it expires (unix seconds).</summary>
public sealed record SubscriptionClaim(string Line, long ExpiresAt)
{
    public DateTimeOffset Expires => DateTimeOffset.FromUnixTimeSeconds(ExpiresAt);

    public bool IsActive(DateTimeOffset now) => now.ToUnixTimeSeconds() < ExpiresAt;
}

/// <summary>
/// A subscription's L402 token: a macaroon whose identifier commits to the payment hash, with the caveats
/// <c>line=&lt;line&gt;</c> and <c>expires=&lt;unix seconds&gt;</c>. It opens every version of that line the
/// seller published at or before the expiry, for good; a version published later needs a renewal. Caveats
/// only narrow: several <c>expires</c> caveats mean the earliest, several <c>line</c> caveats must agree.
/// </summary>
public static class SubscriptionToken
{
    public const string LineCaveat = "line";
    public const string ExpiresCaveat = "expires";

    /// <summary>Mints the token of one subscription invoice under the seller's root key.</summary>
    public static Macaroon Mint(ReadOnlySpan<byte> rootKey, string paymentHashHex, string line, long expiresAt, string? location = null)
    {
        var identifier = L402Identifier.Create(paymentHashHex);
        return Macaroon.Mint(rootKey, identifier.Encode(), location, [LineCaveat + "=" + line, ExpiresCaveat + "=" + expiresAt.ToString(CultureInfo.InvariantCulture)]);
    }

    /// <summary>
    /// The claim of a macaroon that has only line and expires caveats (what a buyer reads before paying and
    /// after, without the root key); null when it carries any other caveat or no line; throws DSRS0570 for
    /// lines that disagree and DSRS0503 for an expiry that is not a whole number.
    /// </summary>
    public static SubscriptionClaim? Read(Macaroon macaroon)
    {
        var lines = new List<string>();
        var expiries = new List<string>();
        foreach (var caveat in macaroon.Caveats)
        {
            var (key, value) = Split(caveat);
            switch (key)
            {
                case LineCaveat:
                    lines.Add(value);
                    break;
                case ExpiresCaveat:
                    expiries.Add(value);
                    break;
                default:
                    return null;
            }
        }

        return lines.Count == 0 ? null : Claim(lines, expiries);
    }

    /// <summary>The claim from a token's collected line and expires caveat values (the seller's check and the buyer's read).</summary>
    internal static SubscriptionClaim Claim(IReadOnlyList<string> lines, IReadOnlyList<string> expiries)
    {
        if (lines.Distinct(StringComparer.Ordinal).Count() != 1)
        {
            throw new DsrsException(MarketErrorCodes.SubscriptionWrongLine, "the token's line caveats do not name exactly one line");
        }

        if (expiries.Count == 0)
        {
            throw new DsrsException(MarketErrorCodes.TokenCaveatMismatch, "a subscription token must carry an expires caveat");
        }

        long earliest = long.MaxValue;
        foreach (var text in expiries)
        {
            if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var at))
            {
                throw new DsrsException(MarketErrorCodes.TokenCaveatMismatch, "the token's expires caveat is not a whole number of unix seconds");
            }

            earliest = Math.Min(earliest, at);
        }

        return new SubscriptionClaim(lines[0], earliest);
    }

    internal static (string Key, string Value) Split(string caveat)
    {
        var separator = caveat.IndexOf('=', StringComparison.Ordinal);
        return separator < 0 ? (caveat.Trim(), string.Empty) : (caveat[..separator].Trim(), caveat[(separator + 1)..].Trim());
    }
}
