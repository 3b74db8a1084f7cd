using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading.Channels;

namespace ManifestBuild.Nostr.Relays;

/// <summary>
/// Queries and publishes to every configured relay at once, one connection per relay. A query
/// returns when every relay has sent EOSE (or failed) or the deadline passes; every event is
/// checked (id, BIP-340 signature, the filters again) on all cores before it is returned, and a
/// misbehaving relay costs bounded time and memory and is reported, never trusted.
/// </summary>
public sealed class RelayPool : IAsyncDisposable
{
    private readonly RelayPoolOptions options;
    private readonly object gate = new();
    private readonly Dictionary<Uri, Task<RelayClient>> clients = [];
    private readonly List<Task> retiring = [];
    private readonly CancellationTokenSource shutdown = new();
    private bool disposed;

    public RelayPool(IEnumerable<string> relays, RelayPoolOptions? options = null)
        : this(relays.Select(RelayUrl.Parse), options)
    {
    }

    public RelayPool(IEnumerable<Uri> relays, RelayPoolOptions? options = null)
    {
        this.options = options ?? new RelayPoolOptions();
        Relays = relays.Select(r => RelayUrl.Parse(r.OriginalString)).Distinct().ToArray();
    }

    public IReadOnlyList<Uri> Relays { get; }

    public Task<RelayQueryResult> QueryAsync(NostrFilter filter, TimeSpan deadline, CancellationToken cancellationToken = default) =>
        QueryAsync([filter], deadline, cancellationToken);

    /// <summary>
    /// Stored events matching any of <paramref name="filters"/> from all relays: verified, deduplicated by id,
    /// re-filtered, the newest per replaceable/addressable coordinate, newest first. Partial (with reports
    /// saying why) when the deadline passes first. Throws only when <paramref name="cancellationToken"/> is cancelled.
    /// </summary>
    public async Task<RelayQueryResult> QueryAsync(IReadOnlyList<NostrFilter> filters, TimeSpan deadline, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (filters.Count == 0)
        {
            throw new ArgumentException("a query needs at least one filter", nameof(filters));
        }

        var clock = Stopwatch.StartNew();
        using var deadlineSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadlineSource.CancelAfter(deadline);
        var token = deadlineSource.Token;
        var states = Relays.Select(r => new RelayQueryState(r, options.MaxNoticesPerRelay)).ToArray();
        var queue = Channel.CreateBounded<EventBatch>(new BoundedChannelOptions(Math.Max(1, options.MaxPendingVerifications / EventBatch.Capacity))
        {
            SingleReader = false,
            SingleWriter = false,
            FullMode = BoundedChannelFullMode.Wait,
        });
        var verifier = new VerificationStage(filters, options.BatchVerification);
        var workers = Enumerable.Range(0, Math.Max(1, options.VerifyParallelism))
            .Select(_ => Task.Run(() => verifier.RunAsync(queue.Reader, token)))
            .ToArray();
        var abandon = states.Select(_ => CancellationTokenSource.CreateLinkedTokenSource(token)).ToArray();
        try
        {
            var readers = states.Select((s, i) => QueryRelayAsync(s, filters, queue.Writer, clock, cancellationToken, abandon[i].Token)).ToArray();
            await WaitForRelaysAsync(states, readers, abandon, clock, options.StragglerGrace, token).ConfigureAwait(false);
        }
        finally
        {
            foreach (var source in abandon)
            {
                source.Dispose();
            }
        }

        queue.Writer.TryComplete();
        await Task.WhenAll(workers).ConfigureAwait(false);
        while (queue.Reader.TryRead(out var left))
        {
            Interlocked.Add(ref left.State.Unverified, left.Count);
        }

        cancellationToken.ThrowIfCancellationRequested();
        var (events, superseded) = verifier.Result();
        // Every event here passed the verification stage: the result carries that as a type.
        return new RelayQueryResult(events.Select(e => new VerifiedEvent(e)).ToArray(), states.Select(s => s.ToReport()).ToArray(), clock.Elapsed) { Superseded = superseded };
    }

    /// <summary>Publishes to every relay at once (after checking the event ourselves); one result per relay.</summary>
    public Task<IReadOnlyList<PublishResult>> PublishAsync(NostrEvent nostrEvent, CancellationToken cancellationToken = default) =>
        PublishAsync(nostrEvent, options.PublishTimeout, cancellationToken);

    public async Task<IReadOnlyList<PublishResult>> PublishAsync(NostrEvent nostrEvent, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        NostrEventVerifier.EnsureValid(nostrEvent);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var results = await Task.WhenAll(Relays.Select(async relay =>
        {
            try
            {
                var client = await GetClientAsync(relay).WaitAsync(deadline.Token).ConfigureAwait(false);
                var result = await client.PublishAsync(nostrEvent, timeout, deadline.Token).ConfigureAwait(false);
                if (result.Status is PublishStatus.Timeout or PublishStatus.ConnectionFailed)
                {
                    Retire(relay, client);
                }

                return result;
            }
            catch (RelayException e)
            {
                return new PublishResult(relay, nostrEvent.Id, PublishStatus.ConnectionFailed, e.Message) { Error = e.Kind };
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return new PublishResult(relay, nostrEvent.Id, PublishStatus.Timeout, $"not connected within {timeout.TotalSeconds:0.###} s") { Error = RelayErrorKind.ConnectTimeout };
            }
        })).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        return results;
    }

    public async ValueTask DisposeAsync()
    {
        Task[] pending;
        lock (gate)
        {
            if (disposed)
            {
                return;
            }

            disposed = true;
            shutdown.Cancel();
            pending = clients.Values.Select(DisposeWhenConnectedAsync).Concat(retiring).ToArray();
            clients.Clear();
        }

        await Task.WhenAll(pending).ConfigureAwait(false);
    }

    private async Task QueryRelayAsync(RelayQueryState state, IReadOnlyList<NostrFilter> filters, ChannelWriter<EventBatch> queue, Stopwatch clock, CancellationToken user, CancellationToken token)
    {
        RelayClient? client = null;
        RelaySubscription? subscription = null;
        var protocolErrorsBefore = 0;
        Action<RelayClient, string> onNotice = (_, notice) => state.AddNotice(notice);
        try
        {
            client = await GetClientAsync(state.Relay).WaitAsync(token).ConfigureAwait(false);
            state.MarkConnected();
            protocolErrorsBefore = client.ProtocolErrorCount;
            client.Notice += onNotice;
            subscription = await client.SubscribeAsync(filters, null, token).ConfigureAwait(false);
            await ForwardAsync(state, subscription.Items, queue, clock, token).ConfigureAwait(false);
        }
        catch (RelayException e)
        {
            state.SetError(e.Kind, e.Message);
        }
        catch (OperationCanceledException) when (!user.IsCancellationRequested && state.Abandoned)
        {
            state.SetError(RelayErrorKind.ConnectTimeout, "not connected while the other relays answered; not waited for");
        }
        catch (OperationCanceledException) when (!user.IsCancellationRequested)
        {
            state.SetError(RelayErrorKind.Timeout, client is null ? "not connected before the deadline" : "no EOSE before the deadline");
        }
        catch (OperationCanceledException)
        {
            // The caller cancelled; QueryAsync rethrows.
        }
        finally
        {
            if (client is not null)
            {
                client.Notice -= onNotice;
                var protocolErrors = client.ProtocolErrorCount - protocolErrorsBefore;
                state.ProtocolErrors = protocolErrors;
                if (protocolErrors > 0)
                {
                    state.SetError(RelayErrorKind.ProtocolError, $"{protocolErrors} malformed message(s); last: {client.LastProtocolError}");
                }

                if ((state.Error is RelayErrorKind.None or RelayErrorKind.Closed or RelayErrorKind.ProtocolError) && client.IsConnected)
                {
                    if (subscription is not null)
                    {
                        await subscription.CloseAsync().ConfigureAwait(false);
                    }
                }
                else
                {
                    // Timed out, flooded or broken: drop the connection rather than wait for it.
                    subscription?.CloseWithoutSending();
                    Retire(state.Relay, client);
                }
            }
        }
    }

    /// <summary>
    /// Hands one relay's events to the verifiers in batches until EOSE, CLOSED or a flood. A batch
    /// goes out when it is full or when the relay has nothing more buffered, so a slow relay's
    /// events are not held back, while a fast one's arrive as whole batches: one hand-off per batch,
    /// and a set large enough for batch verification to pay.
    /// </summary>
    private async Task ForwardAsync(RelayQueryState state, ChannelReader<SubscriptionItem> items, ChannelWriter<EventBatch> queue, Stopwatch clock, CancellationToken token)
    {
        var batch = new EventBatch(state);
        var ended = false;
        try
        {
            while (await items.WaitToReadAsync(token).ConfigureAwait(false))
            {
                while (items.TryRead(out var item))
                {
                    if (item.Kind == SubscriptionItemKind.EndOfStoredEvents)
                    {
                        state.EoseAfter = clock.Elapsed;
                        ended = true;
                        break;
                    }

                    if (item.Kind == SubscriptionItemKind.Closed)
                    {
                        state.SetError(RelayErrorKind.Closed, "closed the subscription: " + item.Message);
                        ended = true;
                        break;
                    }

                    var received = Interlocked.Increment(ref state.Received);
                    var bytes = Interlocked.Add(ref state.Bytes, item.Bytes);
                    if (received > options.MaxEventsPerRelay || bytes > options.MaxBytesPerRelay)
                    {
                        state.SetError(RelayErrorKind.Flood, $"sent more than {options.MaxEventsPerRelay} events or {options.MaxBytesPerRelay} bytes for one query; cut off");
                        ended = true;
                        break;
                    }

                    batch.Add(item.Event!);
                    if (batch.IsFull)
                    {
                        await queue.WriteAsync(batch, token).ConfigureAwait(false);
                        batch = new EventBatch(state);
                    }
                }

                if (batch.Count > 0)
                {
                    await queue.WriteAsync(batch, token).ConfigureAwait(false);
                    batch = new EventBatch(state);
                }

                if (ended)
                {
                    return;
                }
            }
        }
        finally
        {
            // Received but not handed over (deadline or a broken connection): reported as unverified.
            if (batch.Count > 0 && !queue.TryWrite(batch))
            {
                Interlocked.Add(ref state.Unverified, batch.Count);
            }
        }
    }

    /// <summary>
    /// Waits for every relay's part of a query, except that relays still not connected once all the
    /// connected ones have answered get only <see cref="RelayPoolOptions.StragglerGrace"/> more.
    /// </summary>
    internal static async Task WaitForRelaysAsync(RelayQueryState[] states, Task[] readers, CancellationTokenSource[] abandon, Stopwatch clock, TimeSpan stragglerGrace, CancellationToken token)
    {
        var all = Task.WhenAll(readers);
        while (!all.IsCompleted)
        {
            var pending = Enumerable.Range(0, readers.Length).Where(i => !readers[i].IsCompleted).ToArray();
            if (pending.Length == 0)
            {
                // Every reader is done but their WhenAll has not run its completion yet (continuations run
                // asynchronously); without this, "all pending are unconnected" holds vacuously and
                // Task.WhenAny would be called on no tasks at all.
                break;
            }

            var someoneAnswered = states.Any(s => s.EoseAfter is not null);
            if (stragglerGrace > TimeSpan.Zero && someoneAnswered && pending.All(i => !states[i].Connected))
            {
                var grace = TimeSpan.FromTicks(Math.Max(stragglerGrace.Ticks, clock.Elapsed.Ticks / 4));
                var connectedMeanwhile = Task.WhenAny(pending.Select(i => states[i].WhenConnected));
                await Task.WhenAny(all, connectedMeanwhile, Task.Delay(grace, token)).ConfigureAwait(false);
                if (!all.IsCompleted && !token.IsCancellationRequested && pending.All(i => !states[i].Connected))
                {
                    foreach (var i in pending.Where(i => !readers[i].IsCompleted))
                    {
                        states[i].Abandoned = true;
                        abandon[i].Cancel();
                    }
                }
            }

            await Task.WhenAny(readers.Where(r => !r.IsCompleted).Append(all)).ConfigureAwait(false);
        }

        await all.ConfigureAwait(false);
    }

    private Task<RelayClient> GetClientAsync(Uri relay)
    {
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            if (clients.TryGetValue(relay, out var existing) &&
                (!existing.IsCompleted || (existing.IsCompletedSuccessfully && existing.Result.IsConnected)))
            {
                return existing;
            }

            if (existing is not null)
            {
                retiring.Add(DisposeWhenConnectedAsync(existing));
            }

            var connecting = ConnectAsync(relay);
            clients[relay] = connecting;
            return connecting;
        }
    }

    private async Task<RelayClient> ConnectAsync(Uri relay)
    {
        var client = new RelayClient(relay, options.Client);
        try
        {
            // Not tied to one query's deadline: other queries may share this connection. ConnectTimeout bounds it.
            await client.ConnectAsync(shutdown.Token).ConfigureAwait(false);
            return client;
        }
        catch
        {
            await client.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private void Retire(Uri relay, RelayClient client)
    {
        lock (gate)
        {
            if (clients.TryGetValue(relay, out var current) && current.IsCompletedSuccessfully && ReferenceEquals(current.Result, client))
            {
                clients.Remove(relay);
            }

            retiring.RemoveAll(t => t.IsCompleted);
            retiring.Add(Task.Run(() => client.DisposeAsync().AsTask()));
        }
    }

    private static async Task DisposeWhenConnectedAsync(Task<RelayClient> connecting)
    {
        try
        {
            var client = await connecting.ConfigureAwait(false);
            await client.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is RelayException or OperationCanceledException)
        {
            // Never connected: nothing to close.
        }
    }

    /// <summary>Verifies, deduplicates and re-filters events from every relay, on several threads.</summary>
    private sealed class VerificationStage(IReadOnlyList<NostrFilter> filters, bool batchVerification)
    {
        private readonly ConcurrentDictionary<string, NostrEvent> verified = new(StringComparer.Ordinal);
        private readonly ConcurrentQueue<NostrEvent> accepted = new();

        public async Task RunAsync(ChannelReader<EventBatch> reader, CancellationToken token)
        {
            try
            {
                while (await reader.WaitToReadAsync(token).ConfigureAwait(false))
                {
                    while (!token.IsCancellationRequested && reader.TryRead(out var batch))
                    {
                        Process(batch);
                    }
                }
            }
            catch (OperationCanceledException)
            {
                // Deadline: what is still queued is counted as unverified.
            }
        }

        private void Process(EventBatch batch)
        {
            var state = batch.State;
            var fresh = new NostrEvent[batch.Count];
            var freshCount = 0;
            for (var i = 0; i < batch.Count; i++)
            {
                // Only events that verified count for deduplication, so a forged copy of an id from one
                // relay can never suppress the genuine event from another; a copy is a duplicate only if
                // it is the same signed event (or another valid signature of the same id).
                var e = batch[i];
                if (verified.TryGetValue(e.Id, out var known))
                {
                    var duplicate = SameEvent(known, e) || NostrEventVerifier.Verify(e) == EventVerification.Valid;
                    Interlocked.Increment(ref duplicate ? ref state.Duplicates : ref state.Invalid);
                    continue;
                }

                fresh[freshCount++] = e;
            }

            // Batch verification only while this relay has sent nothing invalid: a relay that mixes
            // bad signatures in would otherwise make every batch fail and be checked twice.
            var results = new EventVerification[freshCount];
            var batchable = batchVerification && Volatile.Read(ref state.Invalid) == 0;
            NostrEventVerifier.VerifyMany(fresh.AsSpan(0, freshCount), results, batchable);
            for (var i = 0; i < freshCount; i++)
            {
                Accept(state, fresh[i], results[i]);
            }
        }

        private void Accept(RelayQueryState state, NostrEvent e, EventVerification verification)
        {
            if (verification != EventVerification.Valid)
            {
                Interlocked.Increment(ref state.Invalid);
                return;
            }

            if (!verified.TryAdd(e.Id, e))
            {
                Interlocked.Increment(ref state.Duplicates);
                return;
            }

            if (!NostrFilter.MatchesAny(filters, e))
            {
                Interlocked.Increment(ref state.FilteredOut);
                return;
            }

            Interlocked.Increment(ref state.Accepted);
            accepted.Enqueue(e);
        }

        private static bool SameEvent(NostrEvent a, NostrEvent b)
        {
            if (a.Sig != b.Sig || a.PubKey != b.PubKey || a.CreatedAt != b.CreatedAt || a.Kind != b.Kind || a.Content != b.Content || a.Tags.Count != b.Tags.Count)
            {
                return false;
            }

            for (var i = 0; i < a.Tags.Count; i++)
            {
                if (!a.Tags[i].SequenceEqual(b.Tags[i], StringComparer.Ordinal))
                {
                    return false;
                }
            }

            return true;
        }

        public (IReadOnlyList<NostrEvent> Events, int Superseded) Result()
        {
            var latest = new Dictionary<(int Kind, string PubKey, string D), NostrEvent>();
            var regular = new List<NostrEvent>();
            var superseded = 0;
            foreach (var e in accepted)
            {
                if (!e.IsReplaceable && !e.IsAddressable)
                {
                    regular.Add(e);
                    continue;
                }

                var key = (e.Kind, e.PubKey, e.IsAddressable ? e.DTag : string.Empty);
                if (latest.TryGetValue(key, out var current))
                {
                    superseded++;
                    if (!NostrEvent.Supersedes(e, current))
                    {
                        continue;
                    }
                }

                latest[key] = e;
            }

            regular.AddRange(latest.Values);
            regular.Sort(static (a, b) => b.CreatedAt != a.CreatedAt ? b.CreatedAt.CompareTo(a.CreatedAt) : string.CompareOrdinal(a.Id, b.Id));
            return (ApplyLimits(regular), superseded);
        }

        /// <summary>A filter's limit bounds how many of its newest matches are returned (the union over filters).</summary>
        private IReadOnlyList<NostrEvent> ApplyLimits(List<NostrEvent> newestFirst)
        {
            if (filters.All(f => f.Limit is null))
            {
                return newestFirst;
            }

            var taken = new int[filters.Count];
            var result = new List<NostrEvent>(newestFirst.Count);
            foreach (var e in newestFirst)
            {
                var keep = false;
                for (var i = 0; i < filters.Count; i++)
                {
                    if (filters[i].Matches(e) && (filters[i].Limit is not { } limit || taken[i] < limit))
                    {
                        taken[i]++;
                        keep = true;
                    }
                }

                if (keep)
                {
                    result.Add(e);
                }
            }

            return result;
        }
    }
}
