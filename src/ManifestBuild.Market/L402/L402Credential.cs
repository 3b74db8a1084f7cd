using ManifestBuild.Format;

namespace ManifestBuild.Market.L402;

/// <summary>
/// An L402 credential: the token and the payment preimage, as sent in
/// <c>Authorization: L402 &lt;base64 macaroon&gt;:&lt;preimage hex&gt;</c> (the older scheme name LSAT is accepted).
/// </summary>
public sealed record L402Credential(Macaroon Macaroon, byte[] Preimage)
{
    public string PreimageHex => Hex.Encode(Preimage);

    public string ToAuthorizationHeader() => "L402 " + Macaroon.ToBase64() + ":" + PreimageHex;

    public static L402Credential From(string tokenBase64, string preimageHex)
    {
        // The cheap check first: a malformed preimage is reported as such whatever the token holds.
        var preimage = L402Hex.Decode32(preimageHex, "preimage");
        return new(Macaroon.FromBase64(tokenBase64), preimage);
    }

    /// <summary>Parses an Authorization header value. Throws DSRS0505 or DSRS0500 with the reason.</summary>
    public static L402Credential ParseAuthorization(string? headerValue)
    {
        var text = (headerValue ?? string.Empty).Trim();
        var space = text.IndexOf(' ', StringComparison.Ordinal);
        if (space <= 0)
        {
            throw Malformed("expected \"L402 <token>:<preimage>\"");
        }

        var scheme = text[..space];
        if (!scheme.Equals("L402", StringComparison.OrdinalIgnoreCase) && !scheme.Equals("LSAT", StringComparison.OrdinalIgnoreCase))
        {
            throw Malformed($"the scheme is {Printable(scheme)}, not L402 or LSAT");
        }

        var value = text[(space + 1)..].Trim();
        var colon = value.LastIndexOf(':');
        if (colon <= 0 || colon == value.Length - 1)
        {
            throw Malformed("the credential is not <token>:<preimage>");
        }

        // aperture accepts several comma-separated macaroons; a token here is a single macaroon.
        var token = value[..colon];
        if (token.Contains(',', StringComparison.Ordinal))
        {
            throw Malformed("only one macaroon per credential is accepted");
        }

        return From(token, value[(colon + 1)..]);
    }

    private static string Printable(string value) =>
        value.Length > 16 || value.Any(c => !char.IsAsciiLetterOrDigit(c)) ? "unrecognised" : value;

    private static DsrsException Malformed(string why) =>
        new(MarketErrorCodes.MalformedL402Header, "the Authorization header is not an L402 credential: " + why);
}
