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
