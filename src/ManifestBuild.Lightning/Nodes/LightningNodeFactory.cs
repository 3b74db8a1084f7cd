using ManifestBuild.Format;

namespace ManifestBuild.Lightning.Nodes;

/// <summary>Turns a parsed connection into the adapter for that kind of node.</summary>
public static class LightningNodeFactory
{
    /// <summary>
    /// Creates the node. <paramref name="home"/> is $DSRS_HOME. A dev node without ledger= joins the
    /// shared dev network folder (<see cref="Dev.DevNode.DefaultNetworkDirectory"/>: $DSRS_DEVNET, else
    /// the system temp folder), read from <paramref name="environment"/> (default: the process environment).
    /// </summary>
    public static ILightningNode Create(NodeConnection connection, string home, NodeOptions? options = null, Func<string, string?>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return connection.Type switch
        {
            "lnd-rest" => LndRestNode.FromConnection(connection, options),
            "clightning-rest" => ClnRestNode.FromConnection(connection, options),
            "lnbits" => LnbitsNode.FromConnection(connection, options),
            "phoenixd" => PhoenixdNode.FromConnection(connection, options),
            "nwc" => NwcNode.FromConnection(connection, options),
            "dev" => Dev.DevNode.Open(
                connection.Require("name"),
                connection.Get("ledger") ?? Dev.DevNode.DefaultNetworkDirectory(environment ?? Environment.GetEnvironmentVariable),
                TimeSpan.FromMilliseconds(connection.Get("latency_ms") is { } ms ? long.Parse(ms, System.Globalization.CultureInfo.InvariantCulture) : 0)),
            _ => throw new DsrsException(NodeErrorCodes.UnknownNodeType, $"node type '{connection.Type}' has no adapter in this build"),
        };
    }

    /// <summary>The configured node (DSRS_NODE, else $DSRS_HOME/config.json), ready to use.</summary>
    public static ILightningNode CreateConfigured(Func<string, string?> environment, string home, NodeOptions? options = null) =>
        Create(NodeConnectionString.Resolve(environment, home), home, options, environment);
}
