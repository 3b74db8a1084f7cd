using ManifestBuild.Format;
using ManifestBuild.Lightning.Dev;
using ManifestBuild.Lightning.Nodes;
using ManifestBuild.Lightning.Payments;

// Usage: PurchaseHost HOME DEVNET BUYER BOLT11 COMPILED_ID PRICE_MSAT LISTING_NODE TOKEN [--pause]
// BUYER is a dev node name, or "node=<connection string>" to buy through any node type (the spec fakes).
// With --pause, after announcing "STEP <name>" it waits for one line on stdin before going on,
// so a test can kill it at exactly that step without sleeping.
if (args.Length < 8)
{
    Console.Error.WriteLine("usage: PurchaseHost HOME DEVNET BUYER BOLT11 COMPILED_ID PRICE_MSAT LISTING_NODE TOKEN [--pause]");
    return 2;
}

var pause = args.Contains("--pause");

async Task Step(string name)
{
    Console.Out.WriteLine("STEP " + name);
    Console.Out.Flush();
    if (pause)
    {
        await Console.In.ReadLineAsync();
    }
}

ILightningNode node = args[2].StartsWith("node=", StringComparison.Ordinal)
    ? LightningNodeFactory.Create(NodeConnectionString.Parse(args[2]["node=".Length..]), args[0])
    : DevNode.Open(args[2], args[1]);
var ledger = PurchaseLedger.ForHome(args[0]);
var guard = new PaymentGuard(node, ledger, new PaymentGuardOptions
{
    OnStep = (step, _) => Step(step.ToString()),
    PendingWait = TimeSpan.FromSeconds(5),
    PendingPollInterval = TimeSpan.FromMilliseconds(50),
});

Console.Out.WriteLine("STARTED");
Console.Out.Flush();
try
{
    var paid = await guard.PayAsync(
        new PurchaseRequest
        {
            CompiledId = args[4],
            PriceMsat = long.Parse(args[5], System.Globalization.CultureInfo.InvariantCulture),
            ListingNodeId = args[6],
            ExpectedNetwork = "regtest",
            Token = args[7],
            Bolt11 = args[3],
        },
        CancellationToken.None);
    await Step("BeforeDelivery");
    await ledger.MarkDeliveredAsync(paid.PaymentHash);
    Console.Out.WriteLine($"DONE {paid.PaymentHash} {(paid.AlreadyPaid ? "already-paid" : "paid")}");
    return 0;
}
catch (DsrsException e)
{
    Console.Out.WriteLine("ERROR " + e);
    return 1;
}
