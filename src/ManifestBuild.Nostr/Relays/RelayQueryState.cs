namespace ManifestBuild.Nostr.Relays;

/// <summary>Counters for one relay during one query, updated from several threads.</summary>
internal sealed class RelayQueryState(Uri relay, int maxNotices)
{
    private readonly object gate = new();
    private readonly List<string> notices = [];
    private RelayErrorKind error;
    private string? errorMessage;

    public int Received;
    public int Accepted;
    public int Invalid;
    public int Duplicates;
    public int FilteredOut;
    public int Unverified;
    public long Bytes;
    public int ProtocolErrors;
    public TimeSpan? EoseAfter;

    private readonly TaskCompletionSource connected = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>True once the relay's connection is open (the relay is alive, so it is waited for).</summary>
    public bool Connected => connected.Task.IsCompleted;

    /// <summary>Completes when the connection opens.</summary>
    public Task WhenConnected => connected.Task;

    public void MarkConnected() => connected.TrySetResult();

    /// <summary>Set when the query gave up on a relay that never connected while the others answered.</summary>
    public volatile bool Abandoned;

    public Uri Relay { get; } = relay;

    public RelayErrorKind Error => error;

    /// <summary>The first error wins: later ones are usually consequences.</summary>
    public void SetError(RelayErrorKind kind, string message)
    {
        lock (gate)
        {
            if (error == RelayErrorKind.None)
            {
                error = kind;
                errorMessage = message;
            }
        }
    }

    public void AddNotice(string notice)
    {
        lock (gate)
        {
            if (notices.Count < maxNotices)
            {
                notices.Add(notice.Length > 300 ? notice[..300] : notice);
            }
        }
    }

    public RelayQueryReport ToReport()
    {
        lock (gate)
        {
            return new RelayQueryReport
            {
                Relay = Relay,
                EventsReceived = Volatile.Read(ref Received),
                Accepted = Volatile.Read(ref Accepted),
                Invalid = Volatile.Read(ref Invalid),
                Duplicates = Volatile.Read(ref Duplicates),
                FilteredOut = Volatile.Read(ref FilteredOut),
                Unverified = Volatile.Read(ref Unverified),
                BytesReceived = Interlocked.Read(ref Bytes),
                ReceivedEose = EoseAfter is not null,
                EoseAfter = EoseAfter,
                Error = error,
                ErrorMessage = errorMessage,
                Notices = notices.ToArray(),
                ProtocolErrors = ProtocolErrors,
            };
        }
    }
}
