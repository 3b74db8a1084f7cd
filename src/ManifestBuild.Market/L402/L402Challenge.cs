using System.Text;
using ManifestBuild.Format;

namespace ManifestBuild.Market.L402;

/// <summary>
/// The 402 challenge: <c>WWW-Authenticate: L402 version="0", token="&lt;b64&gt;", invoice="&lt;bolt11&gt;"</c>.
/// Parsing also accepts the older <c>LSAT</c> scheme and <c>macaroon=</c> parameter.
/// </summary>
public sealed record L402Challenge(string Token, string Invoice, string? Version = "0")
{
    public string ToHeaderValue()
    {
        var builder = new StringBuilder("L402 ");
        if (Version is not null)
        {
            builder.Append("version=\"").Append(Version).Append("\", ");
        }

        return builder.Append("token=\"").Append(Token).Append("\", invoice=\"").Append(Invoice).Append('"').ToString();
    }

    /// <summary>Picks the first L402/LSAT challenge among several header values.</summary>
    public static L402Challenge Parse(IEnumerable<string> headerValues)
    {
        DsrsException? last = null;
        foreach (var value in headerValues)
        {
            try
            {
                return Parse(value);
            }
            catch (DsrsException e)
            {
                last = e;
            }
        }

        throw last ?? Malformed("the 402 answer has no WWW-Authenticate header");
    }

    public static L402Challenge Parse(string headerValue)
    {
        var text = (headerValue ?? string.Empty).Trim();
        var space = text.IndexOf(' ', StringComparison.Ordinal);
        var scheme = space < 0 ? text : text[..space];
        if (!scheme.Equals("L402", StringComparison.OrdinalIgnoreCase) && !scheme.Equals("LSAT", StringComparison.OrdinalIgnoreCase))
        {
            throw Malformed("the scheme is not L402 or LSAT");
        }

        var parameters = ParseParameters(text[(space + 1)..]);
        var token = parameters.GetValueOrDefault("token") ?? parameters.GetValueOrDefault("macaroon");
        var invoice = parameters.GetValueOrDefault("invoice");
        if (string.IsNullOrEmpty(token) || string.IsNullOrEmpty(invoice))
        {
            throw Malformed("a token (or macaroon) and an invoice are both required");
        }

        return new L402Challenge(token, invoice, parameters.GetValueOrDefault("version"));
    }

    /// <summary>RFC 9110 auth-params: name=token or name="quoted string", comma separated.</summary>
    private static Dictionary<string, string> ParseParameters(string text)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var i = 0;
        while (i < text.Length)
        {
            while (i < text.Length && (text[i] == ' ' || text[i] == ',' || text[i] == '\t'))
            {
                i++;
            }

            if (i >= text.Length)
            {
                break;
            }

            var nameStart = i;
            while (i < text.Length && text[i] != '=' && text[i] != ',' && text[i] != ' ')
            {
                i++;
            }

            var name = text[nameStart..i];
            while (i < text.Length && text[i] == ' ')
            {
                i++;
            }

            if (i >= text.Length || text[i] != '=')
            {
                throw Malformed($"parameter without a value");
            }

            i++;
            while (i < text.Length && text[i] == ' ')
            {
                i++;
            }

            string value;
            if (i < text.Length && text[i] == '"')
            {
                var builder = new StringBuilder();
                i++;
                while (i < text.Length && text[i] != '"')
                {
                    if (text[i] == '\\' && i + 1 < text.Length)
                    {
                        i++;
                    }

                    builder.Append(text[i++]);
                }

                if (i >= text.Length)
                {
                    throw Malformed("an unterminated quoted value");
                }

                i++;
                value = builder.ToString();
            }
            else
            {
                var valueStart = i;
                while (i < text.Length && text[i] != ',')
                {
                    i++;
                }

                value = text[valueStart..i].Trim();
            }

            result.TryAdd(name, value);
        }

        return result;
    }

    private static DsrsException Malformed(string why) =>
        new(MarketErrorCodes.MalformedL402Header, "the WWW-Authenticate header is not an L402 challenge: " + why);
}
