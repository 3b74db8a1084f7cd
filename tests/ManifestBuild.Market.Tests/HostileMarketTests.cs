using ManifestBuild.Format;
using ManifestBuild.Format.Caching;
using ManifestBuild.Format.Json;
using ManifestBuild.Format.Locking;
using ManifestBuild.Lightning.Dev;
using ManifestBuild.Lightning.Payments;
using ManifestBuild.Market.Buying;
using ManifestBuild.Market.Listings;
using ManifestBuild.Market.Selection;
using ManifestBuild.Nostr;

namespace ManifestBuild.Market.Tests;

/// <summary>
/// Hostile sellers on loopback (real HTTP sellers on 127.0.0.1, the embedded relay, dev nodes on one
/// shared ledger): a fraud is paid once and never again, a receipt never reaches a listing that did
/// not issue it, an impostor cannot lock the buyer out of the real seller, and nothing a peer sends
/// reaches an output raw.
/// </summary>
public sealed class HostileMarketTests
{
    private const long Price = 3000;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);
    private static readonly DeliveryRetry QuickRetry = new(3, TimeSpan.FromMilliseconds(20));
    private readonly MarketClient client = new();

    [Theory]
    [InlineData(HostileMode.WrongContent, MarketErrorCodes.ContentMismatch)]
    [InlineData(HostileMode.ServerError, MarketErrorCodes.PaidNotDelivered)]
    [InlineData(HostileMode.PaymentRequiredAgain, MarketErrorCodes.PaidNotDelivered)]
    public async Task A_proven_fraud_is_paid_once_whatever_versions_it_publishes_next(HostileMode mode, string firstCode)
    {
        await using var market = await MarketLoopback.StartAsync([], priceMsat: 1000);
        var malloryNode = DevNode.Open("mallory", market.Ledger);
        await using var mallory = await HostileSeller.StartAsync(malloryNode, mode);
        var malloryKey = NostrKeyPair.Generate();
        var query = new ListingQuery { Family = "complexity" };
        var listings = new List<Listing>();
        var errors = new List<DsrsException>();

        for (var version = 1; version <= 3; version++)
        {
            // The same signature, a new compiled_id each time: what a fraud does to look like a new offer.
            var manifest = MarketSamples.Manifest(instruction: $"version {version}");
            mallory.Sell(manifest);
            var listing = ListingParser.Parse(Verified.Of(ListingBuilder.BuildSigned(manifest, new ListingOptions { PriceMsat = Price, L402Url = mallory.Url, NodeIdHex = malloryNode.NodeId, CreatedAt = 1_770_000_000 + version }, malloryKey)));
            listings.Add(listing);
            Assert.All(await client.PublishAsync(listing.Event, market.Relays, Deadline), r => Assert.True(r.Success, r.Message));

            var (selection, outcome) = await BuildOnceAsync(market, query);
            errors.Add(Assert.IsAssignableFrom<DsrsException>(outcome));
            if (version == 1)
            {
                Assert.Equal(listing.CompiledId, selection.Winner!.CompiledId);
                Assert.Equal(firstCode, errors[0].Code);
            }
            else
            {
                // Every later build: the seller's new version is skipped, with the standing loss and its code.
                Assert.Null(selection.Winner);
                Assert.Equal(MarketErrorCodes.NoListingSelected, errors[^1].Code);
                var warning = Assert.Single(selection.StandingWarnings);
                Assert.StartsWith(MarketErrorCodes.SellerBlocked, warning, StringComparison.Ordinal);
                Assert.Contains(malloryKey.PublicKeyHex, warning, StringComparison.Ordinal);
            }

            // Even a caller that skips selection (dsrs buy, an older resolver) cannot pay it.
            if (version > 1)
            {
                var direct = await Assert.ThrowsAsync<DsrsException>(() => client.AcquireAsync(listing, Options(market.BuyerHome, market)));
                Assert.Equal(MarketErrorCodes.SellerBlocked, direct.Code);
                errors.Add(direct);
            }
        }

        Assert.Single(malloryNode.ListSettledInvoices());
        Assert.Equal(1, mallory.InvoicesCreated);
        var ledger = PurchaseLedger.ForHome(market.BuyerHome).List();
        Assert.True(Assert.Single(ledger).Fraud);
        Assert.NotNull(SellerStanding.ForHome(market.BuyerHome).Load().Find(malloryKey.PublicKeyHex));
        Assert.All(errors, e => Assert.True(UntrustedText.IsDisplaySafe(e.Message), e.Message));
        Assert.False(new ManifestCache(market.BuyerHome).TryGet(listings[0].CompiledId, out _));

        if (mode == HostileMode.ServerError)
        {
            Assert.Contains("CompiledId " + listings[0].CompiledId, errors[^1].Message, StringComparison.Ordinal);

            // Paid but undelivered: the receipt is kept; once the seller delivers, it is taken with it, never paid again.
            mallory.Mode = HostileMode.Honest;
            var late = await client.AcquireAsync(listings[0], Options(market.BuyerHome, market));
            Assert.Equal(AcquireSource.Receipt, late.Source);
            Assert.Equal(0, late.PricePaidMsat);
            Assert.Single(malloryNode.ListSettledInvoices());
            Assert.Equal(PurchaseState.Delivered, Assert.Single(PurchaseLedger.ForHome(market.BuyerHome).List()).State);
            Assert.Null(SellerStanding.ForHome(market.BuyerHome).Load().Find(malloryKey.PublicKeyHex));
        }
    }

    [Fact]
    public async Task The_user_can_block_and_unblock_a_seller_and_the_project_can_block_one()
    {
        await using var market = await MarketLoopback.StartAsync([], priceMsat: 1000);
        var malloryNode = DevNode.Open("mallory", market.Ledger);
        await using var mallory = await HostileSeller.StartAsync(malloryNode, HostileMode.WrongContent);
        var key = NostrKeyPair.Generate();
        var manifest = MarketSamples.Manifest(instruction: "blocked by hand");
        mallory.Sell(manifest);
        var listing = ListingParser.Parse(Verified.Of(ListingBuilder.BuildSigned(manifest, new ListingOptions { PriceMsat = Price, L402Url = mallory.Url, NodeIdHex = malloryNode.NodeId }, key)));
        var standing = SellerStanding.ForHome(market.BuyerHome);

        standing.Block(Nip19.EncodeNpub(key.PublicKeyHex), "looks like a scam");
        var byUser = await Assert.ThrowsAsync<DsrsException>(() => client.AcquireAsync(listing, Options(market.BuyerHome, market)));
        Assert.Equal(MarketErrorCodes.SellerBlocked, byUser.Code);
        Assert.Contains("looks like a scam", byUser.Message, StringComparison.Ordinal);

        standing.Unblock(key.PublicKeyHex);
        var byProject = await Assert.ThrowsAsync<DsrsException>(() => client.AcquireAsync(listing, Options(market.BuyerHome, market) with { BlockedSellers = SellerStanding.ParseList(Nip19.EncodeNpub(key.PublicKeyHex)) }));
        Assert.Equal(MarketErrorCodes.SellerBlocked, byProject.Code);
        Assert.Equal(0, mallory.InvoicesCreated);

        // Unblocked, it is paid once, proves a fraud, and is blocked again; unblocking forgives that fraud.
        await Assert.ThrowsAsync<ContentMismatchException>(() => client.AcquireAsync(listing, Options(market.BuyerHome, market)));
        Assert.NotNull(standing.Load().Find(key.PublicKeyHex));
        Assert.Equal(1, standing.Unblock(key.PublicKeyHex));
        Assert.Null(standing.Load().Find(key.PublicKeyHex));
        Assert.Throws<DsrsException>(() => SellerStanding.Normalize("npub1notakey"));
    }

    [Fact]
    public async Task A_receipt_is_presented_only_to_the_seller_node_and_origin_that_issued_it()
    {
        var real = MarketSamples.Manifest(instruction: "the real one");
        await using var market = await MarketLoopback.StartAsync([real], priceMsat: 2000);
        var realListing = ListingParser.Parse(Verified.Of(ListingBuilder.BuildSigned(real, market.PaidOptions(2000), market.SellerKey)));
        await client.PublishAsync(realListing.Event, market.Relays, Deadline);
        var bought = await client.AcquireAsync(realListing, Options(market.BuyerHome, market));
        Assert.Equal(AcquireSource.Purchase, bought.Source);

        // An impostor lists the same compiled_id, claims a higher accuracy, and would deliver the real content.
        var malloryNode = DevNode.Open("mallory", market.Ledger);
        await using var mallory = await HostileSeller.StartAsync(malloryNode, HostileMode.Honest);
        mallory.Sell(real);
        await client.PublishAsync(Impostor(real, mallory, NostrKeyPair.Generate()), market.Relays, Deadline);
        File.Delete(bought.CachePath);

        var found = await client.SearchAsync(new ListingQuery { CompiledId = realListing.CompiledId }, market.Relays, Deadline);
        var selection = client.Select(found.Listings, new SelectionCriteria { Filters = new ListingQuery { CompiledId = realListing.CompiledId } });
        var impostor = selection.Winner!;
        Assert.NotEqual(market.SellerKey.PublicKeyHex, impostor.SellerPubKey);

        // The impostor won the ranking, yet it never sees the receipt: the real seller delivers it, nothing is paid.
        var acquired = await client.AcquireAsync(impostor, Options(market.BuyerHome, market));
        Assert.Equal(AcquireSource.Receipt, acquired.Source);
        Assert.Equal(0, acquired.PricePaidMsat);
        Assert.Empty(mallory.CredentialsSeen);
        Assert.Equal(0, mallory.InvoicesCreated);
        Assert.Single(market.SellerNode.ListSettledInvoices());
        Assert.Null(new ReceiptStore(market.BuyerHome).FindFor(impostor));
        Assert.NotNull(new ReceiptStore(market.BuyerHome).FindFor(realListing));

        // Locked mode (no payment allowed) restores the same way, through the relays.
        File.Delete(acquired.CachePath);
        var restored = await client.RestoreAsync(realListing.CompiledId, new RestoreOptions { Home = market.BuyerHome, Relays = market.Relays, Deadline = Deadline });
        Assert.Equal(AcquireSource.Receipt, restored.Source);
        Assert.Empty(mallory.CredentialsSeen);

        // An older receipt (no seller, no node) is bound by its URL alone: presented at its own origin only.
        var receipt = Assert.Single(new ReceiptStore(market.BuyerHome).List());
        var legacy = new JsonObject().Add("compiled_id", receipt.CompiledId).Add("payment_hash", receipt.PaymentHash).Add("token", receipt.Token).Add("preimage", receipt.PreimageHex);
        var ci = market.SecondBuyerHome;
        Directory.CreateDirectory(Path.Combine(ci, "receipts"));
        File.WriteAllText(Path.Combine(ci, "receipts", receipt.CompiledId + ".json"), JsonWriter.WriteFile(legacy.CloneObject().Add("url", receipt.Url!.AbsoluteUri)));
        var viaLegacy = await client.AcquireAsync(impostor, Options(ci, market) with { AllowPay = false });
        Assert.Equal(AcquireSource.Receipt, viaLegacy.Source);
        Assert.Empty(mallory.CredentialsSeen);

        // One that knows neither its seller nor its URL is never presented, to anyone.
        File.Delete(viaLegacy.CachePath);
        File.WriteAllText(Path.Combine(ci, "receipts", receipt.CompiledId + ".json"), JsonWriter.WriteFile(legacy));
        var unbound = await Assert.ThrowsAsync<DsrsException>(() => client.AcquireAsync(impostor, Options(ci, market) with { AllowPay = false }));
        Assert.Equal(MarketErrorCodes.PaymentNotAllowed, unbound.Code);
        Assert.Empty(mallory.CredentialsSeen);
        Assert.Equal(1, market.Server.InvoicesCreated);
        Assert.Single(market.SellerNode.ListSettledInvoices());
    }

    [Fact]
    public async Task An_impostor_paid_once_does_not_lock_the_buyer_out_of_the_real_seller()
    {
        var real = MarketSamples.Manifest(instruction: "the real one");
        await using var market = await MarketLoopback.StartAsync([real], priceMsat: 2000);
        var realListing = ListingParser.Parse(Verified.Of(ListingBuilder.BuildSigned(real, market.PaidOptions(2000), market.SellerKey)));
        await client.PublishAsync(realListing.Event, market.Relays, Deadline);
        var malloryNode = DevNode.Open("mallory", market.Ledger);
        await using var mallory = await HostileSeller.StartAsync(malloryNode, HostileMode.WrongContent);
        mallory.Sell(real);
        mallory.PriceMsat = 2000;
        var impostorKey = NostrKeyPair.Generate();
        await client.PublishAsync(Impostor(real, mallory, impostorKey, price: 2000), market.Relays, Deadline);
        var query = new ListingQuery { CompiledId = realListing.CompiledId };

        // Build 1: the impostor ranks first, is paid, and delivers something else.
        var (first, firstOutcome) = await BuildOnceAsync(market, query);
        Assert.Equal(impostorKey.PublicKeyHex, first.Winner!.SellerPubKey);
        Assert.IsType<ContentMismatchException>(firstOutcome);

        // Its receipt never counts as "already paid" (the budget check) and never reaches the real seller.
        Assert.Null(new ReceiptStore(market.BuyerHome).Find(realListing.CompiledId));
        Assert.Null(new ReceiptStore(market.BuyerHome).FindFor(realListing));

        // Build 2: the impostor is skipped with its code, the real seller is paid and delivers.
        var (second, secondOutcome) = await BuildOnceAsync(market, query);
        Assert.Equal(market.SellerKey.PublicKeyHex, second.Winner!.SellerPubKey);
        Assert.Contains(second.StandingWarnings, w => w.StartsWith(MarketErrorCodes.SellerBlocked, StringComparison.Ordinal));
        var delivered = Assert.IsType<AcquiredManifest>(secondOutcome);
        Assert.Equal(AcquireSource.Purchase, delivered.Source);
        Assert.Equal(2000, delivered.PricePaidMsat);
        Assert.Equal(1, market.Server.Deliveries);

        // Build 3 (cache lost): the real receipt, nothing paid; each seller was paid exactly once.
        File.Delete(delivered.CachePath);
        var (_, thirdOutcome) = await BuildOnceAsync(market, query);
        Assert.Equal(AcquireSource.Receipt, Assert.IsType<AcquiredManifest>(thirdOutcome).Source);
        Assert.Single(market.SellerNode.ListSettledInvoices());
        Assert.Single(malloryNode.ListSettledInvoices());
        Assert.Single(mallory.CredentialsSeen);
    }

    [Fact]
    public async Task Control_and_bidi_characters_from_peers_never_reach_an_output_raw()
    {
        await using var market = await MarketLoopback.StartAsync([], priceMsat: 1000);
        var malloryNode = DevNode.Open("mallory", market.Ledger);
        await using var mallory = await HostileSeller.StartAsync(malloryNode, HostileMode.ServerError);
        var evil = MarketSamples.Manifest(instruction: "evil");
        evil.Set("signature_name", new JsonString("Evil\u001b[2K\u0007\u202eemaN"));
        evil.Set("compiled_id", new JsonString(CompiledId.Compute(evil)));
        mallory.Sell(evil);
        var key = NostrKeyPair.Generate();
        await client.PublishAsync(ListingBuilder.BuildSigned(evil, new ListingOptions { PriceMsat = Price, L402Url = mallory.Url, NodeIdHex = malloryNode.NodeId }, key), market.Relays, Deadline);

        var (selection, outcome) = await BuildOnceAsync(market, new ListingQuery { Family = "complexity" });
        Assert.Contains("\\u001b", selection.Explanation, StringComparison.Ordinal);
        Assert.True(UntrustedText.IsDisplaySafe(selection.Explanation), selection.Explanation);
        var error = Assert.IsAssignableFrom<DsrsException>(outcome);
        Assert.Equal(MarketErrorCodes.PaidNotDelivered, error.Code);
        Assert.Contains("verified OK", error.Message, StringComparison.Ordinal); // the body is shown, escaped
        Assert.True(UntrustedText.IsDisplaySafe(error.Message), error.Message);
        Assert.True(UntrustedText.IsDisplaySafe(error.ToString()));

        // The lockfile stores the name as \uXXXX escapes: the same value, nothing a diff viewer would act on.
        var lockFile = new LockFile();
        lockFile.Manifests["Evil"] = new LockEntry { SignatureName = selection.Winner!.SignatureName, CompiledId = selection.Winner.CompiledId };
        var text = lockFile.ToText();
        Assert.True(UntrustedText.IsDisplaySafe(text.Replace("\n", string.Empty, StringComparison.Ordinal)), text);
        Assert.Contains("\\u202e", text, StringComparison.Ordinal);
        Assert.Equal(evil.GetString("signature_name"), LockFile.Parse(text).Manifests["Evil"].SignatureName);
    }

    [Fact]
    public async Task A_paid_listing_served_without_payment_is_refused_and_nothing_is_paid()
    {
        await using var market = await MarketLoopback.StartAsync([], priceMsat: 1000);
        var malloryNode = DevNode.Open("mallory", market.Ledger);
        await using var mallory = await HostileSeller.StartAsync(malloryNode, HostileMode.GiveAway);
        var manifest = MarketSamples.Manifest(instruction: "given away");
        mallory.Sell(manifest);
        var listing = ListingParser.Parse(Verified.Of(ListingBuilder.BuildSigned(manifest, new ListingOptions { PriceMsat = Price, L402Url = mallory.Url, NodeIdHex = malloryNode.NodeId }, NostrKeyPair.Generate())));

        var e = await Assert.ThrowsAsync<DsrsException>(() => client.AcquireAsync(listing, Options(market.BuyerHome, market)));
        Assert.Equal(MarketErrorCodes.UnpaidDelivery, e.Code);
        Assert.Equal(0, mallory.InvoicesCreated);
        Assert.Empty(PurchaseLedger.ForHome(market.BuyerHome).List());
        Assert.False(new ManifestCache(market.BuyerHome).TryGet(listing.CompiledId, out _));
    }

    [Fact]
    public void A_negative_zero_accuracy_is_listed_as_zero_and_parses_back()
    {
        var manifest = MarketSamples.Manifest();
        var scorecard = (JsonObject)manifest["scorecard"]!;
        scorecard.Set("accuracy", JsonParser.Parse("-0"));
        manifest.Set("compiled_id", new JsonString(CompiledId.Compute(manifest)));

        var listing = ListingParser.Parse(Verified.Of(ListingBuilder.BuildSigned(manifest, new ListingOptions(), NostrKeyPair.Generate())));
        Assert.Equal("0", listing.Event.FirstTagValue("accuracy"));
        Assert.Equal(0, listing.Accuracy);
    }

    private static AcquireOptions Options(string home, MarketLoopback market) =>
        new() { Home = home, Node = market.BuyerNode, Delivery = QuickRetry, BuildBudget = new BuildBudget(100_000) };

    /// <summary>What the build does for one item: search, select with the buyer's standing, acquire.</summary>
    private async Task<(SelectionResult Selection, object Outcome)> BuildOnceAsync(MarketLoopback market, ListingQuery query)
    {
        var found = await client.SearchAsync(query, market.Relays, Deadline);
        var selection = client.Select(found.Listings, new SelectionCriteria { Filters = query, Reputation = found.Reputation, Blocked = SellerStanding.ForHome(market.BuyerHome).Load() });
        try
        {
            var winner = selection.Winner ?? throw new DsrsException(MarketErrorCodes.NoListingSelected, selection.Explanation);
            return (selection, await client.AcquireAsync(winner, Options(market.BuyerHome, market)));
        }
        catch (DsrsException e)
        {
            return (selection, e);
        }
    }

    /// <summary>A listing of someone else's compiled_id, at the impostor's endpoint and node, claiming accuracy 0.99.</summary>
    private static NostrEvent Impostor(JsonObject manifest, HostileSeller seller, NostrKeyPair key, long price = Price)
    {
        var (tags, content) = ListingBuilder.Build(manifest, new ListingOptions { PriceMsat = price, L402Url = seller.Url, NodeIdHex = seller.Node.NodeId });
        var forged = tags.Select(t => t[0] == "accuracy" ? (IReadOnlyList<string>)["accuracy", "0.99"] : t).ToList();
        return key.Sign(NostrKinds.HandlerInformation, forged, content);
    }
}
