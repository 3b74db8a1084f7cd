using DicomAgent;

// Usage: DicomAgent [--work DIR] [--repo DIR] [--fresh]
// Defaults: the fixture repository beside this program, state in .dsrs-demo/dicom-agent under the
// current folder. Run it twice: the first run buys, the second takes the manifest from the cache.
var work = Path.GetFullPath(Option("--work") ?? Path.Combine(".dsrs-demo", "dicom-agent"));
var repository = Option("--repo") ?? Path.Combine(AppContext.BaseDirectory, "fixture");
if (args.Contains("--fresh") && Directory.Exists(work))
{
    Directory.Delete(work, recursive: true);
}

using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(2));
using var chat = new LocalRulesChatClient();
try
{
    var result = await AgentRun.RunAsync(repository, work, Path.Combine(AppContext.BaseDirectory, "market"), chat, Console.Out, cancel.Token);
    Console.WriteLine(result.Acquired.PaidMsat > 0 ? "done: bought and applied; run again to see it paid nothing" : "done: applied, nothing paid");
    return 0;
}
catch (ManifestBuild.Format.DsrsException e)
{
    Console.Error.WriteLine($"[Agent] stopped: {e.Code} {e.Message}");
    return 1;
}

string? Option(string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}
