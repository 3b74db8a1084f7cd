using System.CommandLine;
using System.Globalization;
using ManifestBuild.Cli.Presenters;
using ManifestBuild.Format;
using ManifestBuild.Lightning.Nodes;
using ManifestBuild.Market;
using ManifestBuild.Market.Buying;
using ManifestBuild.Market.Listings;
using ManifestBuild.Market.Selection;
using ManifestBuild.Nostr;
using ManifestBuild.Seller;
using ManifestBuild.Seller.Subscriptions;

namespace ManifestBuild.Cli;

/// <summary>
/// dsrs subscription add | publish | buy | list: a seller's product line sold by the period, and a buyer's
/// subscription to it (docs/protocol-extensions.md §3). The seller's line file is the one place its price
/// and period live; the buyer's token is kept in $DSRS_HOME/subscriptions and never printed.
/// </summary>
internal static class SubscriptionCommands
{
    public static void AddTo(RootCommand root, CliContext context)
    {
        var command = new Command("subscription", "Sell a product line by the period, or subscribe to one: every version published in the term without paying again.");
        command.Subcommands.Add(AddCommand(context));
        command.Subcommands.Add(PublishCommand(context));
        command.Subcommands.Add(BuyCommand(context));
        command.Subcommands.Add(ListCommand(context));
        root.Subcommands.Add(command);
    }

    private static Option<string> LineOption() => new("--line") { Description = "The product line, e.g. rust-systems (" + LineName.Rule + ").", Required = true };

    private static Command AddCommand(CliContext context)
    {
        var file = new Argument<FileInfo>("manifest") { Description = "The new version (verified), already in your catalog folder." };
        var line = LineOption();
        var price = CliOptions.Msat("--price", "Price per period (msat); needed when the line is new, checked against the line file otherwise.");
        var days = CliOptions.Whole("--period-days", "Length of one period in days; needed when the line is new.", 1, 366);
        var description = new Option<string>("--description") { Description = "What the line is, for its listing (a new line only)." };
        var catalog = new Option<DirectoryInfo>("--catalog") { Description = "The folder `dsrs serve --manifests` sells from; default: the manifest's folder." };
        var command = new Command("add", "Add a version to <catalog>/<line>.line.json, published now (creating the line with its price and period).");
        command.Arguments.Add(file);
        foreach (var option in new Option[] { line, price, days, description, catalog })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (ParseResult r, CancellationToken ct) =>
        {
            var name = r.GetValue(line)!;
            if (!LineName.Check(name))
            {
                throw new DsrsException(CliErrorCodes.SubscriptionLineOptions, $"--line must be {LineName.Rule}");
            }

            var id = Manifest.Load(r.GetValue(file)!.FullName).VerifyCompiledId();
            var folder = r.GetValue(catalog)?.FullName ?? r.GetValue(file)!.DirectoryName!;
            var path = Path.Combine(folder, name + LineDocument.FileSuffix);
            var period = r.GetValue(days) is { } d ? d * 86_400 : (long?)null;
            LineDocument document;
            if (File.Exists(path))
            {
                document = LineDocument.Load(path);
                if ((r.GetValue(price) is { } p && p != document.PriceMsat) || (period is { } s && s != document.PeriodSeconds))
                {
                    throw new DsrsException(CliErrorCodes.SubscriptionLineOptions, string.Create(CultureInfo.InvariantCulture, $"{path} sells line {name} for {document.PriceMsat} msat per {SubscriptionListing.DescribePeriod(document.PeriodSeconds)}; edit the file to change them (dsrs serve picks it up) and add without --price/--period-days"));
                }
            }
            else
            {
                document = new LineDocument(
                    name,
                    r.GetValue(price) is { } msat and > 0 ? msat : throw new DsrsException(CliErrorCodes.SubscriptionLineOptions, $"line {name} is new: give its price per period (--price) and its period (--period-days)"),
                    period ?? throw new DsrsException(CliErrorCodes.SubscriptionLineOptions, $"line {name} is new: give its period (--period-days)"),
                    r.GetValue(description),
                    []);
            }

            AtomicFile.WriteAllText(path, document.WithVersion(id, DateTimeOffset.UtcNow.ToUnixTimeSeconds()).ToText());
            await SubscriptionPresenter.WriteAddedAsync(context.Out, name, id, path, r.GetValue(file)!.Name);
            return 0;
        });
        return command;
    }

    private static Command PublishCommand(CliContext context)
    {
        var line = new Argument<string>("line") { Description = "A line your catalog sells (<line>.line.json)." };
        var relays = CliOptions.Relays();
        var price = CliOptions.Msat("--price", "Checked against the price per period your line file charges, which is the price listed.");
        var l402 = CliOptions.HttpUrl("--l402", "Your `dsrs serve` base URL (https).");
        l402.Required = true;
        var catalog = new Option<DirectoryInfo>("--catalog") { Description = "The folder `dsrs serve --manifests` sells from; default: the current folder.", };
        var nodeId = CliOptions.Hex("--node-id", "Your Lightning node id (66 hex); default: asked from the configured node.", 33);
        var command = new Command("publish", "Sign the line's subscription listing (d dsrs-subscription:<line>, price per period, period) and send it to every relay.");
        command.Arguments.Add(line);
        foreach (var option in new Option[] { relays, price, l402, catalog, nodeId })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (ParseResult r, CancellationToken ct) =>
        {
            var sold = ManifestCatalog.Load(r.GetValue(catalog)?.FullName ?? Environment.CurrentDirectory).ForSubscriptionListing(r.GetValue(line)!, r.GetValue(price));
            var node = r.GetValue(nodeId);
            if (string.IsNullOrEmpty(node))
            {
                await using var configured = LightningNodeFactory.CreateConfigured(context.Env, context.Home);
                node = (await configured.GetInfoAsync(ct)).NodeIdHex;
            }

            var listing = SubscriptionListingBuilder.BuildSigned(sold.Line, sold.PeriodSeconds, new ListingOptions { PriceMsat = sold.PriceMsat, L402Url = r.GetValue(l402)!, NodeIdHex = node }, NostrKeyStore.Load(context.Home), sold.Description);
            var results = await new MarketClient().PublishAsync(listing, CliOptions.RelaysOrEnvironment(r, relays, context), TimeSpan.FromSeconds(15), ct);
            await SubscriptionPresenter.WritePublishedAsync(context.Out, listing.Id, sold, results);

            return results.Any(x => x.Success) ? 0 : throw new DsrsException(MarketErrorCodes.PublishFailed, "no relay accepted the subscription listing");
        });
        return command;
    }

    private static Command BuyCommand(CliContext context)
    {
        var line = new Argument<string>("line") { Description = "The product line to subscribe to." };
        var seller = new Option<string>("--seller") { Description = "The seller (npub or 64 hex); default: the best listing of any seller." };
        var maxPrice = CliOptions.Msat("--max-price", $"Refuse to pay more than this per period (msat). Default: {MarketCommands.DefaultBuyMaxPriceMsat} msat.");
        var maxFee = CliOptions.Msat("--max-fee", "Absolute routing fee cap (msat); default 1% (at least 5 sat).");
        var node = new Option<string>("--node") { Description = "A node connection string; default: DSRS_NODE or $DSRS_HOME/config.json." };
        var yes = new Option<bool>("--yes", "-y") { Description = "Pay without asking (needed when standard input is not a terminal)." };
        var json = CliOptions.Json("Print the outcome as one JSON object.");
        var relays = CliOptions.Relays();
        var command = new Command("buy", "Subscribe to a line with one payment through your node (every check before paying, a confirmation); an active subscription is never paid again.");
        command.Arguments.Add(line);
        foreach (var option in new Option[] { seller, maxPrice, maxFee, node, yes, json, relays })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (ParseResult r, CancellationToken ct) =>
        {
            var client = new MarketClient();
            var sellers = r.GetValue(seller) is { } s ? new[] { SellerStanding.Normalize(s) } : [];
            var cap = r.GetValue(maxPrice) ?? MarketCommands.DefaultBuyMaxPriceMsat;
            await using var pool = client.CreatePool(CliOptions.RelaysOrEnvironment(r, relays, context));
            var found = await client.SearchSubscriptionsAsync(r.GetValue(line), sellers, pool, TimeSpan.FromSeconds(10), ct);
            var selection = SubscriptionSelector.Select(found.Accepted, new SubscriptionCriteria { Line = r.GetValue(line)!, Sellers = sellers, MaxPriceMsat = cap, Blocked = SellerStanding.ForHome(context.Home).Load([]) }, found.Rejected);
            var listing = selection.Winner ?? throw new DsrsException(MarketErrorCodes.NoSubscriptionSelected, selection.Explanation);
            var options = new AcquireOptions { Home = context.Home, ItemMaxPriceMsat = cap, MaxFeeMsat = r.GetValue(maxFee), AllowPay = false };
            SubscriptionPurchase purchase;
            try
            {
                purchase = await client.SubscribeAsync(listing, options, ct);
            }
            catch (DsrsException e) when (e.Code == MarketErrorCodes.PaymentNotAllowed)
            {
                await ConfirmAsync(context, listing, r.GetValue(yes), ct);
                var connection = r.GetValue(node) is { } conn ? NodeConnectionString.Parse(conn) : NodeConnectionString.TryResolve(context.Env, context.Home);
                await using var lightning = connection is null ? null : LightningNodeFactory.Create(connection, context.Home);
                purchase = await client.SubscribeAsync(listing, options with { AllowPay = true, Node = lightning }, ct);
            }

            await SubscriptionPresenter.WriteBoughtAsync(context.Out, purchase, r.GetValue(json));
            return 0;
        });
        return command;
    }

    private static Command ListCommand(CliContext context)
    {
        var json = CliOptions.Json("One JSON object per subscription.");
        var command = new Command("list", "The subscriptions this home holds: line, seller, expiry (never the token).");
        command.Options.Add(json);
        command.SetAction(async (ParseResult r, CancellationToken ct) =>
        {
            var store = new SubscriptionStore(context.Home);
            await SubscriptionPresenter.WriteHeldAsync(context.Out, context.Error, store.List(), store.Problems, DateTimeOffset.UtcNow, r.GetValue(json));

            return 0;
        });
        return command;
    }

    /// <summary>Before any payment: the no-pay switch, then a yes from the person at the terminal, or --yes. Nothing is ever paid silently.</summary>
    private static Task ConfirmAsync(CliContext context, SubscriptionListing listing, bool yes, CancellationToken ct) =>
        context.ConfirmPaymentAsync($"{listing.Describe()} costs {listing.PriceMsat} msat", $"pay {listing.PriceMsat} msat (plus routing fee) for {listing.Describe()}?", yes, CliErrorCodes.SubscriptionConfirmationRequired, ct);
}
