using System.Globalization;
using ManifestBuild.Agent.Market;
using ManifestBuild.Format;

// Usage: AcquireHost RELAY FAMILY DOMAIN BUDGET_MSAT
// DSRS_HOME and DSRS_NODE come from the environment, as in any agent process. Announces READY, waits
// for one line on stdin (so a test starts two of them at the same moment without sleeping), acquires,
// then prints "DONE <paid msat> <source> <compiled_id>" or "ERROR <code> <message>".
if (args.Length != 4)
{
    Console.Error.WriteLine("usage: AcquireHost RELAY FAMILY DOMAIN BUDGET_MSAT");
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
