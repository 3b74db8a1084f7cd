using ManifestBuild.Format.Json;
using ManifestBuild.Nostr;

namespace ManifestBuild.Bench;

/// <summary>Signed kind 31990 listings shaped as protocol §2 describes, from a set of seller keys.</summary>
public static class Listings
{
    /// <summary>One free listing (the whole manifest as content) for <paramref name="family"/>.</summary>
    public static NostrEvent CreateFree(NostrKeyPair seller, int number, string family, string domain)
    {
        var content = SampleManifests.Create(number, family, domain);
        var id = JsonParser.ParseObject(content).GetString("compiled_id")!;
        return seller.Sign(31990, Tags(id, family, domain, 100 + number), content, 1764000000 + number);
    }

    private static List<IReadOnlyList<string>> Tags(string id, string family, string domain, int examples) =>
    [
        new[] { "d", "dsrs-manifest:" + id },
        new[] { "k", family },
        new[] { "t", domain },
        new[] { "domain", domain },
        new[] { "x", id },
        new[] { "name", "ComplexityClassificationSignature" },
        new[] { "examples", examples.ToString(System.Globalization.CultureInfo.InvariantCulture) },
        new[] { "accuracy", "0.9" },
        new[] { "alt", "dsrs manifest: ComplexityClassificationSignature" },
    ];

    public static NostrEvent[] Create(int count, int sellers, string family = "complexity", string domain = "rust", int firstNumber = 0)
    {
        var keys = Enumerable.Range(0, sellers).Select(_ => NostrKeyPair.Generate()).ToArray();
        var events = new NostrEvent[count];
        Parallel.For(0, count, i =>
        {
            var manifest = JsonParser.ParseObject(SampleManifests.Create(firstNumber + i, family, domain));
            var id = manifest.GetString("compiled_id")!;
            var free = i % 2 == 0;
            if (!free)
            {
                manifest.Remove("instruction");
                manifest.Remove("demos");
            }

            var tags = Tags(id, family, domain, 100 + firstNumber + i);
            if (!free)
            {
                tags.Add(new[] { "price", "1000" });
                tags.Add(new[] { "l402", "http://127.0.0.1:1/manifests/" + id });
                tags.Add(new[] { "node", "02" + new string('a', 64) });
            }

            events[i] = keys[i % sellers].Sign(31990, tags, JsonWriter.Write(manifest, indented: false), 1764000000 + i);
        });
        return events;
    }
}
