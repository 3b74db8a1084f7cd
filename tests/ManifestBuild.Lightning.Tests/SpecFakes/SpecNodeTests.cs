using ManifestBuild.Lightning.Nodes;

namespace ManifestBuild.Lightning.Tests.SpecFakes;

/// <summary>
/// Every adapter against the fake built from its own node's spec: each request is checked against
/// that spec (a violation fails the test when the fake stops), and each answer is the spec's shape.
/// </summary>
public sealed class SpecNodeTests
{
    private static readonly NodeOptions Fast = new() { RequestTimeout = TimeSpan.FromSeconds(30), PaymentTimeout = TimeSpan.FromSeconds(1), PaymentGrace = TimeSpan.FromSeconds(30) };
    private static readonly NodeOptions Impatient = new() { RequestTimeout = TimeSpan.FromSeconds(30), PaymentTimeout = TimeSpan.FromSeconds(1), PaymentGrace = TimeSpan.FromSeconds(1) };

    [Theory]
    [MemberData(nameof(SpecWorld.NodeTypes), MemberType = typeof(SpecWorld))]
    public async Task A_paid_invoice_is_succeeded_with_the_exact_amount_and_fee_and_a_lookup_agrees(string type)
    {
        await using var world = await SpecWorld.StartAsync(type, feeMsat: 1500);
        var invoice = await world.Seller.CreateInvoiceAsync(25_000, "dsrs manifest x", TimeSpan.FromMinutes(10), default);
        await using var node = world.Node(Fast);

        var paid = await node.PayAsync(invoice.Bolt11, SpecWorld.FeeCap(25_000), default);
        var looked = await node.LookupPaymentAsync(invoice.PaymentHashHex, default);

        var preimage = world.Seller.LookupInvoice(invoice.PaymentHashHex)!.Preimage;
        Assert.Equal((PaymentStatus.Succeeded, preimage, 25_000L, 1500L), (paid.Status, paid.PreimageHex, paid.AmountMsat, paid.FeeMsat));
        Assert.Equal((PaymentStatus.Succeeded, preimage, 25_000L, 1500L), (looked.Status, looked.PreimageHex, looked.AmountMsat, looked.FeeMsat));
        Assert.Equal(1, world.Seller.CountPaymentAttempts(invoice.PaymentHashHex));
    }

    [Theory]
    [MemberData(nameof(SpecWorld.NodeTypes), MemberType = typeof(SpecWorld))]
    public async Task An_unknown_hash_is_not_found(string type)
    {
        await using var world = await SpecWorld.StartAsync(type);
        await using var node = world.Node(Fast);

        var looked = await node.LookupPaymentAsync(new string('7', 64), default);

        Assert.Equal(PaymentStatus.NotFound, looked.Status);
    }

    [Theory]
    [MemberData(nameof(SpecWorld.NodeTypes), MemberType = typeof(SpecWorld))]
    public async Task A_payment_without_a_route_is_failed_and_nothing_reaches_the_seller(string type)
    {
        await using var world = await SpecWorld.StartAsync(type);
        world.Backend.Outcome = _ => FakePayOutcome.NoRoute;
        var invoice = await world.Seller.CreateInvoiceAsync(25_000, "dsrs manifest x", TimeSpan.FromMinutes(10), default);
        await using var node = world.Node(Fast);

        var result = await node.PayAsync(invoice.Bolt11, SpecWorld.FeeCap(25_000), default);

        Assert.Equal(PaymentStatus.Failed, result.Status);
        Assert.Equal(0, world.Seller.CountPaymentAttempts(invoice.PaymentHashHex));
    }

    [Theory]
    [MemberData(nameof(SpecWorld.NodeTypes), MemberType = typeof(SpecWorld))]
    public async Task A_dropped_connection_after_paying_is_pending_and_the_lookup_then_finds_it_paid(string type)
    {
        await using var world = await SpecWorld.StartAsync(type);
        world.Backend.Outcome = _ => FakePayOutcome.PayThenDrop;
        var invoice = await world.Seller.CreateInvoiceAsync(25_000, "dsrs manifest x", TimeSpan.FromMinutes(10), default);
        await using var node = world.Node(Impatient);

        var result = await node.PayAsync(invoice.Bolt11, SpecWorld.FeeCap(25_000), default);
        var looked = await node.LookupPaymentAsync(invoice.PaymentHashHex, default);

        Assert.Equal(PaymentStatus.Pending, result.Status);
        Assert.Equal(PaymentStatus.Succeeded, looked.Status);
        Assert.Equal(1, world.Seller.CountPaymentAttempts(invoice.PaymentHashHex));
    }

    [Theory]
    [MemberData(nameof(SpecWorld.NodeTypes), MemberType = typeof(SpecWorld))]
    public async Task A_payment_still_in_flight_is_pending_never_failed_and_succeeds_when_it_lands(string type)
    {
        await using var world = await SpecWorld.StartAsync(type);
        world.Backend.Outcome = _ => FakePayOutcome.StayInFlight;
        var invoice = await world.Seller.CreateInvoiceAsync(25_000, "dsrs manifest x", TimeSpan.FromMinutes(10), default);
        await using var node = world.Node(Impatient);

        var result = await node.PayAsync(invoice.Bolt11, SpecWorld.FeeCap(25_000), default);
        var during = await node.LookupPaymentAsync(invoice.PaymentHashHex, default);
        await world.Backend.ReleaseAsync(invoice.PaymentHashHex);
        var after = await node.LookupPaymentAsync(invoice.PaymentHashHex, default);

        Assert.Equal((PaymentStatus.Pending, PaymentStatus.Pending, PaymentStatus.Succeeded), (result.Status, during.Status, after.Status));
        Assert.Equal(1, world.Seller.CountPaymentAttempts(invoice.PaymentHashHex));
    }

    [Theory]
    [MemberData(nameof(SpecWorld.NodeTypes), MemberType = typeof(SpecWorld))]
    public async Task Paying_an_already_paid_invoice_again_reports_the_first_payment_and_moves_no_money(string type)
    {
        await using var world = await SpecWorld.StartAsync(type);
        var invoice = await world.Seller.CreateInvoiceAsync(25_000, "dsrs manifest x", TimeSpan.FromMinutes(10), default);
        await using var node = world.Node(Fast);

        await node.PayAsync(invoice.Bolt11, SpecWorld.FeeCap(25_000), default);
        var again = await node.PayAsync(invoice.Bolt11, SpecWorld.FeeCap(25_000), default);

        Assert.Equal(PaymentStatus.Succeeded, again.Status);
        Assert.Equal(world.Seller.LookupInvoice(invoice.PaymentHashHex)!.Preimage, again.PreimageHex);
        Assert.Equal(1, world.Seller.CountPaymentAttempts(invoice.PaymentHashHex));
    }

    [Theory]
    [MemberData(nameof(SpecWorld.NodeTypes), MemberType = typeof(SpecWorld))]
    public async Task Info_and_a_seller_invoice_of_the_longest_description_work(string type)
    {
        await using var world = await SpecWorld.StartAsync(type);
        await using var node = world.Node(Fast);
        var description = InvoiceDescriptions.ForManifest(new string('c', 64), new string('s', 200));

        var info = await node.GetInfoAsync(default);
        var created = await node.CreateInvoiceAsync(21_000, description, TimeSpan.FromMinutes(10), default);

        Assert.Equal("regtest", info.Network);
        Assert.Equal(InvoiceDescriptions.MaxLength, description.Length);
        Assert.Equal(description, world.Backend.Wallet.LookupInvoice(created.PaymentHashHex)!.Description);
    }
}
