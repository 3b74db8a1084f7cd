namespace ManifestBuild.Nostr.Relays;

/// <summary>Bounds for a pool query: what one relay may cost in time, memory and CPU.</summary>
public sealed record RelayPoolOptions
{
    public RelayClientOptions Client { get; init; } = new();

    /// <summary>Events accepted from one relay per query; more is a flood and the relay is cut off.</summary>
    public int MaxEventsPerRelay { get; init; } = 50_000;

    /// <summary>Bytes of EVENT messages accepted from one relay per query.</summary>
    public long MaxBytesPerRelay { get; init; } = 256L * 1024 * 1024;

    /// <summary>
    /// Events received but not yet verified, across all relays (backpressure beyond it). Events travel
    /// in batches of up to 128, so the bound is kept in whole batches: at least one.
    /// </summary>
    public int MaxPendingVerifications { get; init; } = 4096;

    /// <summary>Threads verifying signatures; default: every core.</summary>
    public int VerifyParallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>
    /// Check signatures with BIP-340 batch verification (see <see cref="NostrEventVerifier.VerifyMany"/>):
    /// the same verdicts, about 1.5-2x less CPU on large answers. Off checks each signature on its own.
    /// </summary>
    public bool BatchVerification { get; init; } = true;

    public TimeSpan PublishTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Notices kept per relay per query in the report.</summary>
    public int MaxNoticesPerRelay { get; init; } = 16;

    /// <summary>
    /// How long a query still waits for relays that have not even completed their WebSocket handshake
    /// once every connected relay has answered (at least one with EOSE): the larger of this and a quarter
    /// of the time taken so far. Then they are abandoned for this query (reported, never an error for
    /// the others), so a dead relay never makes a build wait for its connect timeout. A relay that
    /// connects during the grace is waited for as usual. Zero turns the rule off.
    /// </summary>
    public TimeSpan StragglerGrace { get; init; } = TimeSpan.FromMilliseconds(200);
}

/// <summary>What one relay did during one query.</summary>
public sealed record RelayQueryReport
{
    public required Uri Relay { get; init; }

    /// <summary>EVENT messages received for the query.</summary>
    public int EventsReceived { get; init; }

    /// <summary>Events that were valid, new and matched the filters.</summary>
    public int Accepted { get; init; }

    /// <summary>Events with a wrong id or signature (dropped).</summary>
    public int Invalid { get; init; }

    /// <summary>Events already received (from this or another relay).</summary>
    public int Duplicates { get; init; }

    /// <summary>Valid events that do not match the filters (relays skip some filters).</summary>
    public int FilteredOut { get; init; }

    /// <summary>Events still waiting for verification when the deadline passed (dropped).</summary>
    public int Unverified { get; init; }

    public long BytesReceived { get; init; }

    public bool ReceivedEose { get; init; }

    /// <summary>From the start of the query to EOSE.</summary>
    public TimeSpan? EoseAfter { get; init; }

    public RelayErrorKind Error { get; init; }

    public string? ErrorMessage { get; init; }

    public IReadOnlyList<string> Notices { get; init; } = [];

    /// <summary>Messages that were not valid NIP-01 JSON.</summary>
    public int ProtocolErrors { get; init; }

    /// <summary>EOSE received and nothing went wrong.</summary>
    public bool Succeeded => ReceivedEose && Error == RelayErrorKind.None;

    public override string ToString() =>
        $"{RelayUrl.Format(Relay)}: {(Succeeded ? "ok" : Error.ToString())}; received {EventsReceived}, accepted {Accepted}, invalid {Invalid}, duplicates {Duplicates}, filtered {FilteredOut}" +
        (EoseAfter is { } t ? $", EOSE after {t.TotalMilliseconds:0} ms" : ", no EOSE") +
        (ErrorMessage is null ? string.Empty : "; " + ErrorMessage);
}

/// <summary>A pool query's verified, deduplicated events (newest first; ties by id) and a report per relay.</summary>
public sealed record RelayQueryResult(IReadOnlyList<VerifiedEvent> Verified, IReadOnlyList<RelayQueryReport> Relays, TimeSpan Elapsed)
{
    /// <summary>The same events as <see cref="Verified"/>, for readers that only look at them.</summary>
    public IReadOnlyList<NostrEvent> Events { get; } = Verified.Select(v => v.Event).ToArray();

    /// <summary>Older versions of replaceable/addressable events that a newer one replaced.</summary>
    public int Superseded { get; init; }

    /// <summary>Every relay sent EOSE without error.</summary>
    public bool Complete => Relays.All(r => r.Succeeded);
}
