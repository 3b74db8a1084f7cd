using System.Text;

namespace ManifestBuild.Lightning.Nodes;

/// <summary>
/// A parsed, validated node connection string. It holds secrets (macaroon, rune, api key,
/// password, NWC secret), so <see cref="ToString"/> prints them as "***" and nothing else in
/// ManifestBuild prints <see cref="Get"/> values.
/// </summary>
public sealed class NodeConnection
{
    /// <summary>Keys whose values are secrets: never printed, logged or put in an exception message.</summary>
    public static readonly IReadOnlySet<string> SecretKeys = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "macaroon", "rune", "api-key", "password", "secret",
    };

    private readonly IReadOnlyDictionary<string, string> values;

    internal NodeConnection(string type, IReadOnlyDictionary<string, string> values, Uri? server, IReadOnlyList<Uri>? relays = null)
    {
        Type = type;
        this.values = values;
        Server = server;
        Relays = relays ?? [];
    }

    /// <summary>"lnd-rest", "clightning-rest", "lnbits", "phoenixd", "nwc" or "dev".</summary>
    public string Type { get; }

    /// <summary>The node's HTTP(S) base address (null for nwc and dev).</summary>
    public Uri? Server { get; }

    /// <summary>NWC only: the relays of the wallet service.</summary>
    public IReadOnlyList<Uri> Relays { get; }

    /// <summary>A setting by its (lowercase) key, or null. May be a secret: do not print it.</summary>
    public string? Get(string key) => values.TryGetValue(key, out var value) ? value : null;

    internal string Require(string key) => Get(key) ?? throw new InvalidOperationException("validated connection lacks " + key);

    /// <summary>The connection with every secret replaced by "***": safe to print.</summary>
    public override string ToString()
    {
        if (Type == "nwc")
        {
            var uri = new StringBuilder("nostr+walletconnect://").Append(Get("pubkey"));
            var separator = '?';
            foreach (var relay in Relays)
            {
                uri.Append(separator).Append("relay=").Append(Uri.EscapeDataString(relay.ToString()));
                separator = '&';
            }

            uri.Append(separator).Append("secret=***");
            return uri.ToString();
        }

        var text = new StringBuilder("type=").Append(Type);
        foreach (var (key, value) in values.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            text.Append(';').Append(key).Append('=').Append(SecretKeys.Contains(key) ? "***" : value);
        }

        return text.ToString();
    }
}
