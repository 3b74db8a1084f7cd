using System.CommandLine;
using System.Globalization;
using ManifestBuild.Cli.Presenters;
using ManifestBuild.Format;
using ManifestBuild.Lightning.Nodes;
using ManifestBuild.Seller;

namespace ManifestBuild.Cli;

internal static class SellerCommands
{
    /// <summary>dsrs serve: the seller's L402 delivery endpoint.</summary>
    public static void AddTo(RootCommand root, CliContext context)
    {
        var manifests = new Option<DirectoryInfo>("--manifests") { Description = "The seller's catalog: the folder of manifests to sell (*.json) and their prices.json ({\"<compiled_id>\": msat, \"default\": msat}). Changes are picked up while serving.", Required = true };
        var node = new Option<string>("--node") { Description = "Your node's connection string; default: DSRS_NODE or $DSRS_HOME/config.json." };
        var listen = new Option<string>("--listen") { Description = "IP:PORT to listen on (loopback unless --public; put a TLS reverse proxy in front for the public URL).", DefaultValueFactory = _ => "127.0.0.1:8402" };
        var isPublic = new Option<bool>("--public") { Description = "Allow a non-loopback --listen address (e.g. 0.0.0.0:8402): the server is then reachable from other machines." };
        var price = CliOptions.Msat("--price", "Not accepted: prices live in prices.json, the one place dsrs publish also reads.");
        price.Hidden = true;
        var rate = CliOptions.Count("--rate-limit", "Requests per client address per minute.", 1, 1_000_000, 120);
        var connections = CliOptions.Count("--max-connections-per-address", "Open connections per client address (IPv6: per /64); extra ones are closed at once.", 1, 65_535, 32);
        var command = new Command("serve", "Sell manifests over L402: 402 with an invoice and a token, the manifest for a paid credential.");
        foreach (var option in new Option[] { manifests, node, listen, isPublic, price, rate, connections })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (ParseResult r, CancellationToken ct) =>
        {
            var folder = r.GetValue(manifests)!.FullName;
            (string Host, int Port) bind;
            try
            {
                if (r.GetValue(price) is not null)
                {
                    throw new DsrsException(SellerErrorCodes.InvalidOptions, $"dsrs serve takes no --price: write it in {Path.Combine(folder, ManifestCatalog.PricesFileName)} (\"<compiled_id>\": msat, or \"{ManifestCatalog.DefaultPriceMember}\": msat), the one place dsrs publish lists prices from");
                }

                bind = SellerParseListen(r.GetValue(listen)!, r.GetValue(isPublic));
            }
            catch (DsrsException e)
            {
                await context.Error.WriteLineAsync(e.ToString());
                return 2; // a usage error: nothing was started
            }

            await using var lightning = r.GetValue(node) is { } conn ? LightningNodeFactory.Create(NodeConnectionString.Parse(conn), context.Home) : LightningNodeFactory.CreateConfigured(context.Env, context.Home);
            var info = await lightning.GetInfoAsync(ct);
            await using var server = await SellerServer.StartAsync(
                new SellerServerOptions
                {
                    ManifestsDirectory = folder,
                    Node = lightning,
                    Home = context.Home,
                    Host = bind.Host,
                    Port = bind.Port,
                    AllowPublicBind = r.GetValue(isPublic),
                    RateLimitPerWindow = r.GetValue(rate),
                    MaxConnectionsPerAddress = r.GetValue(connections),
                    Log = line => context.Error.WriteLine(line),
                },
                ct);
            var catalog = server.Catalog;
            await SellerPresenter.WriteServingAsync(context.Out, server, lightning.Kind, info, ct);
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                await SellerPresenter.WriteStoppedAsync(context.Out);
            }

            return 0;
        });
        root.Subcommands.Add(command);
    }

    /// <summary>IP:PORT; an address other machines can reach needs --public.</summary>
    private static (string Host, int Port) SellerParseListen(string text, bool allowPublic)
    {
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535)
        {
            throw new DsrsException(SellerErrorCodes.InvalidOptions, "--listen must be IP:PORT, e.g. 127.0.0.1:8402");
        }

        var host = text[..colon].Trim('[', ']');
        SellerServer.ListenAddress(host, allowPublic);
        return (host, port);
    }
}
