using System.Text.Json.Nodes;
using ManifestBuild.Format;
using ManifestBuild.Lightning.Nodes;
using ManifestBuild.Nostr;
using ManifestBuild.Relay;

namespace ManifestBuild.Lightning.Tests.Nodes;

public sealed class NwcNodeTests : IAsyncLifetime
{
    private static readonly NodeOptions Fast = new() { RequestTimeout = TimeSpan.FromSeconds(30), PaymentTimeout = TimeSpan.FromSeconds(1), PaymentGrace = TimeSpan.FromSeconds(30) };
    private static readonly NodeOptions Impatient = new() { RequestTimeout = TimeSpan.FromSeconds(2), PaymentTimeout = TimeSpan.FromSeconds(1), PaymentGrace = TimeSpan.FromSeconds(1) };
    private readonly NostrKeyPair clientKey = NostrKeyPair.Generate();
    private EmbeddedRelay relay = null!;

    public async Task InitializeAsync() => relay = await EmbeddedRelay.StartAsync(new EmbeddedRelayOptions { Port = 0 });

    public async Task DisposeAsync() => await relay.DisposeAsync();

    [Fact]
    public async Task Pay_sends_an_encrypted_pay_invoice_request_with_p_encryption_and_expiration_tags()
    {
        var invoice = TestInvoice.Create("10u");
        await using var wallet = await FakeWalletService.StartAsync(relay.Url, (method, _) =>
            FakeWalletService.Result(method, new JsonObject { ["preimage"] = invoice.PreimageHex, ["fees_paid"] = 15 }));
        await using var node = Node(wallet, Fast);

        var result = await node.PayAsync(invoice.Bolt11, 1000, CancellationToken.None);

        Assert.Equal(new PaymentResult(PaymentStatus.Succeeded, invoice.PaymentHashHex, invoice.PreimageHex, 1_000_000, 15), result);
        var (request, method, parameters) = Assert.Single(wallet.Seen);
        Assert.Equal(("pay_invoice", 23194, clientKey.PublicKeyHex), (method, request.Kind, request.PubKey));
        Assert.Equal([wallet.Key.PublicKeyHex], request.TagValues("p"));
        Assert.Equal(["nip44_v2"], request.TagValues("encryption"));
        Assert.InRange(long.Parse(request.TagValues("expiration").Single()), DateTimeOffset.UtcNow.ToUnixTimeSeconds(), DateTimeOffset.UtcNow.AddMinutes(2).ToUnixTimeSeconds());
        Assert.Equal(["invoice"], parameters.Select(p => p.Key));
        Assert.DoesNotContain(invoice.Bolt11, request.Content); // encrypted on the wire
    }

    [Fact]
    public async Task Pay_maps_payment_failed_to_failed_and_balance_refusals_to_an_exception()
    {
        var failing = TestInvoice.Create();
        var broke = TestInvoice.Create();
        await using var wallet = await FakeWalletService.StartAsync(relay.Url, (method, p) => (string?)p["invoice"] == failing.Bolt11
            ? FakeWalletService.Error(method, "PAYMENT_FAILED", "no route")
            : FakeWalletService.Error(method, "INSUFFICIENT_BALANCE", "balance too low"));
        await using var node = Node(wallet, Fast);

        var failed = await node.PayAsync(failing.Bolt11, 1000, CancellationToken.None);
        var refused = await Assert.ThrowsAsync<DsrsException>(() => node.PayAsync(broke.Bolt11, 1000, CancellationToken.None));

        Assert.Equal(PaymentStatus.Failed, failed.Status);
        Assert.Contains("no route", failed.FailureReason);
        Assert.Equal(NodeErrorCodes.PaymentRefused, refused.Code);
        Assert.Contains("INSUFFICIENT_BALANCE", refused.Message);
    }

    [Fact]
    public async Task Pay_without_an_answer_in_time_is_pending()
    {
        var invoice = TestInvoice.Create();
        await using var wallet = await FakeWalletService.StartAsync(relay.Url, (method, _) => null);
        await using var silent = Node(wallet, Impatient);

        var result = await silent.PayAsync(invoice.Bolt11, 1000, CancellationToken.None);

        Assert.Equal(PaymentStatus.Pending, result.Status);
        Assert.Contains("did not answer pay_invoice", result.FailureReason);
    }

    [Fact]
    public async Task A_response_signed_by_another_key_never_counts()
    {
        var invoice = TestInvoice.Create();
        var forger = NostrKeyPair.Generate();
        await using var wallet = await FakeWalletService.StartAsync(
            relay.Url,
            (method, _) => FakeWalletService.Error(method, "PAYMENT_FAILED", "genuine failure"),
            request => forger.Sign(23195, [["p", request.PubKey], ["e", request.Id]], Nip44.Encrypt(FakeWalletService.Result("pay_invoice", new JsonObject { ["preimage"] = invoice.PreimageHex }).ToJsonString(), forger, request.PubKey)));
        await using var node = Node(wallet, Fast);

        var result = await node.PayAsync(invoice.Bolt11, 1000, CancellationToken.None);

        Assert.Equal(PaymentStatus.Failed, result.Status);
        Assert.Contains("genuine failure", result.FailureReason);
    }

    [Fact]
    public async Task Lookup_maps_not_found_settled_and_pending()
    {
        var settled = TestInvoice.Create();
        var pending = TestInvoice.Create();
        await using var wallet = await FakeWalletService.StartAsync(relay.Url, (method, p) =>
            (string?)p["payment_hash"] == settled.PaymentHashHex ? FakeWalletService.Result(method, new JsonObject { ["type"] = "outgoing", ["payment_hash"] = settled.PaymentHashHex, ["preimage"] = settled.PreimageHex, ["amount"] = 5000, ["fees_paid"] = 2, ["settled_at"] = 1_700_000_000 })
            : (string?)p["payment_hash"] == pending.PaymentHashHex ? FakeWalletService.Result(method, new JsonObject { ["type"] = "outgoing", ["payment_hash"] = pending.PaymentHashHex, ["amount"] = 5000, ["state"] = "pending" })
            : FakeWalletService.Error(method, "NOT_FOUND", "no such invoice"));
        await using var node = Node(wallet, Fast);

        var found = await node.LookupPaymentAsync(settled.PaymentHashHex, CancellationToken.None);
        Assert.Equal((PaymentStatus.Succeeded, settled.PreimageHex, (long?)2), (found.Status, found.PreimageHex, found.FeeMsat));
        Assert.Equal(PaymentStatus.Pending, (await node.LookupPaymentAsync(pending.PaymentHashHex, CancellationToken.None)).Status);
        Assert.Equal(PaymentStatus.NotFound, (await node.LookupPaymentAsync(TestInvoice.Create().PaymentHashHex, CancellationToken.None)).Status);
        Assert.All(wallet.Seen, s => Assert.Equal("lookup_invoice", s.Method));
    }

    [Fact]
    public async Task MakeInvoice_and_GetInfo_through_a_connection_uri()
    {
        var hash = new string('3', 64);
        await using var wallet = await FakeWalletService.StartAsync(relay.Url, (method, p) => method switch
        {
            "make_invoice" => FakeWalletService.Result(method, new JsonObject { ["type"] = "incoming", ["invoice"] = "lnbcrt1fake", ["payment_hash"] = hash, ["amount"] = (long?)p["amount"], ["created_at"] = 1_900_000_000, ["expires_at"] = 1_900_000_600 }),
            "get_info" => FakeWalletService.Result(method, new JsonObject { ["alias"] = "wallet", ["pubkey"] = "02" + new string('8', 64), ["network"] = "regtest", ["methods"] = new JsonArray("pay_invoice", "get_balance", "make_invoice", "lookup_invoice", "get_info") }),
            "get_balance" => FakeWalletService.Result(method, new JsonObject { ["balance"] = 77_000 }),
            _ => FakeWalletService.Error(method, "NOT_IMPLEMENTED", "no"),
        });
        var uri = $"nostr+walletconnect://{wallet.Key.PublicKeyHex}?relay={Uri.EscapeDataString(relay.Url.ToString())}&secret={clientKey.ExportSecretHex()}";
        await using var node = LightningNodeFactory.Create(NodeConnectionString.Parse(uri), Path.GetTempPath(), Fast);

        var created = await node.CreateInvoiceAsync(21_000, "dsrs abc", TimeSpan.FromMinutes(10), CancellationToken.None);
        var info = await node.GetInfoAsync(CancellationToken.None);

        Assert.Equal(new CreatedInvoice("lnbcrt1fake", hash, DateTimeOffset.FromUnixTimeSeconds(1_900_000_600)), created);
        Assert.Equal(new NodeInfo("02" + new string('8', 64), "regtest", "wallet", 77_000), info);
        var make = wallet.Seen.First(s => s.Method == "make_invoice").Params;
        Assert.Equal((21_000L, "dsrs abc", 600), ((long?)make["amount"], (string?)make["description"], (int?)make["expiry"]));
    }

    [Fact]
    public async Task An_unreachable_relay_throws_before_anything_is_sent()
    {
        await using var node = new NwcNode(NostrKeyPair.Generate().PublicKeyHex, [new Uri($"ws://127.0.0.1:{ManifestBuild.TestSupport.Loopback.ClosedPort()}")], clientKey.ExportSecretHex(), Fast);

        var error = await Assert.ThrowsAsync<DsrsException>(() => node.PayAsync(TestInvoice.Create().Bolt11, 1000, CancellationToken.None));

        Assert.Equal(NodeErrorCodes.Unreachable, error.Code);
    }

    private NwcNode Node(FakeWalletService wallet, NodeOptions options) =>
        new(wallet.Key.PublicKeyHex, [relay.Url], clientKey.ExportSecretHex(), options);
}
