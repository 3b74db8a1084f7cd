using System.Globalization;
using System.Text.Json;
using ManifestBuild.Lightning.Nodes;

namespace ManifestBuild.Cli.Presenters;

/// <summary>How `dsrs node check` shows what the node says about itself (never a credential), as text or JSON.</summary>
internal static class NodePresenter
{
    internal static string NodeCheckText(string kind, NodeConnection connection, NodeInfo info)
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

    internal static string NodeCheckJson(string kind, NodeInfo info)
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
