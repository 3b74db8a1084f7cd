using ManifestBuild.TestSupport;

namespace ManifestBuild.Relay.Tests;

/// <summary>A running relay the conformance suite talks to, and how it legitimately differs from NIP-01's strictest reading.</summary>
public interface IRelayUnderTest
{
    Uri Url { get; }

    /// <summary>
    /// Whether live events (after EOSE) are matched against tag filters. @nostr-relay/core 0.0.40
    /// matches live events on ids, authors, kinds, since and until only, so clients must re-apply
    /// tag filters (ManifestBuild's pool does).
    /// </summary>
    bool AppliesTagFiltersToLiveEvents { get; }
}

public sealed class EmbeddedRelayFixture : IRelayUnderTest, IAsyncLifetime
{
    private EmbeddedRelay? relay;

    public Uri Url => relay!.Url;

    public bool AppliesTagFiltersToLiveEvents => true;

    public async Task InitializeAsync() => relay = await EmbeddedRelay.StartAsync(new EmbeddedRelayOptions());

    public async Task DisposeAsync()
    {
        if (relay is not null)
        {
            await relay.DisposeAsync();
        }
    }
}

public sealed class RealRelayFixture : IRelayUnderTest, IAsyncLifetime
{
    private RealNostrRelay? relay;

    public Uri Url => relay!.Url;

    public bool AppliesTagFiltersToLiveEvents => false;

    public async Task InitializeAsync() => relay = await RealNostrRelay.StartAsync(timeout: TimeSpan.FromMinutes(5));

    public async Task DisposeAsync()
    {
        if (relay is not null)
        {
            await relay.DisposeAsync();
        }
    }
}
