using System.CommandLine;
using ManifestBuild.Cli.Presenters;
using ManifestBuild.Format;
using ManifestBuild.Format.Bundles;
using ManifestBuild.Format.Json;
using ManifestBuild.Lightning.Nodes;
using ManifestBuild.Market;
using ManifestBuild.Market.Listings;
using ManifestBuild.Nostr;
using ManifestBuild.Seller;

namespace ManifestBuild.Cli;

internal static partial class MarketCommands
{
    /// <summary>dsrs bundle create | publish: a seller's set of manifests sold for one price (docs/protocol-extensions.md §2).</summary>
    private static Command MarketBundleCommand(CliContext context)
    {
        var command = new Command("bundle", "Create a dsrs.bundle/1 document in your catalog, or publish its listing (one price for every member).");
        command.Subcommands.Add(BundleCreateCommand(context));
        command.Subcommands.Add(BundlePublishCommand(context));
        return command;
    }

    private static Command BundleCreateCommand(CliContext context)
    {
        var files = new Argument<FileInfo[]>("manifests") { Description = "The member manifests (each verified).", Arity = ArgumentArity.OneOrMore };
        var name = new Option<string>("--name") { Description = "The bundle's name, e.g. rust-systems (what buyers declare).", Required = true };
        var description = new Option<string>("--description") { Description = "One line saying what the bundle is for." };
        var catalog = new Option<DirectoryInfo>("--catalog") { Description = "The folder `dsrs serve --manifests` sells from; default: the first manifest's folder." };
        var command = new Command("create", "Write <catalog>/<name>.bundle.json for these manifests and print its bundle_id (price it in prices.json).");
        command.Arguments.Add(files);
        command.Options.Add(name);
        command.Options.Add(description);
        command.Options.Add(catalog);
        command.SetAction(async (ParseResult r, CancellationToken ct) =>
        {
            var members = r.GetValue(files)!.Select(f => Manifest.Load(f.FullName).VerifyCompiledId()).ToList();
            var bundle = BundleDocument.Create(r.GetValue(name)!, members, r.GetValue(description));
            var folder = r.GetValue(catalog)?.FullName ?? r.GetValue(files)![0].DirectoryName!;
            var path = Path.Combine(folder, bundle.Name + ManifestCatalog.BundleFileSuffix);
            AtomicFile.WriteAllText(path, JsonWriter.WriteFile(bundle.Json));
            await BundlePresenter.WriteCreatedAsync(context.Out, bundle, path, Path.Combine(folder, ManifestCatalog.PricesFileName));
            return 0;
        });
        return command;
    }

    private static Command BundlePublishCommand(CliContext context)
    {
        var file = new Argument<FileInfo>("bundle") { Description = "The <name>.bundle.json document in your catalog." };
        var relays = MarketRelayOption();
        var price = CliOptions.Msat("--price", "Checked against the price your catalog (prices.json) charges for the bundle, which is the price listed.");
        var l402 = CliOptions.HttpUrl("--l402", "Your `dsrs serve` base URL (https).");
        l402.Required = true;
        var catalog = new Option<DirectoryInfo>("--catalog") { Description = "The folder `dsrs serve --manifests` sells from; default: the bundle file's folder." };
        var nodeId = new Option<string>("--node-id") { Description = "Your Lightning node id (66 hex); default: asked from the configured node." };
        var command = new Command("publish", "Sign the bundle's kind 31990 listing (d dsrs-bundle:<bundle_id>, an x tag per member) and send it to every relay.");
        command.Arguments.Add(file);
        foreach (var option in new Option[] { relays, price, l402, catalog, nodeId })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (ParseResult r, CancellationToken ct) =>
        {
            var document = BundleDocument.Load(r.GetValue(file)!.FullName);
            var sold = ManifestCatalog.Load(r.GetValue(catalog)?.FullName ?? r.GetValue(file)!.DirectoryName!);
            var bundle = sold.ForBundleListing(document.BundleId, r.GetValue(price));
            var node = r.GetValue(nodeId);
            if (string.IsNullOrEmpty(node))
            {
                await using var configured = LightningNodeFactory.CreateConfigured(context.Env, context.Home);
                node = (await configured.GetInfoAsync(ct)).NodeIdHex;
            }

            // The members' domains become the bundle's topic tags, so a domain search finds it.
            var domains = bundle.Document.Members.SelectMany(m => Manifest.Parse(sold.Find(m)!.Text).Json["domain_tags"] is JsonArray tags ? tags.Select(t => t.AsString()).OfType<string>() : []);
            var key = NostrKeyStore.Load(context.Home);
            var listing = BundleListingBuilder.BuildSigned(bundle.Document, new ListingOptions { PriceMsat = bundle.PriceMsat, L402Url = r.GetValue(l402)!, NodeIdHex = node }, key, domains);
            var results = await new MarketClient().PublishAsync(listing, MarketRelays(r, relays, context), TimeSpan.FromSeconds(15), ct);
            await BundlePresenter.WritePublishedAsync(context.Out, listing.Id, bundle, results);

            return results.Any(x => x.Success) ? 0 : throw new DsrsException(MarketErrorCodes.PublishFailed, "no relay accepted the bundle listing");
        });
        return command;
    }
}
