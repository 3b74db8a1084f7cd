using ManifestBuild.Format;
using ManifestBuild.Format.Locking;

namespace ManifestBuild.Cli.Presenters;

/// <summary>How `dsrs demo` narrates its steps ("demo: ..." lines) and sums up what was listed, locked, settled and run.</summary>
internal static class DemoPresenter
{
    public static Task WriteStepAsync(TextWriter output, string step) => output.WriteLineAsync("demo: " + step);

    public static async Task WriteSummaryAsync(TextWriter output, IReadOnlyList<Manifest> manifests, IReadOnlyDictionary<string, long> prices, Uri relay, LockFile locked, int settled, string lockPath, int agentExit)
    {
        await output.WriteLineAsync("demo: summary");
        await output.WriteLineAsync($"  listed    {manifests.Count} manifests on {relay.ToString().TrimEnd('/')}: " + string.Join(", ", manifests.Select(m => $"{m.SignatureName} ({(prices.GetValueOrDefault(m.CompiledId!) is > 0 and var p ? p + " msat" : "free")})")));
        foreach (var (name, entry) in locked.Manifests)
        {
            await output.WriteLineAsync($"  locked    {name} = {entry.SignatureName} {entry.CompiledId[..12]} ({(entry.PriceMsat > 0 ? $"paid {entry.PriceMsat} msat, payment {entry.PaymentHash?[..12]}" : "free")})");
        }

        await output.WriteLineAsync($"  settled   {settled} invoice(s) on the seller's dev node");
        await output.WriteLineAsync($"  lockfile  {lockPath}");
        await output.WriteLineAsync($"  agent     exit {agentExit}");
    }
}
