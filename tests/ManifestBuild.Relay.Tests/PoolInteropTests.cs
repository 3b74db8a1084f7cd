using ManifestBuild.Nostr;
using ManifestBuild.Nostr.Relays;
using ManifestBuild.TestSupport;
using static ManifestBuild.Relay.Tests.TestEvents;

namespace ManifestBuild.Relay.Tests;

/// <summary>
/// ManifestBuild's own client side (RelayPool, RelayInformation) against the embedded relay and
/// the real one together, the way a build queries several relays at once.
/// </summary>
[Trait("Category", "Interop")]
public sealed class PoolInteropTests(BothRelaysFixture relays) : IClassFixture<BothRelaysFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);
    private readonly EmbeddedRelay embedded = relays.Embedded;
    private readonly RealNostrRelay real = relays.Real;

    [Fact]
    public async Task PoolPublishesToBoth_AndQueriesThemAsOne()
    {
        await using var pool = new RelayPool([embedded.Url, real.Url]);
        var seller = NostrKeyPair.Generate();
        var family = Unique("complexity");
        var rust = Listing(seller, family, ["rust"]);
        var python = Listing(seller, family, ["python"]);

        var published = new[] { await pool.PublishAsync(rust, Deadline), await pool.PublishAsync(python, Deadline) };
        var result = await pool.QueryAsync(new NostrFilter { Kinds = [NostrKinds.HandlerInformation] }.WithTag("k", family).WithTag("t", "rust"), Deadline);

        Assert.All(published.SelectMany(p => p), r => Assert.True(r.Success, $"{r.Relay}: {r.Status} {r.Message}"));
        Assert.True(result.Complete, string.Join("; ", result.Relays));
        Assert.Equal(rust.Id, Assert.Single(result.Events).Id);
        Assert.All(result.Relays, r => Assert.Equal(1, r.Accepted + r.Duplicates));
    }

    [Fact]
    public async Task NewestVersionWins_WhenTheRelaysHoldDifferentVersions()
    {
        await using var pool = new RelayPool([embedded.Url, real.Url]);
        var seller = NostrKeyPair.Generate();
        var family = Unique("complexity");
        var compiledId = RandomHex(32);
        var older = Listing(seller, family, ["rust"], compiledId, Now - 100);
        var newer = Listing(seller, family, ["rust"], compiledId, Now - 10);
        var onlyOnReal = Listing(seller, family, ["rust"], createdAt: Now - 50);

        Assert.True(embedded.Publish(newer).Accepted);
        await using (var client = new RelayClient(real.Url))
        {
            await client.ConnectAsync();
            Assert.True((await client.PublishAsync(older, Deadline)).Success);
            Assert.True((await client.PublishAsync(onlyOnReal, Deadline)).Success);
        }

        var result = await pool.QueryAsync(new NostrFilter { Kinds = [NostrKinds.HandlerInformation] }.WithTag("k", family), Deadline);

        Assert.True(result.Complete, string.Join("; ", result.Relays));
        Assert.Equal(new[] { newer.Id, onlyOnReal.Id }.Order(StringComparer.Ordinal), result.Events.Select(e => e.Id).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Nip11_DocumentsOfBothRelaysParse()
    {
        var mine = await RelayInformation.FetchAsync(embedded.Url, timeout: Deadline);
        var theirs = await RelayInformation.FetchAsync(real.Url, timeout: Deadline);

        Assert.Contains(1, mine.SupportedNips!);
        Assert.Equal(embedded.Options.MaxMessageBytes, mine.Limitation?.MaxMessageLength);
        Assert.Equal(embedded.Options.MaxLimit, mine.Limitation?.MaxLimit);
        Assert.Contains(1, theirs.SupportedNips!);
    }
}

/// <summary>An embedded relay and a real one, shared by the pool tests (each test uses fresh keys).</summary>
public sealed class BothRelaysFixture : IAsyncLifetime
{
    private EmbeddedRelay? embedded;
    private RealNostrRelay? real;

    public EmbeddedRelay Embedded => embedded!;

    public RealNostrRelay Real => real!;

    public async Task InitializeAsync()
    {
        embedded = await EmbeddedRelay.StartAsync();
        real = await RealNostrRelay.StartAsync(timeout: TimeSpan.FromMinutes(5));
    }

    public async Task DisposeAsync()
    {
        if (embedded is not null)
        {
            await embedded.DisposeAsync();
        }

        if (real is not null)
        {
            await real.DisposeAsync();
        }
    }
}
