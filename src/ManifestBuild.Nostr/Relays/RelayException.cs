using ManifestBuild.Format;

namespace ManifestBuild.Nostr.Relays;

/// <summary>What went wrong with one relay; the pool reports it per relay and carries on with the others.</summary>
public enum RelayErrorKind
{
    None,
    InvalidUrl,
    ConnectionRefused,
    DnsFailure,
    TlsFailure,
    ConnectTimeout,
    HandshakeFailed,
    ConnectionLost,
    MessageTooLarge,
    ProtocolError,
    Timeout,
    Flood,
    Closed,
    AuthRequired,
}

/// <summary>A failure of one relay connection, with its kind and the relay it concerns.</summary>
public sealed class RelayException : DsrsException
{
    public RelayException(string code, RelayErrorKind kind, Uri relay, string message, Exception? inner = null)
        : base(code, $"relay {relay}: {message}", inner)
    {
        Kind = kind;
        Relay = relay;
    }

    public RelayErrorKind Kind { get; }

    public Uri Relay { get; }

    internal static string CodeFor(RelayErrorKind kind) => kind switch
    {
        RelayErrorKind.InvalidUrl => NostrErrorCodes.InvalidRelayUrl,
        RelayErrorKind.ConnectionRefused or RelayErrorKind.DnsFailure or RelayErrorKind.TlsFailure
            or RelayErrorKind.ConnectTimeout or RelayErrorKind.HandshakeFailed => NostrErrorCodes.RelayConnectFailed,
        RelayErrorKind.MessageTooLarge => NostrErrorCodes.RelayMessageTooLarge,
        RelayErrorKind.ProtocolError => NostrErrorCodes.RelayProtocolError,
        RelayErrorKind.Timeout => NostrErrorCodes.RelayTimeout,
        RelayErrorKind.Flood => NostrErrorCodes.RelayFlood,
        RelayErrorKind.Closed => NostrErrorCodes.RelayRejected,
        RelayErrorKind.AuthRequired => NostrErrorCodes.RelayAuthRequired,
        _ => NostrErrorCodes.RelayConnectionLost,
    };
}

/// <summary>Relay URLs: ws:// or wss:// only, normalised so the same relay written twice is one relay.</summary>
public static class RelayUrl
{
    public static Uri Parse(string url)
    {
        if (!TryParse(url, out var uri, out var error))
        {
            throw new DsrsException(NostrErrorCodes.InvalidRelayUrl, $"relay URL '{url}' {error}");
        }

        return uri!;
    }

    public static bool TryParse(string? url, out Uri? uri, out string? error)
    {
        uri = null;
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
            error = "must not carry credentials";
            return false;
        }

        if (!string.IsNullOrEmpty(parsed.Fragment))
        {
            error = "must not have a fragment";
            return false;
        }

        // Scheme and host are case-insensitive; Uri lowercases them. A bare trailing '/' is the same relay.
        var text = parsed.GetComponents(UriComponents.SchemeAndServer | UriComponents.PathAndQuery, UriFormat.UriEscaped);
        if (parsed.AbsolutePath == "/" && string.IsNullOrEmpty(parsed.Query))
        {
            text = text.TrimEnd('/');
        }

        uri = new Uri(text);
        error = null;
        return true;
    }

    /// <summary>The relay URL as people write it: no trailing '/' on an empty path.</summary>
    public static string Format(Uri relay)
    {
        var text = relay.AbsoluteUri;
        return relay.AbsolutePath == "/" && string.IsNullOrEmpty(relay.Query) ? text.TrimEnd('/') : text;
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
}
