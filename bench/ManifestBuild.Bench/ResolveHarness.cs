using System.Diagnostics;
using ManifestBuild.Nostr;
using ManifestBuild.Tasks.Resolution;

namespace ManifestBuild.Bench;

/// <summary>Drives the build's own resolver (what ResolveDsrsManifests runs) outside MSBuild.</summary>
public static class ResolveHarness
{
    /// <summary>Free listings, one family per declared item, so each item has exactly one match.</summary>
    public static (NostrEvent[] Listings, DeclaredManifest[] Items) Catalogue(int count)
    {
        var seller = NostrKeyPair.Generate();
        var listings = new NostrEvent[count];
        var items = new DeclaredManifest[count];
        for (var i = 0; i < count; i++)
        {
            var family = "bench" + i;
            listings[i] = Listings.CreateFree(seller, i, family, "rust");
            items[i] = new DeclaredManifest { Name = "Manifest" + i, Family = family, Domains = ["rust"] };
        }

        return (listings, items);
    }

    /// <summary>Resolves the items; throws when any fails. Returns the wall time.</summary>
    /// <param name="node">DSRS_NODE for paid items (none: only free ones can resolve).</param>
    /// <param name="budgetMsat">DsrsBudgetMsat of the build.</param>
    public static async Task<TimeSpan> ResolveAsync(IReadOnlyList<DeclaredManifest> items, IReadOnlyList<Uri> relays, string home, string project, bool locked, CancellationToken cancellationToken, string? node = null, long budgetMsat = 0)
    {
        Directory.CreateDirectory(project);
        var settings = new ResolveSettings
        {
            Relays = relays,
            LockFilePath = Path.Combine(project, "dsrs.lock.json"),
            IntermediateDirectory = Path.Combine(project, "obj"),
            Home = home,
            LockedMode = locked,
            BudgetMsat = budgetMsat,
            Timeout = TimeSpan.FromSeconds(120),
            Environment = name => name switch { "DSRS_HOME" => home, "DSRS_NODE" => node, _ => null },
        };
        var clock = Stopwatch.StartNew();
        var outcome = await new ManifestResolver(settings, new QuietLog()).ResolveAsync(items, cancellationToken);
        var elapsed = clock.Elapsed;
        if (outcome.Failures.Count > 0 || outcome.Resolved.Count != items.Count)
        {
            throw new InvalidOperationException($"resolved {outcome.Resolved.Count} of {items.Count}: " + string.Join("; ", outcome.Failures.Take(3).Select(f => $"{f.Code}: {f.Message}")));
        }

        return elapsed;
    }

    private sealed class QuietLog : IResolveLog
    {
        public void Summary(DeclaredManifest item, string line, bool important)
        {
        }

        public void Detail(string text)
        {
        }

        public void Warning(DeclaredManifest? item, string code, string message)
        {
        }

        public void Payment(DeclaredManifest item, string line)
        {
        }

        public void Total(string line, bool paid)
        {
        }
    }
}
