using System.Globalization;
using ManifestBuild.Lightning.Nodes;
using ManifestBuild.Seller;

namespace ManifestBuild.Cli.Presenters;

/// <summary>How `dsrs serve` says what it serves (the line tests and scripts wait for starts "serving ") and that it stopped.</summary>
internal static class SellerPresenter
{
    public static async Task WriteServingAsync(TextWriter output, SellerServer server, string nodeKind, NodeInfo info, CancellationToken ct)
    {
        var catalog = server.Catalog;
        await output.WriteLineAsync($"serving {catalog.Entries.Count} manifest(s) on {server.Url} through {nodeKind} node {info.NodeIdHex} ({info.Network}); health at {new Uri(server.Url, "health")}");
        foreach (var entry in catalog.Entries.OrderBy(e => e.CompiledId, StringComparer.Ordinal))
        {
            await output.WriteLineAsync($"  {server.ManifestUrl(entry.CompiledId)}  {entry.SignatureName}  {entry.PriceMsat.ToString(CultureInfo.InvariantCulture)} msat ({entry.PriceSource})");
        }

        await output.FlushAsync(ct);
    }

    public static Task WriteStoppedAsync(TextWriter output) => output.WriteLineAsync("stopped");
}
