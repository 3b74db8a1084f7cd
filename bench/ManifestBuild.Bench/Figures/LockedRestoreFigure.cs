using ManifestBuild.Relay;

namespace ManifestBuild.Bench.Figures;

/// <summary>
/// Figure 5: a locked build (CI) restoring 100 pinned manifests from a warm cache, and with a cold
/// cache from the relays (free listings by compiled_id). Nothing is paid in either.
/// </summary>
public sealed class LockedRestoreFigure : IFigure
{
    public string Name => "restore";

    public string Title => "locked restore of 100 manifests: warm cache vs cold cache from relays";

    public async Task<IReadOnlyList<Row>> RunAsync(BenchOptions options, CancellationToken cancellationToken)
    {
        var count = options.Size(100, 30);
        var (listings, items) = ResolveHarness.Catalogue(count);
        await using var relay = await EmbeddedRelay.StartAsync(new EmbeddedRelayOptions(), cancellationToken);
        relay.PublishMany(listings);

        // A developer build resolves and writes the lockfile; the locked builds below restore it.
        var project = Path.Combine(options.WorkDirectory, "project");
        var developerHome = Path.Combine(options.WorkDirectory, "developer-home");
        var resolve = await ResolveHarness.ResolveAsync(items, [relay.Url], developerHome, project, locked: false, cancellationToken);

        var rounds = options.Size(5, 2);
        var warm = TimeSpan.MaxValue;
        var cold = TimeSpan.MaxValue;
        for (var round = 0; round < rounds; round++)
        {
            var w = await ResolveHarness.ResolveAsync(items, [relay.Url], developerHome, project, locked: true, cancellationToken);
            var c = await ResolveHarness.ResolveAsync(items, [relay.Url], Path.Combine(options.WorkDirectory, "ci-home" + round), project, locked: true, cancellationToken);
            warm = w < warm ? w : warm;
            cold = c < cold ? c : cold;
        }

        return
        [
            new Row(Name, $"locked restore of {count} from a warm cache", warm.TotalMilliseconds, "ms", "cold cache, from the relay", cold.TotalMilliseconds),
            new Row(Name, $"locked restore of {count} from the relay (cold cache)", cold.TotalMilliseconds, "ms", "first (unlocked) resolve", resolve.TotalMilliseconds),
        ];
    }
}
