using System.Threading.Channels;
using ManifestBuild.Format;
using ManifestBuild.Market.Buying;
using ManifestBuild.Market.Listings;
using ManifestBuild.Market.Subscriptions;
using ManifestBuild.Nostr.Relays;
using ManifestBuild.Runtime;

namespace ManifestBuild.Agent.Market;

/// <summary>
/// One version that arrived on a followed line: applied (it is the manifest in use now), or refused with a
/// code (DSRS1260 another schema, DSRS1261 not delivered) and why; the manifest in use then stays.
/// </summary>
public sealed record LineUpdate(Listing Listing, DynamicSignature? Signature, bool Applied, string? Code, string Reason);

/// <summary>
/// A live subscription: the <see cref="LineWatcher"/> (a REQ per relay that stays open after EOSE, each event
/// verified and parsed where it enters) feeds every version listed after the feed started; each newer one
/// is downloaded through what costs nothing (the subscription), verified by the market (ManifestVerifier
/// against its compiled_id), and applied when <see cref="SignatureUpgrade"/> accepts its schema against the
/// manifest in use (or the caller's own apply, e.g. a generated class's <c>TryUseManifest</c>). Dispose stops it.
/// </summary>
public sealed class AgentLineFeed : IAsyncDisposable
{
    private readonly LineWatcher watcher;
    private readonly Func<Listing, CancellationToken, Task<AcquiredManifest>> download;
    private readonly Func<DynamicSignature, DsrsException?>? apply;
    private readonly AgentLog log;
    private readonly Channel<LineUpdate> updates = Channel.CreateBounded<LineUpdate>(new BoundedChannelOptions(64) { SingleReader = false, FullMode = BoundedChannelFullMode.Wait });
    private readonly CancellationTokenSource stop = new();
    private DynamicSignature? inUse;
    private SignatureSpec? baseline;
    private long newestApplied;
    private Task loop = Task.CompletedTask;

    private AgentLineFeed(LineWatcher watcher, DynamicSignature? inUse, Func<DynamicSignature, DsrsException?>? apply, Func<Listing, CancellationToken, Task<AcquiredManifest>> download, AgentLog log, long since)
    {
        this.watcher = watcher;
        this.inUse = inUse;
        baseline = inUse?.Spec;
        this.apply = apply;
        this.download = download;
        this.log = log;
        newestApplied = since - 1;
    }

    public string Line => watcher.Line;

    /// <summary>The manifest in use now: the one given, or the newest version applied since.</summary>
    public DynamicSignature? InUse => Volatile.Read(ref inUse);

    /// <summary>Every version that arrived, applied or refused, in arrival order; completes when the feed is disposed.</summary>
    public ChannelReader<LineUpdate> Updates => updates.Reader;

    /// <summary>Completes once every relay has sent its stored events: from then on, what arrives is live.</summary>
    public Task CaughtUp => watcher.CaughtUp;

    public IReadOnlyList<LineWatchProblem> Problems => watcher.Problems;

    internal static async Task<AgentLineFeed> StartAsync(IReadOnlyList<Uri> relays, string seller, string line, RelayPoolOptions? relayOptions, DynamicSignature? inUse, Func<DynamicSignature, DsrsException?>? apply, Func<Listing, CancellationToken, Task<AcquiredManifest>> download, AgentLog log, CancellationToken cancellationToken)
    {
        // Versions listed from now on: an older stored one must never replace what is in use.
        var since = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var watcher = await LineWatcher.StartAsync(relays, seller, line, new LineWatcherOptions { Since = since, Relay = relayOptions?.Client }, cancellationToken).ConfigureAwait(false);
        var feed = new AgentLineFeed(watcher, inUse, apply, download, log, since);
        feed.loop = Task.Run(() => feed.RunAsync(feed.stop.Token));
        return feed;
    }

    private async Task RunAsync(CancellationToken token)
    {
        try
        {
            await foreach (var version in watcher.Versions.ReadAllAsync(token).ConfigureAwait(false))
            {
                if (version.CreatedAt > Interlocked.Read(ref newestApplied) && version.CompiledId != InUse?.CompiledId)
                {
                    await updates.Writer.WriteAsync(await TakeAsync(version, token).ConfigureAwait(false), token).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // disposed
        }
        finally
        {
            updates.Writer.TryComplete();
        }
    }

    private async Task<LineUpdate> TakeAsync(Listing version, CancellationToken token)
    {
        AcquiredManifest acquired;
        try
        {
            acquired = await download(version, token).ConfigureAwait(false);
        }
        catch (DsrsException e)
        {
            var refused = log.LineRefused(Line, AgentErrorCodes.LineVersionNotDelivered, $"version {version.CompiledId} is not taken: {e}; the manifest in use stays (an expired subscription is renewed by SubscribeAsync)");
            return new LineUpdate(version, null, false, refused.Code, refused.Message);
        }

        var signature = DynamicSignature.FromVerified(acquired.Verified);
        var refusal = baseline is null ? null : SignatureUpgrade.Check(baseline, signature);
        refusal ??= apply?.Invoke(signature);
        if (refusal is not null)
        {
            var refused = log.LineRefused(Line, AgentErrorCodes.LineVersionRefused, $"version {version.CompiledId} is not applied: {refusal}");
            return new LineUpdate(version, signature, false, refused.Code, refused.Message);
        }

        baseline ??= signature.Spec;
        Volatile.Write(ref inUse, signature);
        Interlocked.Exchange(ref newestApplied, version.CreatedAt);
        log.LineNote(Line, $"version {version.CompiledId} applied ({acquired.Source}, {Money.Format(acquired.PricePaidMsat)} paid)");
        return new LineUpdate(version, signature, true, null, $"applied: the field schema is the one in use ({acquired.Source})");
    }

    public async ValueTask DisposeAsync()
    {
        if (stop.IsCancellationRequested)
        {
            return;
        }

        stop.Cancel();
        await watcher.DisposeAsync().ConfigureAwait(false);
        await loop.ConfigureAwait(false);
        stop.Dispose();
    }
}
