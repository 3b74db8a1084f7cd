using ManifestBuild.Format;

namespace ManifestBuild.Lightning.Nodes;

/// <summary>Turns a parsed connection into the adapter for that kind of node.</summary>
public static class LightningNodeFactory
{
    /// <summary>
    /// Creates the node. <paramref name="home"/> is $DSRS_HOME (the dev node's default ledger lives
    /// there, in "devnet").
    /// </summary>
    public static ILightningNode Create(NodeConnection connection, string home, NodeOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return connection.Type switch
        {
            "lnd-rest" => LndRestNode.FromConnection(connection, options),
            "clightning-rest" => ClnRestNode.FromConnection(connection, options),
            "lnbits" => LnbitsNode.FromConnection(connection, options),
            "phoenixd" => PhoenixdNode.FromConnection(connection, options),
            "nwc" => NwcNode.FromConnection(connection, options),
            "dev" => Dev.DevNode.Open(connection.Require("name"), connection.Get("ledger") ?? Path.Combine(home, "devnet")),
            _ => throw new DsrsException(NodeErrorCodes.UnknownNodeType, $"node type '{connection.Type}' has no adapter in this build"),
        };
    }

    /// <summary>The configured node (DSRS_NODE, else $DSRS_HOME/config.json), ready to use.</summary>
    public static ILightningNode CreateConfigured(Func<string, string?> environment, string home, NodeOptions? options = null) =>
        Create(NodeConnectionString.Resolve(environment, home), home, options);
}
