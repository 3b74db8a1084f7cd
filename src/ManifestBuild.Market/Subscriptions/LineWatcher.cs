using System.Threading.Channels;
using ManifestBuild.Market.Listings;
using ManifestBuild.Nostr;
using ManifestBuild.Nostr.Relays;

namespace ManifestBuild.Market.Subscriptions;

/// <summary>How a <see cref="LineWatcher"/> connects and buffers.</summary>
public sealed record LineWatcherOptions
{
    /// <summary>Only versions listed at or after this time (unix seconds); null takes every stored one too.</summary>
    public long? Since { get; init; }

    /// <summary>How many verified versions wait for the reader before a relay connection is slowed (backpressure, never dropped).</summary>
    public int Buffer { get; init; } = 64;

    public RelayClientOptions? Relay { get; init; }
}

/// <summary>A relay that could not be watched, or stopped: the watch goes on with the others.</summary>
public sealed record LineWatchProblem(Uri Relay, string Reason);

/// <summary>
/// Follows one seller's product line live: one REQ per relay (kind 31990 by the seller) that stays open after
/// EOSE, so new versions arrive as the relays deliver them. Each event is checked as every listing is
/// (<see cref="ListingParser"/>: id, BIP-340 signature, tags, content), must name the line, and is yielded
/// once however many relays send it, newest-first order not assumed. <see cref="CaughtUp"/> completes when
/// every relay has sent its stored events (or failed). Dispose closes every subscription and connection.
/// Downloading a version is the caller's: <see cref="MarketClient.AcquireAsync"/> with its receipt or token.
/// </summary>
public sealed class LineWatcher : IAsyncDisposable
{
    private readonly Channel<Listing> versions;
    private readonly HashSet<string> seen = new(StringComparer.Ordinal);
    private readonly List<LineWatchProblem> problems = [];
    private readonly CancellationTokenSource stop = new();
    private readonly TaskCompletionSource caughtUp = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<(RelayClient Client, Task Loop)> relays = [];
    private int waitingForEose;

    private LineWatcher(string seller, string line, int buffer)
    {
        Seller = seller;
        Line = line;
        versions = Channel.CreateBounded<Listing>(new BoundedChannelOptions(Math.Max(1, buffer)) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    }

    public string Seller { get; }

    public string Line { get; }

    /// <summary>Every verified version of the line, stored ones first, then live ones; completes when the watch is disposed.</summary>
    public ChannelReader<Listing> Versions => versions.Reader;

    /// <summary>Completes once every relay has delivered its stored events (or failed): from then on, what arrives is new.</summary>
    public Task CaughtUp => caughtUp.Task;

    public IReadOnlyList<LineWatchProblem> Problems
    {
        get
        {
            lock (problems)
            {
                return problems.ToList();
            }
        }
    }

    /// <summary>Connects to every relay at once and opens the watch; a relay that fails is a <see cref="Problems"/> entry, not an exception.</summary>
    public static async Task<LineWatcher> StartAsync(IReadOnlyList<Uri> relayUrls, string sellerPubKey, string line, LineWatcherOptions? options = null, CancellationToken cancellationToken = default)
    {
        if (!LineName.Check(line))
        {
            throw new Format.DsrsException(MarketErrorCodes.LineWatchInvalid, $"the line must be {LineName.Rule}");
        }

        if (sellerPubKey is not { Length: 64 } || !sellerPubKey.All(Uri.IsHexDigit) || relayUrls.Count == 0)
        {
            throw new Format.DsrsException(MarketErrorCodes.LineWatchInvalid, "a line watch needs the seller's 64-hex public key and at least one relay");
        }

        options ??= new LineWatcherOptions();
        var watcher = new LineWatcher(sellerPubKey.ToLowerInvariant(), line, options.Buffer);
        var filter = new NostrFilter { Kinds = [NostrKinds.HandlerInformation], Authors = [watcher.Seller], Since = options.Since };
        watcher.waitingForEose = relayUrls.Count;
        var starts = relayUrls.Select(url => watcher.OpenAsync(url, filter, options.Relay, cancellationToken)).ToArray();
        await Task.WhenAll(starts).ConfigureAwait(false);
        return watcher;
    }

    private async Task OpenAsync(Uri url, NostrFilter filter, RelayClientOptions? options, CancellationToken cancellationToken)
    {
        var client = new RelayClient(url, options);
        try
        {
            await client.ConnectAsync(cancellationToken).ConfigureAwait(false);
            var subscription = await client.SubscribeAsync([filter], cancellationToken: cancellationToken).ConfigureAwait(false);
            lock (relays)
            {
                relays.Add((client, Task.Run(() => ReadAsync(url, subscription, stop.Token))));
            }
        }
        catch (Exception e) when (e is RelayException or OperationCanceledException or InvalidOperationException)
        {
            await client.DisposeAsync().ConfigureAwait(false);
            Problem(url, e.Message, stillWaiting: true);
        }
    }

    private async Task ReadAsync(Uri url, RelaySubscription subscription, CancellationToken token)
    {
        var beforeEose = true;
        try
        {
            await foreach (var item in subscription.Items.ReadAllAsync(token).ConfigureAwait(false))
            {
                switch (item.Kind)
                {
                    case SubscriptionItemKind.Event when item.Event is { } e && Accept(e) is { } listing:
                        await versions.Writer.WriteAsync(listing, token).ConfigureAwait(false);
                        break;
                    case SubscriptionItemKind.EndOfStoredEvents when beforeEose:
                        beforeEose = false;
                        EoseArrived();
                        break;
                    case SubscriptionItemKind.Closed:
                        Problem(url, "the relay closed the watch: " + Format.UntrustedText.Neutralise(item.Message, 200), beforeEose);
                        return;
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // disposed
        }
        catch (Exception e) when (e is RelayException or ChannelClosedException)
        {
            Problem(url, e.Message, beforeEose);
        }
        finally
        {
            await subscription.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>The listing when the event is a valid version of this line not seen before; else null.</summary>
    private Listing? Accept(NostrEvent e)
    {
        // A live event comes straight from one relay's socket, past the pool: verified here, where it enters.
        if (e.PubKey != Seller || !NostrEventVerifier.TryVerify(e, out var verified, out _) || !ListingParser.TryParse(verified, out var listing, out _) || listing!.Line != Line)
        {
            return null;
        }

        lock (seen)
        {
            return seen.Add(e.Id) ? listing : null;
        }
    }

    private void EoseArrived()
    {
        if (Interlocked.Decrement(ref waitingForEose) == 0)
        {
            caughtUp.TrySetResult();
        }
    }

    private void Problem(Uri url, string reason, bool stillWaiting)
    {
        lock (problems)
        {
            problems.Add(new LineWatchProblem(url, reason));
        }

        if (stillWaiting)
        {
            EoseArrived();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (stop.IsCancellationRequested)
        {
            return;
        }

        stop.Cancel();
        List<(RelayClient Client, Task Loop)> open;
        lock (relays)
        {
            open = relays.ToList();
        }

        foreach (var (client, loop) in open)
        {
            await client.DisposeAsync().ConfigureAwait(false);
            await loop.ConfigureAwait(false);
        }

        versions.Writer.TryComplete();
        caughtUp.TrySetResult();
        stop.Dispose();
    }
}
