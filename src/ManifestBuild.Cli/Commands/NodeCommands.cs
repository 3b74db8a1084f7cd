using System.CommandLine;
using ManifestBuild.Lightning.Nodes;

using static ManifestBuild.Cli.Presenters.NodePresenter;

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
}
