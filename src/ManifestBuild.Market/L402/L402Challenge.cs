using System.Text;
using ManifestBuild.Format;

namespace ManifestBuild.Market.L402;

/// <summary>
/// The 402 challenge: <c>WWW-Authenticate: L402 version="0", token="&lt;b64&gt;", invoice="&lt;bolt11&gt;"</c>.
/// A seller sends it readable by both generations of clients (<see cref="ToHeaderValues"/>); parsing
/// accepts the <c>L402</c> and older <c>LSAT</c> schemes, <c>token=</c> and older <c>macaroon=</c>, and
/// several challenges in one header value (as HTTP stacks join repeated headers).
/// </summary>
public sealed record L402Challenge(string Token, string Invoice, string? Version = "0")
{
    public const string Scheme = "L402";
    public const string LegacyScheme = "LSAT";

    /// <summary>The scheme this challenge was read under (L402 or LSAT): the one the seller surely reads back.</summary>
    public string OfferedScheme { get; init; } = Scheme;

    /// <summary>The current spec's form alone: <c>L402 version="0", token="T", invoice="P"</c>.</summary>
    public string ToHeaderValue() => Current(withMacaroon: false);

    /// <summary>
    /// What a seller sends, as two WWW-Authenticate headers: <c>L402 version="0", token="T", macaroon="T", invoice="P"</c>
    /// (the current spec, plus <c>macaroon=</c> for L402 clients of the earlier revision) and
    /// <c>LSAT macaroon="T", invoice="P"</c> (clients from before the rename, such as lsat-js).
    /// Clients ignore parameters and challenges they do not know, so each generation finds its own.
    /// </summary>
    public IReadOnlyList<string> ToHeaderValues() => [Current(withMacaroon: true), $"{LegacyScheme} macaroon=\"{Token}\", invoice=\"{Invoice}\""];

    private string Current(bool withMacaroon)
    {
        var current = new StringBuilder(Scheme).Append(' ');
        if (Version is not null)
        {
            current.Append("version=\"").Append(Version).Append("\", ");
        }

        current.Append("token=\"").Append(Token).Append("\", ");
        if (withMacaroon)
        {
            current.Append("macaroon=\"").Append(Token).Append("\", ");
        }

        return current.Append("invoice=\"").Append(Invoice).Append('"').ToString();
    }

    /// <summary>Picks the L402 challenge among several header values, else an LSAT one.</summary>
    public static L402Challenge Parse(IEnumerable<string> headerValues)
    {
        var challenges = new List<(string Scheme, Dictionary<string, string> Parameters)>();
        DsrsException? malformed = null;
        foreach (var value in headerValues)
        {
            try
            {
                challenges.AddRange(ParseChallenges(value ?? string.Empty));
            }
            catch (DsrsException e)
            {
                malformed ??= e; // one garbled header must not hide a good one beside it
            }
        }

        DsrsException? incomplete = null;
        foreach (var scheme in new[] { Scheme, LegacyScheme })
        {
            foreach (var (name, parameters) in challenges.Where(c => c.Scheme.Equals(scheme, StringComparison.OrdinalIgnoreCase)))
            {
                var token = parameters.GetValueOrDefault("token") ?? parameters.GetValueOrDefault("macaroon");
                var invoice = parameters.GetValueOrDefault("invoice");
                if (string.IsNullOrEmpty(token) || string.IsNullOrEmpty(invoice))
                {
                    incomplete ??= Malformed("a token (or macaroon) and an invoice are both required");
                    continue;
                }

                return new L402Challenge(token, invoice, parameters.GetValueOrDefault("version")) { OfferedScheme = scheme };
            }
        }

        throw incomplete ?? malformed ?? (challenges.Count == 0 ? Malformed("the 402 answer has no WWW-Authenticate header") : Malformed("the scheme is not L402 or LSAT"));
    }

    public static L402Challenge Parse(string headerValue) => Parse([headerValue]);

    /// <summary>
    /// RFC 9110 §11.6.1 challenges: <c>scheme [ token68 / #auth-param ]</c>, comma separated; a token
    /// not followed by '=' starts the next challenge.
    /// </summary>
    private static List<(string Scheme, Dictionary<string, string> Parameters)> ParseChallenges(string text)
    {
        var result = new List<(string Scheme, Dictionary<string, string> Parameters)>();
        var i = 0;
        while (true)
        {
            SkipSeparators(text, ref i);
            if (i >= text.Length)
            {
                return result;
            }

            var name = ReadToken(text, ref i);
            var afterName = i;
            while (i < text.Length && text[i] == ' ')
            {
                i++;
            }

            if (i >= text.Length || text[i] != '=')
            {
                if (name.Length == 0)
                {
                    throw Malformed("an unexpected character");
                }

                result.Add((name, new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)));
                i = afterName;
                continue;
            }

            if (result.Count == 0)
            {
                throw Malformed("a parameter before any scheme");
            }

            i++;
            result[^1].Parameters.TryAdd(name, ReadValue(text, ref i));
        }
    }

    private static void SkipSeparators(string text, ref int i)
    {
        while (i < text.Length && (text[i] == ' ' || text[i] == ',' || text[i] == '\t'))
        {
            i++;
        }
    }

    private static string ReadToken(string text, ref int i)
    {
        var start = i;
        while (i < text.Length && text[i] is not ('=' or ',' or ' ' or '\t' or '"'))
        {
            i++;
        }

        return text[start..i];
    }

    private static string ReadValue(string text, ref int i)
    {
        while (i < text.Length && text[i] == ' ')
        {
            i++;
        }

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
            return builder.ToString();
        }

        var valueStart = i;
        while (i < text.Length && text[i] != ',')
        {
            i++;
        }

        return text[valueStart..i].Trim();
    }

    private static DsrsException Malformed(string why) =>
        new(MarketErrorCodes.MalformedL402Header, "the WWW-Authenticate header is not an L402 challenge: " + why);
}
