using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using ManifestBuild.Lightning.Nodes;

namespace ManifestBuild.Cli;

internal static class NodeCommands
{
    /// <summary>dsrs node check [--json]: reaches the configured node and prints what it says about itself.</summary>
    public static void AddTo(RootCommand root, CliContext context)
    {
        var json = CliOptions.Json("Print kind, node_id, network, alias and spendable_msat as one JSON object.");
        var check = new Command("check", $"Verify the configured Lightning node ({NodeConnectionString.Variable}, else \"node\" in $DSRS_HOME/config.json): reachable, its id, network and spendable balance. Never prints credentials.");
        check.Options.Add(json);
        check.SetAction(async (parseResult, cancellationToken) =>
        {
            var connection = NodeConnectionString.Resolve(context.Env, context.Home);
            await using var node = LightningNodeFactory.Create(connection, context.Home);
            var info = await node.GetInfoAsync(cancellationToken);
            await context.Out.WriteLineAsync(parseResult.GetValue(json) ? NodeCheckJson(node.Kind, info) : NodeCheckText(node.Kind, connection, info));
            return 0;
        });

        var command = new Command("node", "Inspect the Lightning node ManifestBuild pays through.");
        command.Subcommands.Add(check);
        root.Subcommands.Add(command);
    }

    private static string NodeCheckText(string kind, NodeConnection connection, NodeInfo info)
    {
        // Only non-secret facts: the endpoint's scheme, host and port, never a credential.
        var endpoint = connection.Server is { } server ? server.GetLeftPart(UriPartial.Authority)
            : connection.Relays.Count > 0 ? string.Join(", ", connection.Relays.Select(r => r.GetLeftPart(UriPartial.Authority)))
            : connection.Get("name") is { } name ? "dev node '" + name + "'" : "-";
        var lines = new[]
        {
            "node: reachable",
            $"kind: {kind}",
            $"endpoint: {endpoint}",
            $"node id: {(info.NodeIdHex.Length > 0 ? info.NodeIdHex : "(not reported by this kind of node)")}",
            $"network: {info.Network}",
            $"alias: {info.Alias ?? "-"}",
            $"spendable: {(info.SpendableMsat is { } msat ? msat.ToString(CultureInfo.InvariantCulture) + " msat" : "unknown")}",
        };
        return string.Join(Environment.NewLine, lines);
    }

    private static string NodeCheckJson(string kind, NodeInfo info)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("kind", kind);
            writer.WriteString("node_id", info.NodeIdHex);
            writer.WriteString("network", info.Network);
            if (info.Alias is null)
            {
                writer.WriteNull("alias");
            }
            else
            {
                writer.WriteString("alias", info.Alias);
            }

            if (info.SpendableMsat is { } msat)
            {
                writer.WriteNumber("spendable_msat", msat);
            }
            else
            {
                writer.WriteNull("spendable_msat");
            }

            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }
}
