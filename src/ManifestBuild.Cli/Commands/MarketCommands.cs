using System.CommandLine;
using System.Globalization;
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

namespace ManifestBuild.Cli;

public static partial class Program
{
    private const string MarketRelaysVariable = "DSRS_RELAYS";

    /// <summary>dsrs redact | publish | search | buy | review | reputation | receipts export|import: the market.</summary>
    static partial void AddMarketCommands(RootCommand root, CliContext context)
    {
        root.Subcommands.Add(MarketRedactCommand(context));
        root.Subcommands.Add(MarketPublishCommand(context));
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
        var command = new Command("redact", "Strip what leaks private work before selling; prints counts by kind, never the secrets.");
        command.Arguments.Add(input);
        command.Options.Add(mode);
        command.Options.Add(output);
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

            var selected = r.GetValue(mode) switch { "identifiers" => RedactionMode.Identifiers, "full" => RedactionMode.Full, _ => RedactionMode.Paths };
            var result = ManifestRedactor.Redact(document, selected, Environment.UserName);
            var written = jsonLines && result.Document is JsonArray rows
                ? string.Concat(rows.Select(row => JsonWriter.Write(row, false) + "\n"))
                : JsonWriter.WriteFile(result.Document);
            var path = Path.GetFullPath(r.GetValue(output)!);
            AtomicFile.WriteAllText(path, written);
            await context.Out.WriteLineAsync($"redacted ({selected.ToString().ToLowerInvariant()} mode): {result.Summary()}");
            if (result.NewCompiledId is not null)
            {
                await context.Out.WriteLineAsync($"compiled_id {result.OldCompiledId ?? "(none)"} -> {result.NewCompiledId}");
            }

            var left = SecretScanner.Scan(result.Document);
            if (left.Count > 0)
            {
                await context.Error.WriteLineAsync("warning: the secret scanner still finds: " + SecretScanner.Describe(left));
            }

            await context.Out.WriteLineAsync("wrote " + path);
            return 0;
        });
        return command;
    }

    private static Command MarketPublishCommand(CliContext context)
    {
        var file = new Argument<FileInfo>("manifest") { Description = "The manifest to list (redact it first)." };
        var relays = MarketRelayOption();
        var price = new Option<long>("--price") { Description = "Price in millisats; 0 (default) publishes the whole manifest for free." };
        var l402 = new Option<string>("--l402") { Description = "Your `dsrs serve` base URL (https), for paid listings." };
        var nodeId = new Option<string>("--node-id") { Description = "Your Lightning node id (66 hex), for paid listings; default: asked from the configured node." };
        var allow = new Option<bool>("--allow-unredacted") { Description = "Publish even though the secret scanner finds something." };
        var command = new Command("publish", "Sign the kind 31990 listing of a manifest with your key and send it to every relay.");
        command.Arguments.Add(file);
        foreach (var option in new Option[] { relays, price, l402, nodeId, allow })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (ParseResult r, CancellationToken ct) =>
        {
            var manifest = Manifest.Load(r.GetValue(file)!.FullName);
            manifest.VerifyCompiledId();
            var findings = SecretScanner.Scan(manifest.Json);
            if (findings.Count > 0 && !r.GetValue(allow))
            {
                throw new DsrsException(MarketErrorCodes.SecretsFound, "the secret scanner finds " + SecretScanner.Describe(findings) + "; run `dsrs redact` first, or pass --allow-unredacted");
            }

            var priceMsat = r.GetValue(price);
            var node = r.GetValue(nodeId);
            if (priceMsat > 0 && string.IsNullOrEmpty(node))
            {
                await using var configured = LightningNodeFactory.CreateConfigured(context.Env, context.Home);
                node = (await configured.GetInfoAsync(ct)).NodeIdHex;
            }

            var options = new ListingOptions
            {
                PriceMsat = priceMsat,
                L402Url = r.GetValue(l402) is { } url ? MarketUri(url, "--l402") : null,
                NodeIdHex = node,
            };
            var key = NostrKeyStore.Load(context.Home);
            var listing = ListingBuilder.BuildSigned(manifest.Json, options, key);
            var results = await new MarketClient().PublishAsync(listing, MarketRelays(r, relays, context), TimeSpan.FromSeconds(15), ct);
            await context.Out.WriteLineAsync($"listing {listing.Id} ({(priceMsat == 0 ? "free" : priceMsat.ToString(CultureInfo.InvariantCulture) + " msat")})");
            await context.Out.WriteLineAsync("naddr " + Nip19.EncodeNaddr(listing.DTag, key.PublicKeyHex, NostrKinds.HandlerInformation, results.Where(x => x.Success).Select(x => x.Relay.AbsoluteUri)));
            foreach (var result in results)
            {
                await context.Out.WriteLineAsync($"  {result.Relay}: {(result.Success ? "OK" : "refused")} {UntrustedText.Neutralise(result.Message)}".TrimEnd());
            }

            return results.Any(x => x.Success) ? 0 : throw new DsrsException(MarketErrorCodes.PublishFailed, "no relay accepted the listing");
        });
        return command;
    }

    private static Command MarketSearchCommand(CliContext context)
    {
        var family = new Option<string>("--family") { Description = "The decision the manifest serves (the k tag)." };
        var domains = new Option<string[]>("--domain") { Description = "A domain tag every listing must carry (repeatable).", AllowMultipleArgumentsPerToken = true };
        var minAccuracy = new Option<double?>("--min-accuracy") { Description = "Leave out listings below this accuracy." };
        var maxPrice = new Option<long?>("--max-price") { Description = "Leave out listings above this price (msat)." };
        var relays = MarketRelayOption();
        var json = new Option<bool>("--json") { Description = "Machine-readable output." };
        var showRejected = new Option<bool>("--show-rejected") { Description = "List the listings left out and why." };
        var command = new Command("search", "Find manifests on relays: verified, filtered, ranked.");
        foreach (var option in new Option[] { family, domains, minAccuracy, maxPrice, relays, json, showRejected })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (ParseResult r, CancellationToken ct) =>
        {
            var query = new ListingQuery { Family = r.GetValue(family), Domains = r.GetValue(domains) ?? [], MinAccuracy = r.GetValue(minAccuracy), MaxPriceMsat = r.GetValue(maxPrice) };
            var result = await new MarketClient().SearchAsync(query, MarketRelays(r, relays, context), TimeSpan.FromSeconds(10), ct);
            var ranked = ListingSelector.Select(result.Listings, new SelectionCriteria { Filters = query, Reputation = result.Reputation });
            if (r.GetValue(json))
            {
                await context.Out.WriteAsync(MarketSearchJson(ranked, result));
                return 0;
            }

            await context.Out.WriteLineAsync($"{"SIGNATURE",-36} {"SELLER",-20} {"ACCURACY",8} {"EXAMPLES",8} {"PRICE msat",10} {"REVIEWS",8} {"AGE",6}  COMPILED_ID");
            foreach (var item in ranked.Ranking)
            {
                var l = item.Listing;
                var score = result.Reputation.ForListing(l.Address);
                await context.Out.WriteLineAsync(
                    $"{MarketClip(UntrustedText.Neutralise(l.SignatureName, 64), 36),-36} {MarketClip(Nip19.EncodeNpub(l.SellerPubKey), 20),-20} {(l.Accuracy?.ToString("0.###", CultureInfo.InvariantCulture) ?? "-"),8} {(l.ExampleCount?.ToString(CultureInfo.InvariantCulture) ?? "-"),8} " +
                    $"{(l.IsFree ? "free" : l.PriceMsat.ToString(CultureInfo.InvariantCulture)),10} {score.VerifiedCount.ToString(CultureInfo.InvariantCulture) + (score.UnverifiedCount > 0 ? $"(+{score.UnverifiedCount})" : string.Empty),8} {MarketAge(l.CreatedAt),6}  {l.CompiledId}");
            }

            var rejected = result.Rejected.Concat(ranked.FilteredOut).ToList();
            await context.Out.WriteLineAsync($"{ranked.Ranking.Count} listing(s); {rejected.Count} left out" + (rejected.Count > 0 && !r.GetValue(showRejected) ? " (--show-rejected to see why)" : string.Empty));
            if (ranked.Winner is not null)
            {
                await context.Out.WriteLineAsync(ranked.Explanation);
            }

            if (r.GetValue(showRejected))
            {
                foreach (var item in rejected)
                {
                    await context.Out.WriteLineAsync($"  rejected {(item.EventId.Length >= 12 ? item.EventId[..12] : item.Relay ?? "?")}: {item.Reason}");
                }
            }

            return 0;
        });
        return command;
    }

    private static Command MarketBuyCommand(CliContext context)
    {
        var target = new Argument<string>("listing") { Description = "An naddr1... address or a compiled_id." };
        var maxPrice = new Option<long?>("--max-price") { Description = "Refuse to pay more than this (msat)." };
        var maxFee = new Option<long?>("--max-fee") { Description = "Absolute routing fee cap (msat); default 1% (at least 5 sat)." };
        var node = new Option<string>("--node") { Description = "A node connection string; default: DSRS_NODE or $DSRS_HOME/config.json." };
        var relays = MarketRelayOption();
        var command = new Command("buy", "Buy a manifest through your node (every check before paying, never twice) into the verified cache.");
        command.Arguments.Add(target);
        foreach (var option in new Option[] { maxPrice, maxFee, node, relays })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (ParseResult r, CancellationToken ct) =>
        {
            var client = new MarketClient();
            var listing = await MarketFindListingAsync(client, r.GetValue(target)!, MarketRelays(r, relays, context), ct);
            // No node is fine until a payment is really needed (free, cached, or a stored receipt).
            var connection = listing.IsFree ? null : r.GetValue(node) is { } conn ? NodeConnectionString.Parse(conn) : NodeConnectionString.TryResolve(context.Env, context.Home);
            await using var lightning = connection is null ? null : LightningNodeFactory.Create(connection, context.Home);
            var acquired = await client.AcquireAsync(listing, new AcquireOptions { Home = context.Home, Node = lightning, ItemMaxPriceMsat = r.GetValue(maxPrice), MaxFeeMsat = r.GetValue(maxFee), ExtraReceipts = MarketEnvironmentReceipts(context) }, ct);
            var how = acquired.Source switch
            {
                AcquireSource.Cache => "already in the cache; nothing paid",
                AcquireSource.FreeListing => "free; nothing paid",
                AcquireSource.Receipt => "downloaded with a stored receipt; nothing paid",
                _ when acquired.PricePaidMsat == 0 => "paid earlier; delivered now",
                _ => $"paid {acquired.PricePaidMsat} msat (fee {acquired.FeePaidMsat ?? 0} msat), payment {acquired.PaymentHash}",
            };
            await context.Out.WriteLineAsync($"{UntrustedText.Neutralise(listing.SignatureName, 64)} {acquired.CompiledId}: {how}");
            await context.Out.WriteLineAsync("verified and cached at " + acquired.CachePath);
            return 0;
        });
        return command;
    }

    private static Command MarketReviewCommand(CliContext context)
    {
        var target = new Argument<string>("listing") { Description = "An naddr1... address or a compiled_id." };
        var rating = new Option<int>("--rating") { Description = "1 to 5.", Required = true };
        var comment = new Option<string>("--comment") { Description = "What you found." };
        var relays = MarketRelayOption();
        var command = new Command("review", "Publish a NIP-32 review; a verified-purchase review when your ledger holds the purchase.");
        command.Arguments.Add(target);
        foreach (var option in new Option[] { rating, comment, relays })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (ParseResult r, CancellationToken ct) =>
        {
            var client = new MarketClient();
            var list = MarketRelays(r, relays, context);
            var listing = await MarketFindListingAsync(client, r.GetValue(target)!, list, ct);
            var review = ReviewComposer.Compose(NostrKeyStore.Load(context.Home), listing.SellerPubKey, listing.CompiledId, r.GetValue(rating), r.GetValue(comment), context.Home);
            ReviewParser.TryParse(review, listing.NodeIdHex, out var parsed, out var reason);
            var results = await client.PublishAsync(review, list, TimeSpan.FromSeconds(15), ct);
            var kind = parsed?.FraudDeliveredSha256 is not null ? "fraud report (verified purchase)" : parsed?.IsVerified == true ? "verified-purchase review" : parsed is null ? "review (its proof does not verify: " + reason + ")" : "unverified review";
            await context.Out.WriteLineAsync($"{kind} {review.Id} of {UntrustedText.Neutralise(listing.SignatureName, 64)} {listing.CompiledId}");
            foreach (var result in results)
            {
                await context.Out.WriteLineAsync($"  {result.Relay}: {(result.Success ? "OK" : "refused")} {UntrustedText.Neutralise(result.Message)}".TrimEnd());
            }

            return results.Any(x => x.Success) ? 0 : throw new DsrsException(MarketErrorCodes.PublishFailed, "no relay accepted the review");
        });
        return command;
    }

    private static Command MarketReputationCommand(CliContext context)
    {
        var seller = new Argument<string>("seller") { Description = "A seller's npub or hex pubkey." };
        var relays = MarketRelayOption();
        var json = new Option<bool>("--json") { Description = "Machine-readable output." };
        var command = new Command("reputation", "A seller's reputation per listing: verified reviews (one per payment) and, apart, unverified ones.");
        command.Arguments.Add(seller);
        command.Options.Add(relays);
        command.Options.Add(json);
        command.SetAction(async (ParseResult r, CancellationToken ct) =>
        {
            var text = r.GetValue(seller)!.Trim();
            var pubkey = text.StartsWith("npub1", StringComparison.Ordinal) ? ((Nip19PublicKey)Nip19.Decode(text)).PubKey : text.ToLowerInvariant();
            if (!Hex.IsLowerHex(pubkey, 32))
            {
                throw new DsrsException(MarketErrorCodes.ListingNotFound, "the seller must be an npub or 64 hex characters");
            }

            var result = await new MarketClient().SearchAsync(new ListingQuery { Sellers = [pubkey] }, MarketRelays(r, relays, context), TimeSpan.FromSeconds(10), ct);
            var total = result.Reputation.ForSeller(pubkey);
            if (r.GetValue(json))
            {
                var listings = new JsonArray(result.Listings.Select(l => (JsonValue)MarketScoreJson(result.Reputation.ForListing(l.Address)).Add("compiled_id", l.CompiledId).Add("signature_name", l.SignatureName)));
                await context.Out.WriteAsync(JsonWriter.WriteReviewedFile(MarketScoreJson(total).Add("seller", pubkey).Add("listings", listings)));
                return 0;
            }

            await context.Out.WriteLineAsync($"seller {Nip19.EncodeNpub(pubkey)}: {MarketScoreText(total)}");
            foreach (var l in result.Listings)
            {
                await context.Out.WriteLineAsync($"  {UntrustedText.Neutralise(l.SignatureName, 64)} {l.CompiledId[..12]}: {MarketScoreText(result.Reputation.ForListing(l.Address))}");
            }

            foreach (var rejected in result.Reputation.Rejected)
            {
                await context.Out.WriteLineAsync($"  review {rejected.EventId[..12]} not counted: {rejected.Reason}");
            }

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

                await context.Error.WriteLineAsync($"exported {receipts.Count} receipt(s) to {Path.GetFullPath(path)}");
            }
            else
            {
                await context.Out.WriteAsync(text);
            }

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
            await context.Out.WriteLineAsync($"imported {count} receipt(s) into {new ReceiptStore(context.Home).Directory}");
            return 0;
        });
        return command;
    }

    private static Option<string[]> MarketRelayOption() =>
        new("--relay") { Description = "A relay URL (repeatable); default: DSRS_RELAYS (separated by ';').", AllowMultipleArgumentsPerToken = true };

    private static IReadOnlyList<Uri> MarketRelays(ParseResult r, Option<string[]> option, CliContext context)
    {
        var given = r.GetValue(option) is { Length: > 0 } list ? list : (context.Env(MarketRelaysVariable) ?? string.Empty).Split(';', ',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (given.Length == 0)
        {
            throw new DsrsException("DSRS0900", "no relay: pass --relay URL or set " + MarketRelaysVariable);
        }

        return given.Select(Nostr.Relays.RelayUrl.Parse).ToList();
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

    private static IReadOnlyList<Receipt> MarketEnvironmentReceipts(CliContext context) =>
        context.Env(ReceiptStore.EnvironmentVariable) is { Length: > 0 } value ? ReceiptStore.Parse(value) : [];

    private static Uri MarketUri(string text, string option) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) ? uri : throw new DsrsException("DSRS0900", $"{option} must be an absolute URL");

    private static string MarketSearchJson(SelectionResult ranked, SearchResult result)
    {
        var listings = new JsonArray();
        foreach (var item in ranked.Ranking)
        {
            var l = item.Listing;
            var o = new JsonObject()
                .Add("compiled_id", l.CompiledId)
                .Add("signature_name", l.SignatureName)
                .Add("family", l.Family)
                .Add("domains", JsonArray.OfStrings(l.Domains))
                .Add("seller", l.SellerPubKey)
                .Add("npub", Nip19.EncodeNpub(l.SellerPubKey))
                .Add("price_msat", l.PriceMsat)
                .Add("created_at", l.CreatedAt)
                .Add("event_id", l.Event.Id)
                .Add("address", l.Address)
                .Add("reputation", MarketScoreJson(result.Reputation.ForListing(l.Address)));
            if (l.Accuracy is { } a)
            {
                o.Add("accuracy", a);
            }

            if (l.ExampleCount is { } n)
            {
                o.Add("examples", n);
            }

            listings.Add(o);
        }

        var rejected = new JsonArray(result.Rejected.Concat(ranked.FilteredOut).Select(x => (JsonValue)new JsonObject().Add("event_id", x.EventId).Add("reason", x.Reason)));
        var relays = new JsonArray(result.Relays.Select(x => (JsonValue)new JsonObject().Add("relay", x.Relay.AbsoluteUri).Add("ok", x.Succeeded).Add("accepted", x.Accepted).Add("invalid", x.Invalid)));
        return JsonWriter.WriteReviewedFile(new JsonObject().Add("listings", listings).Add("rejected", rejected).Add("relays", relays).Add("explanation", ranked.Explanation));
    }

    private static JsonObject MarketScoreJson(ReputationScore score)
    {
        var o = new JsonObject().Add("verified", score.VerifiedCount).Add("unverified", score.UnverifiedCount).Add("fraud_reports", score.FraudReports);
        if (score.VerifiedMean is { } v)
        {
            o.Add("verified_mean", v);
        }

        if (score.UnverifiedMean is { } u)
        {
            o.Add("unverified_mean", u);
        }

        return o;
    }

    private static string MarketScoreText(ReputationScore s) =>
        $"{s.VerifiedCount} verified review(s){(s.VerifiedMean is { } v ? $", mean {v.ToString("0.0", CultureInfo.InvariantCulture)}" : string.Empty)}" +
        $"; {s.UnverifiedCount} unverified{(s.UnverifiedMean is { } u ? $" (mean {u.ToString("0.0", CultureInfo.InvariantCulture)})" : string.Empty)}" +
        (s.FraudReports > 0 ? $"; {s.FraudReports} proven fraud report(s)" : string.Empty);

    private static string MarketClip(string text, int width) => text.Length <= width ? text : text[..(width - 1)] + "…";

    private static string MarketAge(long createdAt)
    {
        var age = DateTimeOffset.UtcNow - DateTimeOffset.FromUnixTimeSeconds(createdAt);
        return age.TotalDays >= 1 ? $"{(int)age.TotalDays}d" : age.TotalHours >= 1 ? $"{(int)age.TotalHours}h" : $"{Math.Max(0, (int)age.TotalMinutes)}m";
    }
}
