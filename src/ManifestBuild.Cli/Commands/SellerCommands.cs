using System.CommandLine;
using System.Globalization;
using ManifestBuild.Format;
using ManifestBuild.Lightning.Nodes;
using ManifestBuild.Seller;

namespace ManifestBuild.Cli;

public static partial class Program
{
    /// <summary>dsrs serve: the seller's L402 delivery endpoint.</summary>
    static partial void AddSellerCommands(RootCommand root, CliContext context)
    {
        var manifests = new Option<DirectoryInfo>("--manifests") { Description = "The folder of manifests to sell (*.json; prices.json maps compiled_id to msat).", Required = true };
        var node = new Option<string>("--node") { Description = "Your node's connection string; default: DSRS_NODE or $DSRS_HOME/config.json." };
        var listen = new Option<string>("--listen") { Description = "IP:PORT to listen on (put a TLS reverse proxy in front for the public URL).", DefaultValueFactory = _ => "127.0.0.1:8402" };
        var price = new Option<long>("--price") { Description = "Price (msat) of manifests not in prices.json.", DefaultValueFactory = _ => 1000 };
        var rate = new Option<int>("--rate-limit") { Description = "Requests per client IP per minute.", DefaultValueFactory = _ => 120 };
        var command = new Command("serve", "Sell manifests over L402: 402 with an invoice and a token, the manifest for a paid credential.");
        foreach (var option in new Option[] { manifests, node, listen, price, rate })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (ParseResult r, CancellationToken ct) =>
        {
            var (host, port) = SellerParseListen(r.GetValue(listen)!);
            await using var lightning = r.GetValue(node) is { } conn ? LightningNodeFactory.Create(NodeConnectionString.Parse(conn), context.Home) : LightningNodeFactory.CreateConfigured(context.Env, context.Home);
            var info = await lightning.GetInfoAsync(ct);
            await using var server = await SellerServer.StartAsync(
                new SellerServerOptions
                {
                    ManifestsDirectory = r.GetValue(manifests)!.FullName,
                    Node = lightning,
                    Home = context.Home,
                    Host = host,
                    Port = port,
                    DefaultPriceMsat = r.GetValue(price),
                    RateLimitPerWindow = r.GetValue(rate),
                    Log = line => context.Error.WriteLine(line),
                },
                ct);
            await context.Out.WriteLineAsync($"serving {server.Catalog.Entries.Count} manifest(s) on {server.Url} through {lightning.Kind} node {info.NodeIdHex} ({info.Network})");
            foreach (var entry in server.Catalog.Entries.OrderBy(e => e.CompiledId, StringComparer.Ordinal))
            {
                await context.Out.WriteLineAsync($"  {server.ManifestUrl(entry.CompiledId)}  {entry.SignatureName}  {entry.PriceMsat.ToString(CultureInfo.InvariantCulture)} msat");
            }

            await context.Out.FlushAsync(ct);
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                await context.Out.WriteLineAsync("stopped");
            }

            return 0;
        });
        root.Subcommands.Add(command);
    }

    private static (string Host, int Port) SellerParseListen(string text)
    {
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535)
        {
            throw new DsrsException(SellerErrorCodes.InvalidOptions, "--listen must be IP:PORT, e.g. 127.0.0.1:8402");
        }

        return (text[..colon].Trim('[', ']'), port);
    }
}
