using System.Globalization;
using System.Net;
using System.Text.Json;
using ManifestBuild.Format;

namespace ManifestBuild.Lightning.Nodes;

/// <summary>
/// Parses node connection strings (protocol §5), in the style of BTCPayServer.Lightning:
/// <c>type=lnd-rest;server=https://...;macaroon=HEX</c>, ..., or a <c>nostr+walletconnect://</c> URI.
/// Every refusal names the key at fault and never echoes a value (values may be secrets).
/// </summary>
public static class NodeConnectionString
{
    /// <summary>The environment variable that holds the connection string; it wins over config.json.</summary>
    public const string Variable = "DSRS_NODE";

    private const string NwcScheme = "nostr+walletconnect://";

    private static readonly Dictionary<string, TypeRules> Rules = new(StringComparer.Ordinal)
    {
        ["lnd-rest"] = new(["server"], ["macaroon", "macaroonfilepath", "certthumbprint", "certfilepath", "allowinsecure"]),
        ["clightning-rest"] = new(["server", "rune"], ["certthumbprint", "certfilepath", "allowinsecure"]),
        ["lnbits"] = new(["server", "api-key"], ["allowinsecure", "reserve-fee-min-msat", "reserve-fee-percent", "service-fee-percent", "service-fee-max-sat", "network"]),
        ["phoenixd"] = new(["server", "password"], ["allowinsecure"]),
        ["dev"] = new(["name"], ["ledger", "latency_ms"]),
    };

    /// <summary>Parses and validates a connection string; throws DsrsException naming the bad key.</summary>
    public static NodeConnection Parse(string connectionString)
    {
        var text = connectionString?.Trim() ?? string.Empty;
        if (text.Length == 0)
        {
            throw new DsrsException(NodeErrorCodes.MalformedConnectionString, "the node connection string is empty");
        }

        if (text.StartsWith(NwcScheme, StringComparison.OrdinalIgnoreCase))
        {
            return ParseNwc(text[NwcScheme.Length..]);
        }

        var values = SplitPairs(text);
        if (!values.Remove("type", out var type))
        {
            throw new DsrsException(NodeErrorCodes.MissingKey, "the node connection string has no 'type' key (lnd-rest, clightning-rest, lnbits, phoenixd, dev) and is not a nostr+walletconnect:// URI");
        }

        type = type.ToLowerInvariant();
        if (!Rules.TryGetValue(type, out var rules))
        {
            throw new DsrsException(NodeErrorCodes.UnknownNodeType, $"unknown node type in key 'type': expected lnd-rest, clightning-rest, lnbits, phoenixd, dev, or a nostr+walletconnect:// URI");
        }

        foreach (var key in values.Keys)
        {
            if (!rules.Required.Contains(key) && !rules.Optional.Contains(key))
            {
                throw new DsrsException(NodeErrorCodes.UnknownKey, $"{KeyName(key)} is not accepted for type={type} (accepted: {string.Join(", ", rules.Required.Concat(rules.Optional))})");
            }
        }

        foreach (var key in rules.Required)
        {
            if (!values.TryGetValue(key, out var value) || value.Length == 0)
            {
                throw new DsrsException(NodeErrorCodes.MissingKey, $"type={type} requires key '{key}'");
            }
        }

        var server = values.ContainsKey("server") ? ValidateServer(values) : null;
        switch (type)
        {
            case "lnd-rest":
                ValidateLnd(values);
                break;
            case "clightning-rest":
                ValidateCertificatePin(values);
                break;
            case "lnbits":
                ValidateLnbits(values);
                break;
            case "dev" when values.TryGetValue("latency_ms", out var latency)
                && (!long.TryParse(latency, NumberStyles.None, CultureInfo.InvariantCulture, out var ms) || ms > (long)Dev.DevNode.MaxLatency.TotalMilliseconds):
                throw new DsrsException(NodeErrorCodes.MalformedValue, $"key 'latency_ms' must be a whole number of milliseconds from 0 to {Dev.DevNode.MaxLatency.TotalMilliseconds:0}");
        }

        return new NodeConnection(type, values, server);
    }

    /// <summary>
    /// The configured node: DSRS_NODE first, else <c>{"node": "..."}</c> in $DSRS_HOME/config.json.
    /// Throws DSRS0436 when neither configures one.
    /// </summary>
    public static NodeConnection Resolve(Func<string, string?> environment, string home) =>
        TryResolve(environment, home) ?? throw new DsrsException(
            NodeErrorCodes.NoNodeConfigured,
            $"no Lightning node is configured: set {Variable} or put {{\"node\": \"<connection string>\"}} in {Path.Combine(home, "config.json")}");

    /// <summary>Like <see cref="Resolve"/>, but null when no node is configured at all.</summary>
    public static NodeConnection? TryResolve(Func<string, string?> environment, string home)
    {
        var fromEnvironment = environment(Variable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            return Parse(fromEnvironment);
        }

        var configPath = Path.Combine(home, "config.json");
        if (!File.Exists(configPath))
        {
            return null;
        }

        string? node;
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(configPath));
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new DsrsException(NodeErrorCodes.BadConfigFile, $"{configPath} must hold a JSON object");
            }

            if (!document.RootElement.TryGetProperty("node", out var nodeElement) || nodeElement.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            if (nodeElement.ValueKind != JsonValueKind.String)
            {
                throw new DsrsException(NodeErrorCodes.BadConfigFile, $"\"node\" in {configPath} must be a string (a node connection string)");
            }

            node = nodeElement.GetString();
        }
        catch (JsonException e)
        {
            // The exception's own message could quote the file; report only the position.
            throw new DsrsException(NodeErrorCodes.BadConfigFile, $"{configPath} is not valid JSON (line {e.LineNumber + 1})");
        }
        catch (IOException e)
        {
            throw new DsrsException(NodeErrorCodes.BadConfigFile, $"{configPath} cannot be read: {e.GetType().Name}");
        }
        catch (UnauthorizedAccessException)
        {
            throw new DsrsException(NodeErrorCodes.BadConfigFile, $"{configPath} cannot be read: access denied");
        }

        return string.IsNullOrWhiteSpace(node) ? null : Parse(node);
    }

    private static Dictionary<string, string> SplitPairs(string text)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var segments = text.Split(';');
        for (var i = 0; i < segments.Length; i++)
        {
            var segment = segments[i].Trim();
            if (segment.Length == 0)
            {
                continue;
            }

            var equals = segment.IndexOf('=');
            if (equals <= 0)
            {
                throw new DsrsException(NodeErrorCodes.MalformedConnectionString, $"segment {i + 1} of the node connection string is not key=value");
            }

            var key = segment[..equals].Trim().ToLowerInvariant();
            if (!values.TryAdd(key, segment[(equals + 1)..].Trim()))
            {
                throw new DsrsException(NodeErrorCodes.ConflictingKeys, $"{KeyName(key)} appears more than once in the node connection string");
            }
        }

        return values;
    }

    private static Uri ValidateServer(Dictionary<string, string> values)
    {
        if (!Uri.TryCreate(values["server"], UriKind.Absolute, out var server) || (server.Scheme != Uri.UriSchemeHttps && server.Scheme != Uri.UriSchemeHttp))
        {
            throw new DsrsException(NodeErrorCodes.MalformedValue, "key 'server' must be an absolute http(s) URL");
        }

        if (server.UserInfo.Length > 0)
        {
            throw new DsrsException(NodeErrorCodes.MalformedValue, "key 'server' must not carry credentials in the URL; use the type's own credential key");
        }

        // A query (e.g. ?api-key=...) never reaches the node (request paths replace it) and would be
        // printed wherever the server is named: refused, without echoing it.
        if (server.Query.Length > 0 || server.Fragment.Length > 0)
        {
            throw new DsrsException(NodeErrorCodes.MalformedValue, "key 'server' must not carry a query string or fragment; put a credential in the type's own key (api-key, password, rune, macaroon)");
        }

        var allowInsecure = false;
        if (values.TryGetValue("allowinsecure", out var flag))
        {
            allowInsecure = flag.ToLowerInvariant() switch
            {
                "true" => true,
                "false" => false,
                _ => throw new DsrsException(NodeErrorCodes.MalformedValue, "key 'allowinsecure' must be true or false"),
            };
        }

        if (server.Scheme == Uri.UriSchemeHttp && !allowInsecure && !IsLoopback(server))
        {
            throw new DsrsException(NodeErrorCodes.InsecureServer, "key 'server' uses plain http to a non-loopback host: the credentials would travel in clear; use https or add allowinsecure=true");
        }

        // A base path (e.g. behind a reverse proxy) is kept; make it end with '/' so relative paths append.
        return server.AbsolutePath.EndsWith('/') ? server : new Uri(server + "/");
    }

    private static bool IsLoopback(Uri server) =>
        server.IsLoopback || (IPAddress.TryParse(server.DnsSafeHost, out var address) && IPAddress.IsLoopback(address));

    private static void ValidateLnd(Dictionary<string, string> values)
    {
        var hasInline = values.TryGetValue("macaroon", out var macaroon);
        var hasFile = values.ContainsKey("macaroonfilepath");
        if (hasInline && hasFile)
        {
            throw new DsrsException(NodeErrorCodes.ConflictingKeys, "give either 'macaroon' or 'macaroonfilepath', not both");
        }

        if (!hasInline && !hasFile)
        {
            throw new DsrsException(NodeErrorCodes.MissingKey, "type=lnd-rest requires key 'macaroon' (hex) or 'macaroonfilepath'");
        }

        if (hasInline && !Hex.IsHexBytes(macaroon))
        {
            throw new DsrsException(NodeErrorCodes.MalformedValue, "key 'macaroon' must be the macaroon in hex");
        }

        if (hasFile && values["macaroonfilepath"].Length == 0)
        {
            throw new DsrsException(NodeErrorCodes.MalformedValue, "key 'macaroonfilepath' is empty");
        }

        ValidateCertificatePin(values);
    }

    private static void ValidateCertificatePin(Dictionary<string, string> values)
    {
        var hasThumbprint = values.TryGetValue("certthumbprint", out var thumbprint);
        if (hasThumbprint && values.ContainsKey("certfilepath"))
        {
            throw new DsrsException(NodeErrorCodes.ConflictingKeys, "give either 'certthumbprint' or 'certfilepath', not both");
        }

        if (hasThumbprint)
        {
            var hex = thumbprint!.Replace(":", string.Empty, StringComparison.Ordinal);
            if (!Hex.IsHex(hex, 32))
            {
                throw new DsrsException(NodeErrorCodes.MalformedValue, "key 'certthumbprint' must be the certificate's SHA-256 thumbprint: 64 hex digits (colons allowed)");
            }

            values["certthumbprint"] = hex.ToLowerInvariant();
        }

        if (values.TryGetValue("certfilepath", out var path) && path.Length == 0)
        {
            throw new DsrsException(NodeErrorCodes.MalformedValue, "key 'certfilepath' is empty");
        }
    }

    private static void ValidateLnbits(Dictionary<string, string> values)
    {
        if (values.TryGetValue("reserve-fee-min-msat", out var min) && (!long.TryParse(min, NumberStyles.None, CultureInfo.InvariantCulture, out var parsedMin) || parsedMin < 0))
        {
            throw new DsrsException(NodeErrorCodes.MalformedValue, "key 'reserve-fee-min-msat' must be a non-negative whole number of millisatoshis");
        }

        if (values.TryGetValue("reserve-fee-percent", out var percent)
            && (!decimal.TryParse(percent, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var parsedPercent) || parsedPercent < 0 || parsedPercent > 100))
        {
            throw new DsrsException(NodeErrorCodes.MalformedValue, "key 'reserve-fee-percent' must be a number between 0 and 100");
        }

        if (values.TryGetValue("service-fee-percent", out var service)
            && (!decimal.TryParse(service, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var parsedService) || parsedService < 0 || parsedService > 100))
        {
            throw new DsrsException(NodeErrorCodes.MalformedValue, "key 'service-fee-percent' must be a number between 0 and 100");
        }

        if (values.TryGetValue("service-fee-max-sat", out var serviceMax) && (!long.TryParse(serviceMax, NumberStyles.None, CultureInfo.InvariantCulture, out var parsedMax) || parsedMax < 0))
        {
            throw new DsrsException(NodeErrorCodes.MalformedValue, "key 'service-fee-max-sat' must be a non-negative whole number of satoshis");
        }

        if (values.TryGetValue("network", out var network) && network.ToLowerInvariant() is not ("bitcoin" or "testnet" or "signet" or "regtest"))
        {
            throw new DsrsException(NodeErrorCodes.MalformedValue, "key 'network' must be bitcoin, testnet, signet or regtest");
        }
    }

    private static NodeConnection ParseNwc(string rest)
    {
        var question = rest.IndexOf('?');
        var pubkey = (question < 0 ? rest : rest[..question]).TrimEnd('/').ToLowerInvariant();
        if (!Hex.IsLowerHex(pubkey, 32))
        {
            throw new DsrsException(NodeErrorCodes.MalformedValue, "the nostr+walletconnect:// URI must name the wallet service's 32-byte hex public key after the scheme");
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal) { ["pubkey"] = pubkey };
        var relays = new List<Uri>();
        var query = question < 0 ? string.Empty : rest[(question + 1)..];
        foreach (var part in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = part.IndexOf('=');
            var key = Uri.UnescapeDataString(equals < 0 ? part : part[..equals]).ToLowerInvariant();
            var value = equals < 0 ? string.Empty : Uri.UnescapeDataString(part[(equals + 1)..].Replace('+', ' '));
            switch (key)
            {
                case "relay":
                    if (!Nostr.Relays.RelayUrl.TryParse(value, out var relay, out var why))
                    {
                        throw new DsrsException(NodeErrorCodes.MalformedValue, "parameter 'relay' of the nostr+walletconnect:// URI " + why);
                    }

                    relays.Add(relay);
                    break;
                case "secret":
                case "lud16":
                    if (!values.TryAdd(key, value))
                    {
                        throw new DsrsException(NodeErrorCodes.ConflictingKeys, $"parameter '{key}' appears more than once in the nostr+walletconnect:// URI");
                    }

                    break;
                default:
                    // NIP-47 wallets may add parameters; the wallet generated this URI, so unknown ones are ignored.
                    break;
            }
        }

        if (relays.Count == 0)
        {
            throw new DsrsException(NodeErrorCodes.MissingKey, "the nostr+walletconnect:// URI requires at least one 'relay' parameter");
        }

        if (!values.TryGetValue("secret", out var secret))
        {
            throw new DsrsException(NodeErrorCodes.MissingKey, "the nostr+walletconnect:// URI requires the 'secret' parameter");
        }

        if (!Hex.IsHex(secret, 32))
        {
            throw new DsrsException(NodeErrorCodes.MalformedValue, "parameter 'secret' of the nostr+walletconnect:// URI must be 32 bytes in hex");
        }

        values["secret"] = secret.ToLowerInvariant();
        return new NodeConnection("nwc", values, null, relays);
    }

    /// <summary>
    /// A key is named when it is some node type's key or reads like one (a typo: letters and '-'/'_'
    /// only, short); anything with digits or longer may be a pasted secret and is not printed.
    /// </summary>
    private static string KeyName(string key) =>
        key == "type" || Rules.Values.Any(r => r.Required.Contains(key) || r.Optional.Contains(key))
            || (key.Length <= 24 && key.All(c => c is (>= 'a' and <= 'z') or '-' or '_'))
            ? $"key '{key}'"
            : "a key that no node type knows (not printed: it may be a pasted secret)";

    private sealed record TypeRules(string[] Required, string[] Optional);
}
