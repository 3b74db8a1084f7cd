using ManifestBuild.Format;

namespace ManifestBuild.Relay;

/// <summary>
/// How an <see cref="EmbeddedRelay"/> listens, where it keeps its events and the limits it enforces
/// (all advertised in its NIP-11 document). The defaults suit the demo and the tests: loopback only,
/// a free port, in memory, and limits large enough to serve 10,000 listings in one query.
/// </summary>
public sealed class EmbeddedRelayOptions
{
    /// <summary>An IP address or "localhost". Default: 127.0.0.1.</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>The TCP port; 0 lets the operating system pick a free one.</summary>
    public int Port { get; init; }

    /// <summary>A directory for the append-only event file; null keeps events in memory only.</summary>
    public string? DataPath { get; init; }

    /// <summary>Largest accepted client message (one WebSocket message), in bytes.</summary>
    public int MaxMessageBytes { get; init; } = 512 * 1024;

    /// <summary>Open subscriptions per connection; a REQ beyond that gets CLOSED.</summary>
    public int MaxSubscriptionsPerConnection { get; init; } = 32;

    /// <summary>Filters in one REQ; more gets CLOSED.</summary>
    public int MaxFiltersPerRequest { get; init; } = 16;

    /// <summary>Largest limit honoured per filter; a larger or absent limit is clamped to this.</summary>
    public int MaxLimit { get; init; } = 10_000;

    /// <summary>Longest subscription id (NIP-01 allows 64 characters).</summary>
    public int MaxSubscriptionIdLength { get; init; } = 64;

    /// <summary>Most tags on one event.</summary>
    public int MaxEventTags { get; init; } = 2_000;

    /// <summary>Longest event content, in UTF-16 code units.</summary>
    public int MaxContentLength { get; init; } = 256 * 1024;

    /// <summary>Queued outgoing bytes per connection before a client too slow to read is dropped.</summary>
    public long MaxQueuedBytesPerConnection { get; init; } = 64L * 1024 * 1024;

    /// <summary>The relay's name in its NIP-11 document.</summary>
    public string Name { get; init; } = "ManifestBuild embedded relay";

    /// <summary>The relay's description in its NIP-11 document.</summary>
    public string Description { get; init; } = "A local Nostr relay for ManifestBuild demos and tests.";

    internal void Validate()
    {
        Require(Port is >= 0 and <= 65535, $"port {Port} is not between 0 and 65535");
        Require(!string.IsNullOrWhiteSpace(Host), "the host is empty");
        Require(MaxMessageBytes >= 1024, $"MaxMessageBytes {MaxMessageBytes} is below 1024");
        Require(MaxSubscriptionsPerConnection >= 1, "MaxSubscriptionsPerConnection must be at least 1");
        Require(MaxFiltersPerRequest >= 1, "MaxFiltersPerRequest must be at least 1");
        Require(MaxLimit >= 1, "MaxLimit must be at least 1");
        Require(MaxSubscriptionIdLength >= 1, "MaxSubscriptionIdLength must be at least 1");
        Require(MaxEventTags >= 0, "MaxEventTags must not be negative");
        Require(MaxContentLength >= 0, "MaxContentLength must not be negative");
        Require(MaxQueuedBytesPerConnection >= MaxMessageBytes, "MaxQueuedBytesPerConnection must be at least MaxMessageBytes");
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new DsrsException(RelayErrorCodes.InvalidOptions, "embedded relay: " + message);
        }
    }
}
