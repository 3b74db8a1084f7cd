using ManifestBuild.Lightning.Nodes;

namespace ManifestBuild.Seller;

/// <summary>What <c>dsrs serve</c> sells, through which node, on which address, within which limits.</summary>
public sealed record SellerServerOptions
{
    /// <summary>Folder of manifest files (*.json); each is sold under its compiled_id.</summary>
    public required string ManifestsDirectory { get; init; }

    /// <summary>The seller's node: creates the invoices.</summary>
    public required ILightningNode Node { get; init; }

    /// <summary>$DSRS_HOME of the seller: holds the macaroon root key.</summary>
    public required string Home { get; init; }

    /// <summary>IP address to bind (loopback by default); a reverse proxy terminates TLS in production.</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>0 picks a free port.</summary>
    public int Port { get; init; }

    /// <summary>The price of a manifest with no entry in <see cref="Prices"/> (msat). Must be positive.</summary>
    public long DefaultPriceMsat { get; init; } = 1000;

    /// <summary>Per compiled_id prices (msat), e.g. from prices.json in the manifests folder.</summary>
    public IReadOnlyDictionary<string, long> Prices { get; init; } = new Dictionary<string, long>();

    public TimeSpan InvoiceExpiry { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Requests per client IP per window; beyond it, 429.</summary>
    public int RateLimitPerWindow { get; init; } = 120;

    public TimeSpan RateLimitWindow { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Invoices created per client IP per window (they cost the node work); beyond it, 429.</summary>
    public int InvoiceLimitPerWindow { get; init; } = 30;

    /// <summary>Limit on all request headers together.</summary>
    public int MaxRequestHeadersBytes { get; init; } = 16 * 1024;

    /// <summary>Called with each served request line and status (never credentials); optional.</summary>
    public Action<string>? Log { get; init; }
}
