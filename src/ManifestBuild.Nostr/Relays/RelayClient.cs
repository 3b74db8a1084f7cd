using System.Buffers;
using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Security.Authentication;
using System.Text;

namespace ManifestBuild.Nostr.Relays;

/// <summary>
/// One WebSocket connection to one relay: subscriptions (REQ/EOSE/CLOSE/CLOSED), publishing with
/// OK results, NOTICE, NIP-42 AUTH and NIP-45 COUNT. Every failure becomes a <see cref="RelayException"/>
/// with a <see cref="RelayErrorKind"/>; nothing a relay sends can throw anything else out of it.
/// </summary>
public sealed partial class RelayClient : IAsyncDisposable
{
    private readonly RelayClientOptions options;
    private readonly ClientWebSocket socket = new();
    private readonly SemaphoreSlim sendLock = new(1, 1);
    private readonly CancellationTokenSource lifetime = new();
    private readonly ConcurrentDictionary<string, RelaySubscription> subscriptions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TaskCompletionSource<RelayOkMessage>> pendingOks = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TaskCompletionSource<RelayCountMessage>> pendingCounts = new(StringComparer.Ordinal);
    private readonly object authGate = new();
    private TaskCompletionSource<bool> authenticated = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? receiveLoop;
    private RelayException? failure;
    private int subscriptionCounter;
    private int protocolErrors;
    private int connectState; // 0 new, 1 connecting/connected, 2 disposed

    public RelayClient(Uri relay, RelayClientOptions? options = null)
    {
        Relay = RelayUrl.Parse(relay.OriginalString);
        this.options = options ?? new RelayClientOptions();
    }

    public RelayClient(string relay, RelayClientOptions? options = null)
        : this(RelayUrl.Parse(relay), options)
    {
    }

    public Uri Relay { get; }

    /// <summary>Raised (on the receive loop) for every NOTICE.</summary>
    public event Action<RelayClient, string>? Notice;

    /// <summary>Raised (on the receive loop) for a message that is not valid NIP-01 JSON.</summary>
    public event Action<RelayClient, string>? ProtocolError;

    /// <summary>Connected and not failed.</summary>
    public bool IsConnected => socket.State == WebSocketState.Open && failure is null;

    /// <summary>Why the connection ended, once it has.</summary>
    public RelayException? Failure => Volatile.Read(ref failure);

    public int ProtocolErrorCount => Volatile.Read(ref protocolErrors);

    public string? LastProtocolError { get; private set; }

    /// <summary>The latest NIP-42 challenge the relay sent.</summary>
    public string? AuthChallenge { get; private set; }

    /// <summary>Opens the connection; a <see cref="RelayException"/> says why it could not.</summary>
    public async Task ConnectAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.CompareExchange(ref connectState, 1, 0) != 0)
        {
            throw new InvalidOperationException("a RelayClient connects once; create a new one to reconnect");
        }

        socket.Options.KeepAliveInterval = options.KeepAliveInterval;
        socket.Options.SetRequestHeader("User-Agent", "ManifestBuild");
        options.ConfigureSocket?.Invoke(socket.Options);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lifetime.Token);
        timeout.CancelAfter(options.ConnectTimeout);
        try
        {
            await socket.ConnectAsync(Relay, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw Fail(RelayErrorKind.ConnectTimeout, $"no connection within {options.ConnectTimeout.TotalSeconds:0.###} s");
        }
        catch (Exception e) when (e is WebSocketException or HttpRequestException or IOException or SocketException or AuthenticationException)
        {
            var (kind, why) = ClassifyConnectFailure(e);
            throw Fail(kind, why, e);
        }

        receiveLoop = Task.Run(ReceiveLoopAsync);
    }

    /// <summary>Opens a REQ. The caller reads <see cref="RelaySubscription.Items"/> and closes it when done.</summary>
    public async Task<RelaySubscription> SubscribeAsync(IReadOnlyList<NostrFilter> filters, string? subscriptionId = null, CancellationToken cancellationToken = default)
    {
        if (filters.Count == 0)
        {
            throw new ArgumentException("a REQ needs at least one filter", nameof(filters));
        }

        var id = subscriptionId ?? NewSubscriptionId();
        var subscription = new RelaySubscription(this, id, filters.ToArray(), Math.Max(1, options.SubscriptionBufferSize));
        if (!subscriptions.TryAdd(id, subscription))
        {
            throw new InvalidOperationException($"subscription {id} is already open on {Relay}");
        }

        try
        {
            await SendAsync(new ClientReqMessage(id, subscription.Filters), cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            subscriptions.TryRemove(id, out _);
            subscription.Complete();
            throw;
        }

        return subscription;
    }

    /// <summary>Stored events for the filters, until EOSE (or CLOSED, or the timeout). Unverified.</summary>
    public async Task<IReadOnlyList<NostrEvent>> QueryAsync(IReadOnlyList<NostrFilter> filters, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var events = new List<NostrEvent>();
        await using var subscription = await SubscribeAsync(filters, null, deadline.Token).ConfigureAwait(false);
        try
        {
            await foreach (var item in subscription.Items.ReadAllAsync(deadline.Token).ConfigureAwait(false))
            {
                if (item.Kind == SubscriptionItemKind.Event)
                {
                    events.Add(item.Event!);
                }
                else if (item.Kind == SubscriptionItemKind.Closed)
                {
                    throw new RelayException(RelayException.CodeFor(RelayErrorKind.Closed), RelayErrorKind.Closed, Relay, "closed the subscription: " + item.Message);
                }
                else
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new RelayException(RelayException.CodeFor(RelayErrorKind.Timeout), RelayErrorKind.Timeout, Relay, $"no EOSE within {timeout.TotalSeconds:0.###} s");
        }

        return events;
    }

    /// <summary>Publishes and waits for the relay's OK. Never throws for a relay-side problem: the result says what happened.</summary>
    public async Task<PublishResult> PublishAsync(NostrEvent nostrEvent, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            var result = await PublishOnceAsync(nostrEvent, deadline.Token).ConfigureAwait(false);
            if (result.Status == PublishStatus.AuthRequired && options.AuthKey is not null)
            {
                // NIP-42: authenticate (the relay has sent or will send a challenge), then retry once.
                await WaitAuthenticatedAsync(deadline.Token).ConfigureAwait(false);
                result = await PublishOnceAsync(nostrEvent, deadline.Token).ConfigureAwait(false);
            }

            return result;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new PublishResult(Relay, nostrEvent.Id, PublishStatus.Timeout, $"no OK within {timeout.TotalSeconds:0.###} s") { Error = RelayErrorKind.Timeout };
        }
        catch (RelayException e)
        {
            return new PublishResult(Relay, nostrEvent.Id, PublishStatus.ConnectionFailed, e.Message) { Error = e.Kind };
        }
    }

    /// <summary>NIP-45 COUNT.</summary>
    public async Task<RelayCountMessage> CountAsync(IReadOnlyList<NostrFilter> filters, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var id = NewSubscriptionId();
        var tcs = new TaskCompletionSource<RelayCountMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        pendingCounts[id] = tcs;
        try
        {
            await SendAsync(new ClientCountMessage(id, filters), deadline.Token).ConfigureAwait(false);
            return await tcs.Task.WaitAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new RelayException(RelayException.CodeFor(RelayErrorKind.Timeout), RelayErrorKind.Timeout, Relay, $"no COUNT answer within {timeout.TotalSeconds:0.###} s");
        }
        finally
        {
            pendingCounts.TryRemove(id, out _);
        }
    }

    /// <summary>Sends a raw text frame (for tests and tools that speak NIP-01 themselves).</summary>
    public Task SendRawAsync(string text, CancellationToken cancellationToken = default) =>
        SendTextAsync(text, cancellationToken);

    public Task SendAsync(ClientMessage message, CancellationToken cancellationToken = default) =>
        SendTextAsync(NostrJson.Serialize(message), cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref connectState, 2) == 2)
        {
            return;
        }

        Fail(RelayErrorKind.ConnectionLost, "the client was closed");
        if (socket.State == WebSocketState.Open)
        {
            try
            {
                using var quick = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", quick.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
            {
                // The relay is gone or slow; abort below.
            }
        }

        lifetime.Cancel();
        socket.Abort();
        if (receiveLoop is not null)
        {
            await receiveLoop.ConfigureAwait(false);
        }

        socket.Dispose();
    }

    internal void ForgetSubscription(string id) => subscriptions.TryRemove(id, out _);

    internal async Task TrySendCloseAsync(string id)
    {
        if (!IsConnected)
        {
            return;
        }

        try
        {
            using var quick = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await SendAsync(new ClientCloseMessage(id), quick.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is RelayException or OperationCanceledException)
        {
            // CLOSE is a courtesy; a dead or stuck connection is dropped by its owner.
        }
    }

    private async Task<PublishResult> PublishOnceAsync(NostrEvent nostrEvent, CancellationToken cancellationToken)
    {
        var tcs = pendingOks.GetOrAdd(nostrEvent.Id, _ => new TaskCompletionSource<RelayOkMessage>(TaskCreationOptions.RunContinuationsAsynchronously));
        try
        {
            await SendAsync(new ClientEventMessage(nostrEvent), cancellationToken).ConfigureAwait(false);
            var ok = await tcs.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            return PublishResult.FromOk(Relay, ok);
        }
        finally
        {
            pendingOks.TryRemove(new KeyValuePair<string, TaskCompletionSource<RelayOkMessage>>(nostrEvent.Id, tcs));
        }
    }

    private async Task SendTextAsync(string text, CancellationToken cancellationToken)
    {
        if (Failure is { } failed)
        {
            throw failed;
        }

        if (Volatile.Read(ref connectState) != 1 || socket.State != WebSocketState.Open)
        {
            throw new RelayException(RelayException.CodeFor(RelayErrorKind.ConnectionLost), RelayErrorKind.ConnectionLost, Relay, "not connected");
        }

        var bytes = Encoding.UTF8.GetBytes(text);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lifetime.Token);
        await sendLock.WaitAsync(linked.Token).ConfigureAwait(false);
        try
        {
            await socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, linked.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is WebSocketException or IOException or ObjectDisposedException)
        {
            throw Fail(RelayErrorKind.ConnectionLost, "sending failed: " + e.Message, e);
        }
        finally
        {
            sendLock.Release();
        }
    }

    private string NewSubscriptionId() => "mb" + Interlocked.Increment(ref subscriptionCounter).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Records the first failure, ends every subscription and pending request with it, and returns it.</summary>
    private RelayException Fail(RelayErrorKind kind, string message, Exception? inner = null)
    {
        var error = new RelayException(RelayException.CodeFor(kind), kind, Relay, message, inner);
        var first = Interlocked.CompareExchange(ref failure, error, null) ?? error;
        foreach (var subscription in subscriptions.Values)
        {
            subscription.Complete(first);
        }

        subscriptions.Clear();
        foreach (var pending in pendingOks.Values)
        {
            pending.TrySetException(first);
        }

        foreach (var pending in pendingCounts.Values)
        {
            pending.TrySetException(first);
        }

        authenticated.TrySetException(first);
        if (inner is not null || kind != RelayErrorKind.ConnectionLost)
        {
            // Stop reading from a relay that broke the rules; the owner disposes the client.
            lifetime.Cancel();
        }

        return first;
    }

    private static (RelayErrorKind Kind, string Message) ClassifyConnectFailure(Exception e)
    {
        for (var inner = e; inner is not null; inner = inner.InnerException)
        {
            switch (inner)
            {
                case HttpRequestException { HttpRequestError: HttpRequestError.SecureConnectionError } h:
                    return (RelayErrorKind.TlsFailure, "TLS handshake failed: " + h.Message);
                case HttpRequestException { HttpRequestError: HttpRequestError.NameResolutionError } h:
                    return (RelayErrorKind.DnsFailure, "host name could not be resolved: " + h.Message);
                case AuthenticationException:
                    return (RelayErrorKind.TlsFailure, "TLS handshake failed: " + inner.Message);
                case SocketException s when s.SocketErrorCode is SocketError.HostNotFound or SocketError.TryAgain or SocketError.NoData:
                    return (RelayErrorKind.DnsFailure, "host name could not be resolved: " + s.Message);
                case SocketException s when s.SocketErrorCode == SocketError.ConnectionRefused:
                    return (RelayErrorKind.ConnectionRefused, "connection refused");
                case SocketException s:
                    return (RelayErrorKind.ConnectionLost, "socket error " + s.SocketErrorCode + ": " + s.Message);
            }
        }

        return (RelayErrorKind.HandshakeFailed, "WebSocket handshake failed: " + e.Message);
    }
}
