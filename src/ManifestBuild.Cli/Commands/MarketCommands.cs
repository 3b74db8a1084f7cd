using System.CommandLine;
using ManifestBuild.Cli.Presenters;
using ManifestBuild.Format;
using ManifestBuild.Format.Json;
using ManifestBuild.Lightning.Nodes;
using ManifestBuild.Lightning.Payments;
using ManifestBuild.Market;
using ManifestBuild.Market.Buying;
using ManifestBuild.Market.Listings;
using ManifestBuild.Market.Redaction;
using ManifestBuild.Market.Reviews;
using ManifestBuild.Market.Selection;
using ManifestBuild.Nostr;

using static ManifestBuild.Cli.Presenters.MarketPresenter;

namespace ManifestBuild.Cli;

internal static partial class MarketCommands
{
    /// <summary>dsrs redact | publish | search | buy | review | reputation | receipts export|import: the market.</summary>
    public static void AddTo(RootCommand root, CliContext context)
    {
        root.Subcommands.Add(MarketRedactCommand(context));
        root.Subcommands.Add(MarketPublishCommand(context));
        root.Subcommands.Add(MarketBundleCommand(context));
        root.Subcommands.Add(MarketSearchCommand(context));
        root.Subcommands.Add(MarketBuyCommand(context));
        root.Subcommands.Add(MarketReviewCommand(context));
        root.Subcommands.Add(MarketReputationCommand(context));
        var receipts = new Command("receipts", "Export or import the receipts (token + preimage per paid manifest) that re-download without paying.");
        receipts.Subcommands.Add(MarketReceiptsExportCommand(context));
        receipts.Subcommands.Add(MarketReceiptsImportCommand(context));
        root.Subcommands.Add(receipts);
    }

    private static Command MarketRedactCommand(CliContext context)
    {
        var input = new Argument<FileInfo>("input") { Description = "A manifest (JSON object) or a dataset (JSON array or JSON lines)." };
        var mode = new Option<string>("--mode") { Description = "paths (default): secrets, e-mails, private URLs, repos, paths, user names; identifiers: also code identifiers; full: also code spans and ticket ids.", DefaultValueFactory = _ => "paths" };
        mode.AcceptOnlyFromAmong("paths", "identifiers", "full");
        var output = new Option<string>("--output", "-o") { Description = "The redacted file to write.", Required = true };
        var privacy = new RedactionOptions();
        var report = new Option<bool>("--report") { Description = "Print what was redacted by kind and count (values only with --show)." };
        var show = new Option<bool>("--show") { Description = "With --report: also print each redacted value and its placeholder (these are the secrets: never in a shared log)." };
        var command = new Command("redact", "Strip what leaks private work before selling; prints counts by kind, never the secrets.");
        command.Arguments.Add(input);
        command.Options.Add(mode);
        command.Options.Add(output);
        privacy.AddTo(command);
        command.Options.Add(report);
        command.Options.Add(show);
        command.SetAction(async (ParseResult r, CancellationToken ct) =>
        {
            var text = Manifest.ReadText(r.GetValue(input)!.FullName);
            JsonValue document;
            bool jsonLines;
            try
            {
                (document, jsonLines) = ManifestRedactor.ParseInput(text);
            }
            catch (DsrsException e)
            {
                throw new DsrsException(MarketErrorCodes.UnredactableInput, "the input is neither JSON nor JSON lines: " + e.Message);
            }

            // A stale id is refused, not carried over as "old -> new": it says the file is not the manifest it claims to be.
            if (document is JsonObject stated && stated.ContainsKey(CompiledId.MemberName))
            {
                CompiledId.Verify(stated);
            }

            var selected = r.GetValue(mode) switch { "identifiers" => RedactionMode.Identifiers, "full" => RedactionMode.Full, _ => RedactionMode.Paths };
            var policy = privacy.Policy(r, context, r.GetValue(input)!.DirectoryName!);
            var result = ManifestRedactor.Redact(document, selected, Environment.UserName, policy);
            var written = jsonLines && result.Document is JsonArray rows
                ? string.Concat(rows.Select(row => JsonWriter.Write(row, false) + "\n"))
                : JsonWriter.WriteFile(result.Document);
            var path = Path.GetFullPath(r.GetValue(output)!);
            AtomicFile.WriteAllText(path, written);
            await RedactionPresenter.WriteAsync(context, selected, result, r.GetValue(report), r.GetValue(show), SecretScanner.Scan(result.Document, policy), path);
            return 0;
        });
        return command;
    }

    private static Command MarketPublishCommand(CliContext context)
    {
        var file = new Argument<FileInfo>("manifest") { Description = "The manifest to list (redact it first)." };
        var relays = MarketRelayOption();
        var price = CliOptions.Msat("--price", "Paid listings: checked against the price your catalog (prices.json) charges, which is the price listed. Without --l402 the listing is free.");
        var l402 = CliOptions.HttpUrl("--l402", "Your `dsrs serve` base URL (https): makes the listing paid, at the catalog's price.");
        var catalog = new Option<DirectoryInfo>("--catalog") { Description = "Paid listings: the folder `dsrs serve --manifests` sells from; default: the manifest's own folder." };
        var nodeId = CliOptions.Hex("--node-id", "Your Lightning node id (66 hex), for paid listings; default: asked from the configured node.", 33);
        var allow = new Option<bool>("--allow-unredacted") { Description = "Publish even though the secret scanner finds something." };
        var json = CliOptions.Json("Print the outcome as one JSON object (listing id, price, naddr, each relay's answer).");
        var privacy = new RedactionOptions();
        var command = new Command("publish", "Sign the kind 31990 listing of a manifest with your key and send it to every relay.");
        command.Arguments.Add(file);
        foreach (var option in new Option[] { relays, price, l402, catalog, nodeId, allow, json })
        {
            command.Options.Add(option);
        }

        privacy.AddTo(command);

        command.SetAction(async (ParseResult r, CancellationToken ct) =>
        {
            if (DatasetIsDatasetFile(r.GetValue(file)!.FullName))
            {
                return await DatasetPublishAsync(context, new DatasetPublishRequest(r.GetValue(file)!.FullName, r.GetValue(price), r.GetValue(l402), r.GetValue(catalog)?.FullName, r.GetValue(nodeId), r.GetValue(allow), r.GetValue(json), privacy.Policy(r, context, r.GetValue(file)!.DirectoryName!), MarketRelays(r, relays, context)), ct);
            }

            var manifest = Manifest.Load(r.GetValue(file)!.FullName);
            var compiledId = manifest.VerifyCompiledId();
            var findings = SecretScanner.Scan(manifest.Json, privacy.Policy(r, context, r.GetValue(file)!.DirectoryName!));
            if (findings.Count > 0 && !r.GetValue(allow))
            {
                throw new DsrsException(MarketErrorCodes.SecretsFound, "the secret scanner finds " + SecretScanner.Describe(findings) + "; run `dsrs redact` first, or pass --allow-unredacted");
            }

            // A paid listing's price is the one the seller's catalog charges: the single place
            // `dsrs serve` reads it from, so the two cannot disagree.
            var priceMsat = r.GetValue(price) ?? 0;
            string? line = null;
            if (r.GetValue(l402) is not null)
            {
                var folder = r.GetValue(catalog)?.FullName ?? Path.GetDirectoryName(r.GetValue(file)!.FullName)!;
                var sold = ManifestBuild.Seller.ManifestCatalog.Load(folder);
                priceMsat = sold.ForListing(compiledId, r.GetValue(price)).PriceMsat;
                line = sold.LineOf(compiledId); // a version of a product line carries its line tag (subscribers follow it)
            }

            var node = r.GetValue(nodeId);
            if (priceMsat > 0 && string.IsNullOrEmpty(node))
            {
                await using var configured = LightningNodeFactory.CreateConfigured(context.Env, context.Home);
                node = (await configured.GetInfoAsync(ct)).NodeIdHex;
            }

            var options = new ListingOptions
            {
                PriceMsat = priceMsat,
                L402Url = r.GetValue(l402),
                NodeIdHex = node,
                Line = line,
            };
            var key = NostrKeyStore.Load(context.Home);
            var listing = ListingBuilder.BuildSigned(manifest.Json, options, key);
            var results = await new MarketClient().PublishAsync(listing, MarketRelays(r, relays, context), TimeSpan.FromSeconds(15), ct);
            var naddr = Nip19.EncodeNaddr(listing.DTag, key.PublicKeyHex, NostrKinds.HandlerInformation, results.Where(x => x.Success).Select(x => x.Relay.AbsoluteUri));
            await WritePublishAsync(context.Out, new MarketPublishView(listing.Id, compiledId, priceMsat, naddr, results), r.GetValue(json));

            return results.Any(x => x.Success) ? 0 : throw new DsrsException(MarketErrorCodes.PublishFailed, "no relay accepted the listing");
        });
        return command;
    }

    private static Command MarketSearchCommand(CliContext context)
    {
        var family = new Option<string>("--family") { Description = "The decision the manifest serves (the k tag). Without it, listings of every family are listed and none is selected." };
        var domains = new Option<string[]>("--domain") { Description = "A domain tag every listing must carry (repeatable).", AllowMultipleArgumentsPerToken = true };
        var minAccuracy = CliOptions.Fraction("--min-accuracy", "Leave out listings below this accuracy (0 to 1).");
        var maxPrice = CliOptions.Msat("--max-price", "Leave out listings above this price (msat).");
        var relays = MarketRelayOption();
        var json = CliOptions.Json("Machine-readable output (sellers as hex \"seller\" and \"npub\").");
        var showRejected = new Option<bool>("--show-rejected") { Description = "List the listings left out and why." };
        var rankMeasured = CliOptions.Integer("--rank-measured", "Rank by the accuracy verified buyers measured, for listings that at least this many measured (default: by the claim).", 1, int.MaxValue);
        var datasets = new Option<bool>("--datasets") { Description = "Find training datasets (dsrs-dataset listings) instead of manifests." };
        var command = new Command("search", "Find manifests on relays: verified, filtered, ranked; with --family, the one a build would select.");
        foreach (var option in new Option[] { family, domains, minAccuracy, maxPrice, relays, json, showRejected, rankMeasured, datasets })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (ParseResult r, CancellationToken ct) =>
        {
            if (r.GetValue(datasets))
            {
                return await DatasetSearchAsync(context, new DatasetQuery { Family = r.GetValue(family), Domains = r.GetValue(domains) ?? [], MaxPriceMsat = r.GetValue(maxPrice) }, MarketRelays(r, relays, context), r.GetValue(json), r.GetValue(showRejected), ct);
            }

            var query = new ListingQuery { Family = r.GetValue(family), Domains = r.GetValue(domains) ?? [], MinAccuracy = r.GetValue(minAccuracy), MaxPriceMsat = r.GetValue(maxPrice) };

            // The relays filter by tags; accuracy and price are left to the selector, so that what it
            // leaves out is a parsed listing that can be shown by its compiled_id.
            var byTags = new ListingQuery { Family = query.Family, Domains = query.Domains };
            var result = await new MarketClient().SearchAsync(byTags, MarketRelays(r, relays, context), TimeSpan.FromSeconds(10), ct);
            await MarketReportRelaysAsync(context, result);
            var ranked = ListingSelector.Select(result.Listings, new SelectionCriteria { Filters = query, Reputation = result.Reputation, RankByMeasuredMinBuyers = r.GetValue(rankMeasured) });
            var rejected = result.Rejected.Concat(ranked.FilteredOut).Select(x => MarketLeftOut(x, result.Listings)).ToList();

            // A build selects within one family; across families a "winner" would mean nothing.
            var explanation = query.Family is null
                ? "no --family given: listings of every family, ranked together; a build selects within one family (add --family to see its choice)"
                : MarketExplanation(ranked);
            var view = new MarketSearchView(ranked, result, rejected, explanation, query.Family is not null);
            await (r.GetValue(json) ? WriteSearchJsonAsync(context.Out, view) : WriteSearchTableAsync(context.Out, view, r.GetValue(showRejected)));
            return 0;
        });
        return command;
    }

    private static MarketLeftOutListing MarketLeftOut(RejectedListing rejected, IEnumerable<Listing> parsed)
    {
        var listing = parsed.FirstOrDefault(l => l.Event.Id == rejected.EventId);
        return new MarketLeftOutListing(rejected.EventId, listing?.CompiledId, listing?.SignatureName, rejected.PubKey, rejected.Reason + (rejected.Relay is { } relay ? $" ({relay})" : string.Empty));
    }

    /// <summary>What `dsrs buy` pays at most when --max-price is not given: 100 sat.</summary>
    public const long DefaultBuyMaxPriceMsat = 100_000;

    private static Command MarketBuyCommand(CliContext context)
    {
        var target = new Argument<string>("listing") { Description = "An naddr1... address or a compiled_id." };
        var maxPrice = CliOptions.Msat("--max-price", $"Refuse to pay more than this (msat). Default: {DefaultBuyMaxPriceMsat} msat.");
        var maxFee = CliOptions.Msat("--max-fee", "Absolute routing fee cap (msat); default 1% (at least 5 sat).");
        var node = new Option<string>("--node") { Description = "A node connection string; default: DSRS_NODE or $DSRS_HOME/config.json." };
        var yes = new Option<bool>("--yes", "-y") { Description = "Pay without asking (needed when standard input is not a terminal)." };
        var json = CliOptions.Json("Print the outcome as one JSON object.");
        var relays = MarketRelayOption();
        var dataset = new Option<bool>("--dataset") { Description = "The listing is a training dataset (named by its dataset_id; an naddr of a dsrs-dataset listing needs no flag)." };
        var command = new Command("buy", "Buy a manifest through your node into the verified cache: every check before paying, a confirmation, never twice.");
        command.Arguments.Add(target);
        foreach (var option in new Option[] { maxPrice, maxFee, node, yes, json, relays, dataset })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (ParseResult r, CancellationToken ct) =>
        {
            if (r.GetValue(dataset) || MarketNamesDataset(r.GetValue(target)!))
            {
                return await DatasetBuyAsync(context, new DatasetBuyRequest(r.GetValue(target)!, r.GetValue(maxPrice), r.GetValue(maxFee), r.GetValue(node), r.GetValue(yes), r.GetValue(json), MarketRelays(r, relays, context)), ct);
            }

            var client = new MarketClient();
            var listing = await MarketFindListingAsync(client, r.GetValue(target)!, MarketRelays(r, relays, context), ct);
            var options = new AcquireOptions { Home = context.Home, ItemMaxPriceMsat = r.GetValue(maxPrice) ?? DefaultBuyMaxPriceMsat, MaxFeeMsat = r.GetValue(maxFee), ExtraReceipts = MarketEnvironmentReceipts(context), AllowPay = false };
            AcquiredManifest acquired;
            try
            {
                // First without paying: the cache, a free listing or a stored receipt need no question.
                acquired = await client.AcquireAsync(listing, options, ct);
            }
            catch (DsrsException e) when (e.Code == MarketErrorCodes.PaymentNotAllowed)
            {
                await MarketConfirmPaymentAsync(context, listing, options.ItemMaxPriceMsat!.Value, r.GetValue(maxPrice) is not null, r.GetValue(yes), ct);
                var connection = r.GetValue(node) is { } conn ? NodeConnectionString.Parse(conn) : NodeConnectionString.TryResolve(context.Env, context.Home);
                await using var lightning = connection is null ? null : LightningNodeFactory.Create(connection, context.Home);
                acquired = await client.AcquireAsync(listing, options with { AllowPay = true, Node = lightning }, ct);
            }

            await WriteBuyAsync(context.Out, listing, acquired, r.GetValue(json));
            return 0;
        });
        return command;
    }

    /// <summary>Before any payment: the price cap, then a yes from the person at the terminal or --yes. Nothing is ever paid silently.</summary>
    private static async Task MarketConfirmPaymentAsync(CliContext context, Listing listing, long cap, bool capGiven, bool yes, CancellationToken ct)
    {
        var what = $"{listing.SignatureName} {listing.CompiledId} costs {listing.PriceMsat} msat";
        context.EnsurePaymentAllowed(what);
        if (listing.PriceMsat > cap)
        {
            throw new DsrsException(PaymentErrorCodes.OverItemCap, $"{what}, above the cap of {cap} msat ({(capGiven ? "--max-price" : "the default; raise it with --max-price")}); nothing paid");
        }

        await context.ConfirmPaymentAsync(what, $"pay {listing.PriceMsat} msat (plus routing fee) to seller {MarketSeller(listing.SellerPubKey)} for {listing.SignatureName} {listing.CompiledId[..12]}?", yes, CliErrorCodes.ConfirmationRequired, ct);
    }

    private static Command MarketReviewCommand(CliContext context)
    {
        var target = new Argument<string>("listing") { Description = "An naddr1... address or a compiled_id." };
        var rating = CliOptions.Integer("--rating", "1 to 5.", 1, 5);
        rating.Required = true;
        var comment = new Option<string>("--comment") { Description = "What you found." };
        var measured = new Option<FileInfo>("--measured") { Description = "A `dsrs evaluate --json` report of this manifest to publish with the review (needs a verified purchase)." };
        var relays = MarketRelayOption();
        var command = new Command("review", "Publish a NIP-32 review; a verified-purchase review when your ledger holds the purchase.");
        command.Arguments.Add(target);
        foreach (var option in new Option[] { rating, comment, measured, relays })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (ParseResult r, CancellationToken ct) =>
        {
            var client = new MarketClient();
            var list = MarketRelays(r, relays, context);
            var listing = await MarketFindListingAsync(client, r.GetValue(target)!, list, ct);
            var measurement = r.GetValue(measured) is { } report ? MeasurementFromReport(report.FullName, listing.CompiledId) : null;
            var review = ReviewComposer.Compose(NostrKeyStore.Load(context.Home), listing.SellerPubKey, listing.CompiledId, r.GetValue(rating)!.Value, r.GetValue(comment), context.Home, measurement: measurement);
            ReviewParser.TryParse(NostrEventVerifier.EnsureVerified(review), listing.NodeIdHex, out var parsed, out var reason);
            var results = await client.PublishAsync(review, list, TimeSpan.FromSeconds(15), ct);
            await ReputationPresenter.WriteReviewAsync(context.Out, review.Id, listing, parsed, reason);
            await WriteRelayAnswersAsync(context.Out, results);
            return results.Any(x => x.Success) ? 0 : throw new DsrsException(MarketErrorCodes.PublishFailed, "no relay accepted the review");
        });
        return command;
    }

    private static Command MarketReputationCommand(CliContext context)
    {
        var seller = CliOptions.PublicKey("seller", "A seller's npub or hex pubkey.", CliErrorCodes.InvalidOptionValue);
        var relays = MarketRelayOption();
        var json = CliOptions.Json();
        var command = new Command("reputation", "A seller's reputation per listing: verified reviews (one per payment) and, apart, unverified ones.");
        command.Arguments.Add(seller);
        command.Options.Add(relays);
        command.Options.Add(json);
        command.SetAction(async (ParseResult r, CancellationToken ct) =>
        {
            var pubkey = r.GetValue(seller)!;
            var result = await new MarketClient().SearchAsync(new ListingQuery { Sellers = [pubkey] }, MarketRelays(r, relays, context), TimeSpan.FromSeconds(10), ct);
            await MarketReportRelaysAsync(context, result);
            await ReputationPresenter.WriteReputationAsync(context.Out, pubkey, result, r.GetValue(json));
            return 0;
        });
        return command;
    }

    private static Command MarketReceiptsExportCommand(CliContext context)
    {
        var output = new Option<string>("--output", "-o") { Description = "Write the receipts file here (owner-only); standard output when absent." };
        var env = new Option<bool>("--env") { Description = "One line for the DSRS_RECEIPTS environment variable (a CI secret) instead of JSON." };
        var command = new Command("export", "Export the receipts; they grant downloads, so treat the output as a secret.");
        command.Options.Add(output);
        command.Options.Add(env);
        command.SetAction(async (ParseResult r, CancellationToken ct) =>
        {
            var receipts = new ReceiptStore(context.Home).List();
            var text = r.GetValue(env) ? ReceiptStore.ExportForEnvironment(receipts) + "\n" : ReceiptStore.Export(receipts);
            if (r.GetValue(output) is { } path)
            {
                // Created 0600 from the start: receipts grant downloads.
                AtomicFile.WriteAllText(Path.GetFullPath(path), text, ownerOnly: true);
            }

            await ReceiptsPresenter.WriteExportedAsync(context, text, receipts.Count, r.GetValue(output) is { } written ? Path.GetFullPath(written) : null);

            return 0;
        });
        return command;
    }

    private static Command MarketReceiptsImportCommand(CliContext context)
    {
        var file = new Argument<FileInfo?>("file") { Description = "A receipts file; absent: the DSRS_RECEIPTS environment variable.", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("import", "Import receipts into $DSRS_HOME so paid manifests download again without paying.");
        command.Arguments.Add(file);
        command.SetAction(async (ParseResult r, CancellationToken ct) =>
        {
            var text = r.GetValue(file) is { } f ? Manifest.ReadText(f.FullName) : context.Env(ReceiptStore.EnvironmentVariable)
                ?? throw new DsrsException(MarketErrorCodes.MalformedReceipts, "give a receipts file or set " + ReceiptStore.EnvironmentVariable);
            var count = new ReceiptStore(context.Home).Import(ReceiptStore.Parse(text));
            await ReceiptsPresenter.WriteImportedAsync(context.Out, count, new ReceiptStore(context.Home).Directory);
            return 0;
        });
        return command;
    }

    /// <summary>The shared --relay option (<see cref="CliOptions.Relays"/>); kept under this name for the market's commands.</summary>
    internal static Option<Uri[]> MarketRelayOption() => CliOptions.Relays();

    /// <summary>--relay, else DSRS_RELAYS (<see cref="CliOptions.RelaysOrEnvironment"/>).</summary>
    internal static IReadOnlyList<Uri> MarketRelays(ParseResult r, Option<Uri[]> option, CliContext context) => CliOptions.RelaysOrEnvironment(r, option, context);

    /// <summary>An empty answer is not "nothing listed" when no relay answered: that refuses; a partial failure is a warning.</summary>
    private static async Task MarketReportRelaysAsync(CliContext context, SearchResult result)
    {
        var failed = result.Relays.Where(x => !x.Succeeded).ToList();
        if (failed.Count > 0 && failed.Count == result.Relays.Count && result.Listings.Count == 0)
        {
            throw new DsrsException(NostrErrorCodes.RelayConnectFailed, "no relay answered: " + string.Join("; ", failed.Select(x => x.ToString())));
        }

        foreach (var relay in failed)
        {
            await context.Error.WriteLineAsync("warning: " + relay);
        }
    }

    private static async Task<Listing> MarketFindListingAsync(MarketClient client, string target, IReadOnlyList<Uri> relays, CancellationToken ct)
    {
        var text = target.Trim();
        Nip19Address? address = null;
        string? id = null;
        if (text.StartsWith("naddr1", StringComparison.Ordinal))
        {
            address = Nip19.Decode(text) as Nip19Address ?? throw new DsrsException(MarketErrorCodes.ListingNotFound, "not an naddr");
            relays = relays.Concat(address.Relays.Select(r => Nostr.Relays.RelayUrl.TryParse(r, out var u, out _) ? u : null).OfType<Uri>()).Distinct().ToList();
        }
        else if (CompiledId.IsWellFormed(text))
        {
            id = text;
        }
        else
        {
            throw new DsrsException(MarketErrorCodes.ListingNotFound, "name the listing by its naddr1... address or its compiled_id (64 lowercase hex)");
        }

        var found = await client.FindAsync(id, address, relays, TimeSpan.FromSeconds(10), ct);
        var chosen = ListingSelector.Select(found.Listings, new SelectionCriteria { Reputation = found.Reputation }).Winner;
        return chosen ?? throw new DsrsException(MarketErrorCodes.ListingNotFound, $"no relay returned a valid listing for {text}" + (found.Rejected.Count > 0 ? ": " + string.Join("; ", found.Rejected.Select(x => x.Reason)) : string.Empty));
    }

    private static bool MarketNamesDataset(string target) =>
        target.Trim().StartsWith("naddr1", StringComparison.Ordinal) && Nip19.Decode(target.Trim()) is Nip19Address { Identifier: var d } && d.StartsWith(DatasetListing.DTagPrefix, StringComparison.Ordinal);

    private static IReadOnlyList<Receipt> MarketEnvironmentReceipts(CliContext context) =>
        context.Env(ReceiptStore.EnvironmentVariable) is { Length: > 0 } value ? ReceiptStore.Parse(value) : [];

    /// <summary>The measurement of a saved `dsrs evaluate --json` report, which must be of the reviewed manifest.</summary>
    private static Measurement MeasurementFromReport(string path, string compiledId)
    {
        var report = ManifestBuild.Evaluation.Reporting.SavedReport.Load(path);
        if (report.CompiledId != compiledId)
        {
            throw new DsrsException(MarketErrorCodes.MeasurementOfAnotherManifest, $"{path} measured {report.CompiledId}, not the reviewed {compiledId}");
        }

        return Measurement.Create(report.Accuracy, report.N, report.Metric, report.Model, report.ExamplesSha256, report.BaselineAccuracy);
    }

}
