using ManifestBuild.Lightning.Nodes;

namespace ManifestBuild.Seller;

/// <summary>What <c>dsrs serve</c> sells, through which node, on which address, within which limits.</summary>
public sealed record SellerServerOptions
{
    /// <summary>Folder of manifest files (*.json) and their prices.json; each manifest is sold under its compiled_id.</summary>
    public required string ManifestsDirectory { get; init; }

    /// <summary>The seller's node: creates the invoices.</summary>
    public required ILightningNode Node { get; init; }

    /// <summary>$DSRS_HOME of the seller: holds the macaroon root key.</summary>
    public required string Home { get; init; }

    /// <summary>IP address to bind (loopback by default); a reverse proxy terminates TLS in production.</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>0 picks a free port.</summary>
    public int Port { get; init; }

    /// <summary>Binding a non-loopback address must be asked for (<c>dsrs serve --public</c>).</summary>
    public bool AllowPublicBind { get; init; }

    /// <summary>
    /// For in-process hosts (tests, the demo) that build their listings from the same value: the price of
    /// a manifest with no price of its own. <c>dsrs serve</c> leaves it unset, so prices.json is the only price.
    /// </summary>
    public long? DefaultPriceMsat { get; init; }

    /// <summary>For in-process hosts, as <see cref="DefaultPriceMsat"/>: per compiled_id prices (msat) over prices.json.</summary>
    public IReadOnlyDictionary<string, long> Prices { get; init; } = new Dictionary<string, long>();

    /// <summary>How often the folder is looked at when no file-system event arrived (a backstop for missed events).</summary>
    public TimeSpan CatalogPollInterval { get; init; } = TimeSpan.FromSeconds(2);

    public TimeSpan InvoiceExpiry { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Requests per client address per window; beyond it, 429.</summary>
    public int RateLimitPerWindow { get; init; } = 120;

    public TimeSpan RateLimitWindow { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Invoices created per client address per window (they cost the node work); beyond it, 429.</summary>
    public int InvoiceLimitPerWindow { get; init; } = 30;

    /// <summary>Open connections per client address (IPv4 address or IPv6 /64); extra ones are closed at once.</summary>
    public int MaxConnectionsPerAddress { get; init; } = 32;

    /// <summary>Open connections in all (file descriptors are finite); far above one address's budget.</summary>
    public int MaxConnections { get; init; } = 8192;

    /// <summary>Time to send the request line and headers (a slow trickle is cut off here).</summary>
    public TimeSpan RequestHeadersTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Time an idle connection (before its first request, or between requests) is kept.</summary>
    public TimeSpan KeepAliveTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Limit on all request headers together.</summary>
    public int MaxRequestHeadersBytes { get; init; } = 16 * 1024;

    /// <summary>The clock a subscription token's expiry is minted from (its invoice's expiry plus the period); tests move it.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Called with each served request line, status and why (escaped, never credentials); optional.</summary>
    public Action<string>? Log { get; init; }
}
