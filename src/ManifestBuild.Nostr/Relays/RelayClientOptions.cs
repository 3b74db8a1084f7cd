using System.Net.WebSockets;

namespace ManifestBuild.Nostr.Relays;

/// <summary>Limits and identity for one relay connection. The defaults suit a build querying public relays.</summary>
public sealed record RelayClientOptions
{
    /// <summary>TCP + TLS + WebSocket handshake must finish within this.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>A single message (all its frames together) larger than this aborts the connection.</summary>
    public int MaxMessageBytes { get; init; } = 2 * 1024 * 1024;

    /// <summary>Messages buffered per subscription before the connection stops reading (backpressure).</summary>
    public int SubscriptionBufferSize { get; init; } = 1024;

    /// <summary>Unparseable messages tolerated on one connection before it is dropped.</summary>
    public int MaxProtocolErrors { get; init; } = 64;

    /// <summary>Key to answer NIP-42 AUTH challenges with; null: never authenticate.</summary>
    public NostrKeyPair? AuthKey { get; init; }

    /// <summary>Extra socket settings (proxy, certificates, headers).</summary>
    public Action<ClientWebSocketOptions>? ConfigureSocket { get; init; }

    public TimeSpan KeepAliveInterval { get; init; } = TimeSpan.FromSeconds(30);
}

/// <summary>The outcome of publishing one event to one relay.</summary>
public enum PublishStatus
{
    Accepted,

    /// <summary>The relay already had it: success.</summary>
    Duplicate,
    Blocked,
    RateLimited,
    Invalid,
    AuthRequired,
    Restricted,
    Pow,
    Muted,
    Error,

    /// <summary>OK false with no known prefix.</summary>
    Rejected,

    /// <summary>No OK before the deadline.</summary>
    Timeout,

    /// <summary>Could not connect, or the connection dropped before the OK.</summary>
    ConnectionFailed,
}

/// <summary>One relay's answer to a publish.</summary>
public sealed record PublishResult(Uri Relay, string EventId, PublishStatus Status, string Message)
{
    /// <summary>Accepted or already stored.</summary>
    public bool Success => Status is PublishStatus.Accepted or PublishStatus.Duplicate;

    /// <summary>What went wrong when the connection failed (none otherwise).</summary>
    public RelayErrorKind Error { get; init; }

    internal static PublishResult FromOk(Uri relay, RelayOkMessage ok)
    {
        var prefix = RelayMessagePrefix.Of(ok.Message);
        if (prefix == RelayMessagePrefix.Duplicate)
        {
            return new PublishResult(relay, ok.EventId, PublishStatus.Duplicate, ok.Message);
        }

        if (ok.Accepted)
        {
            return new PublishResult(relay, ok.EventId, PublishStatus.Accepted, ok.Message);
        }

        var status = prefix switch
        {
            RelayMessagePrefix.Blocked => PublishStatus.Blocked,
            RelayMessagePrefix.RateLimited => PublishStatus.RateLimited,
            RelayMessagePrefix.Invalid => PublishStatus.Invalid,
            RelayMessagePrefix.AuthRequired => PublishStatus.AuthRequired,
            RelayMessagePrefix.Restricted => PublishStatus.Restricted,
            RelayMessagePrefix.Pow => PublishStatus.Pow,
            RelayMessagePrefix.Mute => PublishStatus.Muted,
            RelayMessagePrefix.Error => PublishStatus.Error,
            _ => PublishStatus.Rejected,
        };
        return new PublishResult(relay, ok.EventId, status, ok.Message);
    }
}
