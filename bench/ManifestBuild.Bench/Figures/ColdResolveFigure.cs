using ManifestBuild.Relay;

namespace ManifestBuild.Bench.Figures;

/// <summary>
/// Figure 4: the build resolving 20 manifests with a cold cache from 3 relays: one healthy, one that
/// answers 500 ms late, one dead (accepts TCP, never answers). Compared to the slow relay alone:
/// a dead relay must not make the build wait for its connect timeout.
/// </summary>
public sealed class ColdResolveFigure : IFigure
{
    public string Name => "resolve";

    public string Title => "cold resolve: 20 manifests, 3 relays (one dead, one 500 ms slow)";

    public async Task<IReadOnlyList<Row>> RunAsync(BenchOptions options, CancellationToken cancellationToken)
    {
        const int count = 20;
        var (listings, items) = ResolveHarness.Catalogue(count);
        await using var healthy = await EmbeddedRelay.StartAsync(new EmbeddedRelayOptions(), cancellationToken);
        await using var behindProxy = await EmbeddedRelay.StartAsync(new EmbeddedRelayOptions(), cancellationToken);
        healthy.PublishMany(listings);
        behindProxy.PublishMany(listings);
        await using var slow = new SlowRelayProxy(behindProxy.Url, TimeSpan.FromMilliseconds(500));
        using var dead = new BlackholeRelay();

        var rounds = options.Size(3, 1);
        var slowAlone = TimeSpan.MaxValue;
        var all = TimeSpan.MaxValue;
        for (var round = 0; round < rounds; round++)
        {
            // A fresh home each time: the cache is cold, so every manifest comes from the relays.
            var slowOnly = await ResolveHarness.ResolveAsync(items, [slow.Url], Fresh(options, $"slow{round}"), Fresh(options, $"p-slow{round}"), locked: false, cancellationToken);
            var three = await ResolveHarness.ResolveAsync(items, [healthy.Url, slow.Url, dead.Url], Fresh(options, $"all{round}"), Fresh(options, $"p-all{round}"), locked: false, cancellationToken);
            slowAlone = slowOnly < slowAlone ? slowOnly : slowAlone;
            all = three < all ? three : all;
        }

        return
        [
            new Row(Name, $"{count} manifests from healthy + slow + dead relays", all.TotalMilliseconds, "ms", "the slow relay alone", slowAlone.TotalMilliseconds, "<= 1.5x"),
        ];
    }

    private static string Fresh(BenchOptions options, string name) => Path.Combine(options.WorkDirectory, name);
}
