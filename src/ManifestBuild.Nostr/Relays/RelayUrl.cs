using ManifestBuild.Format;

namespace ManifestBuild.Nostr.Relays;

/// <summary>
/// The one relay-URL check: ws:// or wss:// only, no credentials, no fragment, and one normal form so
/// the same relay written twice is one relay (in the pool, the lockfile and the reports). The normal
/// form follows what NIP-65 clients (nostr-tools' normalizeURL) do: scheme and host lowercase, the
/// default port dropped, repeated '/' collapsed and a trailing '/' dropped; the query is kept as given.
/// </summary>
public static class RelayUrl
{
    /// <summary>The normalised relay; DSRS0341 for credentials, DSRS0330 for anything else that is not a relay URL.</summary>
    public static Uri Parse(string url)
    {
        if (!TryParse(url, out var uri, out var error, out var code))
        {
            throw new DsrsException(code, $"relay URL '{UntrustedText.Neutralise(WithoutCredentials(url), 200)}' {error}");
        }

        return uri;
    }

    public static bool TryParse(string? url, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Uri? uri, out string? error) =>
        TryParse(url, out uri, out error, out _);

    /// <summary>The normal text form of a relay URL, as the lockfile stores it.</summary>
    public static string Normalize(string url) => Format(Parse(url));

    /// <summary>The relay URL as people (and NIP-65 lists) write it: no trailing '/'.</summary>
    public static string Format(Uri relay)
    {
        var text = relay.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped).TrimEnd('/');
        return string.IsNullOrEmpty(relay.Query) ? text : text + relay.Query;
    }

    /// <summary>The NIP-11 document's http(s) URL for a relay's ws(s) URL.</summary>
    public static Uri ToHttp(Uri relay)
    {
        var builder = new UriBuilder(relay) { Scheme = relay.Scheme == "wss" ? "https" : "http" };
        if (builder.Port == (relay.Scheme == "wss" ? 443 : 80))
        {
            builder.Port = -1;
        }

        return builder.Uri;
    }

    private static bool TryParse(string? url, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Uri? uri, out string? error, out string code)
    {
        uri = null;
        code = NostrErrorCodes.InvalidRelayUrl;
        if (string.IsNullOrWhiteSpace(url) || !Uri.TryCreate(url.Trim(), UriKind.Absolute, out var parsed))
        {
            error = "is not an absolute URL";
            return false;
        }

        if (parsed.Scheme != "ws" && parsed.Scheme != "wss")
        {
            error = "must use ws:// or wss://";
            return false;
        }

        if (!string.IsNullOrEmpty(parsed.UserInfo))
        {
            // Credentials in a relay URL would be sent along and written into dsrs.lock.json.
            code = NostrErrorCodes.RelayUrlCredentials;
            error = "must not carry credentials (user:password@)";
            return false;
        }

        if (!string.IsNullOrEmpty(parsed.Fragment) || url.Contains('#', StringComparison.Ordinal))
        {
            error = "must not have a fragment";
            return false;
        }

        // Uri lowercases scheme and host and omits the scheme's default port (80 for ws, 443 for wss).
        var path = parsed.AbsolutePath;
        while (path.Contains("//", StringComparison.Ordinal))
        {
            path = path.Replace("//", "/", StringComparison.Ordinal);
        }

        var text = parsed.GetComponents(UriComponents.SchemeAndServer, UriFormat.UriEscaped) + path.TrimEnd('/') + parsed.Query;
        uri = new Uri(text);
        error = null;
        return true;
    }

    /// <summary>The text with any user-info removed, so a refusal never echoes a password.</summary>
    private static string WithoutCredentials(string? url)
    {
        var text = url ?? string.Empty;
        var scheme = text.IndexOf("://", StringComparison.Ordinal);
        var at = text.IndexOf('@', StringComparison.Ordinal);
        var slash = scheme < 0 ? -1 : text.IndexOf('/', scheme + 3);
        return scheme >= 0 && at > scheme && (slash < 0 || at < slash) ? text[..(scheme + 3)] + "***@" + text[(at + 1)..] : text;
    }
}
