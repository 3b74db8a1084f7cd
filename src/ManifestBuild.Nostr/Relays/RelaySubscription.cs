using System.Threading.Channels;

namespace ManifestBuild.Nostr.Relays;

public enum SubscriptionItemKind
{
    Event,

    /// <summary>The relay sent EOSE: stored events are done.</summary>
    EndOfStoredEvents,

    /// <summary>The relay sent CLOSED; <see cref="SubscriptionItem.Message"/> says why. Nothing follows.</summary>
    Closed,
}

/// <summary>One thing a subscription delivered, in arrival order. <see cref="Bytes"/> is the message's size on the wire.</summary>
public readonly record struct SubscriptionItem(SubscriptionItemKind Kind, NostrEvent? Event, string? Message, int Bytes);

/// <summary>
/// An open REQ on one relay. Read <see cref="Items"/> in order; the reader ends with an exception
/// (<see cref="RelayException"/>) if the connection fails. Events are as the relay sent them:
/// unverified, possibly not matching the filters.
/// </summary>
public sealed class RelaySubscription : IAsyncDisposable
{
    private readonly RelayClient client;
    private readonly Channel<SubscriptionItem> channel;
    private readonly CancellationTokenSource closing = new();
    private int closed;

    internal RelaySubscription(RelayClient client, string id, IReadOnlyList<NostrFilter> filters, int capacity)
    {
        this.client = client;
        Id = id;
        Filters = filters;
        channel = Channel.CreateBounded<SubscriptionItem>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    public string Id { get; }

    public IReadOnlyList<NostrFilter> Filters { get; }

    public ChannelReader<SubscriptionItem> Items => channel.Reader;

    internal bool AuthRetried { get; set; }

    internal bool IsClosed => Volatile.Read(ref closed) != 0;

    /// <summary>Waits for room (backpressure on the connection) unless the subscription is being closed.</summary>
    internal async ValueTask DeliverAsync(SubscriptionItem item, CancellationToken connectionToken)
    {
        if (IsClosed || channel.Writer.TryWrite(item))
        {
            return; // the common case: room in the buffer, no allocation
        }

        using var linked = CancellationTokenSource.CreateLinkedTokenSource(connectionToken, closing.Token);
        try
        {
            await channel.Writer.WriteAsync(item, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (closing.IsCancellationRequested)
        {
            // Closed while the reader was not keeping up: the item is no longer wanted.
        }
        catch (ChannelClosedException)
        {
        }
    }

    internal void Complete(Exception? error = null)
    {
        if (Interlocked.Exchange(ref closed, 1) == 0)
        {
            channel.Writer.TryComplete(error);
            closing.Cancel();
        }
    }

    /// <summary>Ends the item stream without telling the relay (its connection is being dropped).</summary>
    public void CloseWithoutSending()
    {
        Complete();
        client.ForgetSubscription(Id);
    }

    /// <summary>Sends CLOSE (best effort) and ends the item stream.</summary>
    public async ValueTask CloseAsync()
    {
        if (IsClosed)
        {
            client.ForgetSubscription(Id);
            return;
        }

        Complete();
        client.ForgetSubscription(Id);
        await client.TrySendCloseAsync(Id).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        // The CancellationTokenSource has no timer, so it is left to the GC: disposing it could race
        // with a delivery still linking to its token.
        await CloseAsync().ConfigureAwait(false);
    }
}
