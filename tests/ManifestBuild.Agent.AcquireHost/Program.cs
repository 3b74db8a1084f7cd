using System.Globalization;
using ManifestBuild.Agent.Market;
using ManifestBuild.Format;

// Usage: AcquireHost RELAY FAMILY DOMAIN BUDGET_MSAT
//    or: AcquireHost --follow RELAY SELLER_HEX LINE
// DSRS_HOME and DSRS_NODE come from the environment, as in any agent process. Announces READY, waits
// for one line on stdin (so a test starts two of them at the same moment without sleeping), acquires,
// then prints "DONE <paid msat> <source> <compiled_id>" or "ERROR <code> <message>".
// With --follow it follows the line this home subscribed to: "CAUGHTUP" once the relay's stored versions
// are read, then "UPDATE <applied> <compiled_id> <code>" for the first version that arrives live.
if (args.Length == 4 && args[0] == "--follow")
{
    return await FollowAsync(new Uri(args[1]), args[2], args[3]);
}

if (args.Length != 4)
{
    Console.Error.WriteLine("usage: AcquireHost RELAY FAMILY DOMAIN BUDGET_MSAT | --follow RELAY SELLER_HEX LINE");
    return 2;
}

await using var market = AgentMarket.Open(new AgentMarketOptions
{
    Relays = [new Uri(args[0])],
    Budget = new PeriodBudget(long.Parse(args[3], CultureInfo.InvariantCulture), TimeSpan.FromDays(1)),
    SearchDeadline = TimeSpan.FromSeconds(5),
});
Console.Out.WriteLine("READY");
Console.Out.Flush();
await Console.In.ReadLineAsync();
try
{
    var got = await market.AcquireAsync(new AgentQuery { Family = args[1], Domains = [args[2]] });
    Console.Out.WriteLine($"DONE {got.PaidMsat.ToString(CultureInfo.InvariantCulture)} {got.Source} {got.CompiledId}");
    return 0;
}
catch (DsrsException e)
{
    Console.Out.WriteLine($"ERROR {e.Code} {e.Message.ReplaceLineEndings(" ")}");
    return 1;
}

static async Task<int> FollowAsync(Uri relay, string seller, string line)
{
    await using var market = AgentMarket.Open(new AgentMarketOptions { Relays = [relay], SearchDeadline = TimeSpan.FromSeconds(5) });
    Console.Out.WriteLine("READY");
    Console.Out.Flush();
    await Console.In.ReadLineAsync();
    using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(60));
    try
    {
        await using var feed = await market.FollowLineAsync(seller, line, cancellationToken: bound.Token);
        await feed.CaughtUp.WaitAsync(bound.Token);
        Console.Out.WriteLine("CAUGHTUP");
        Console.Out.Flush();
        var update = await feed.Updates.ReadAsync(bound.Token);
        Console.Out.WriteLine($"UPDATE {update.Applied} {update.Listing.CompiledId} {update.Code}");
        return update.Applied ? 0 : 1;
    }
    catch (DsrsException e)
    {
        Console.Out.WriteLine($"ERROR {e.Code} {e.Message.ReplaceLineEndings(" ")}");
        return 1;
    }
}
