using ManifestBuild.Format;
using ManifestBuild.Format.Caching;

// Usage: CacheProbe <home> <manifest-dir> <rounds>
// Prints "ready", waits for a line on stdin (the parent releases all probes at once), then in each
// round puts every manifest of the folder into the cache and reads each back, checking the text.
// Exit 0 when every read was a verified hit with the exact text written; 1 with a reason otherwise.
if (args.Length != 3)
{
    Console.Error.WriteLine("usage: CacheProbe <home> <manifest-dir> <rounds>");
    return 2;
}

var cache = new ManifestCache(args[0]);
var texts = Directory.GetFiles(args[1], "*.json").OrderBy(f => f, StringComparer.Ordinal).Select(File.ReadAllText).ToArray();
var rounds = int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture);
Console.WriteLine("ready");
Console.Out.Flush();
if (Console.In.ReadLine() != "go")
{
    Console.Error.WriteLine("no go signal");
    return 1;
}

var random = new Random(Environment.ProcessId);
try
{
    for (var round = 0; round < rounds; round++)
    {
        foreach (var i in Enumerable.Range(0, texts.Length).OrderBy(_ => random.Next()))
        {
            cache.PutText(texts[i]);
            var id = Manifest.Parse(texts[i]).CompiledId!;
            var lookup = cache.Lookup(id);
            if (lookup.Status != CacheLookupStatus.Hit || lookup.Text != texts[i])
            {
                Console.Error.WriteLine($"round {round}: {id} read back as {lookup.Status}: {lookup.Problem}");
                return 1;
            }
        }
    }
}
catch (DsrsException e)
{
    Console.Error.WriteLine(e.ToString());
    return 1;
}

Console.WriteLine($"ok {rounds * texts.Length}");
return 0;
