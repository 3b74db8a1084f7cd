using System.Collections.Concurrent;
using System.Net;

namespace ManifestBuild.Seller;

/// <summary>
/// Fixed-window counters per client address. Bounded memory: when too many clients are tracked, the
/// expired windows are dropped, and if that is not enough the table is cleared (a reset is harmless,
/// an unbounded table is not).
/// </summary>
internal sealed class ClientRateLimiter
{
    private const int MaxTrackedClients = 100_000;
    private readonly int limit;
    private readonly TimeSpan window;
    private readonly TimeProvider time;
    private readonly ConcurrentDictionary<IPAddress, Counter> counters = new();

    public ClientRateLimiter(int limit, TimeSpan window, TimeProvider? time = null)
    {
        this.limit = limit;
        this.window = window;
        this.time = time ?? TimeProvider.System;
    }

    public bool TryAcquire(IPAddress? client)
    {
        var key = client ?? IPAddress.None;
        var now = time.GetUtcNow();
        if (counters.Count > MaxTrackedClients)
        {
            foreach (var pair in counters)
            {
                if (now - pair.Value.Start >= window)
                {
                    counters.TryRemove(pair.Key, out _);
                }
            }

            if (counters.Count > MaxTrackedClients)
            {
                counters.Clear();
            }
        }

        var counter = counters.GetOrAdd(key, _ => new Counter(now));
        lock (counter)
        {
            if (now - counter.Start >= window)
            {
                counter.Start = now;
                counter.Count = 0;
            }

            if (counter.Count >= limit)
            {
                return false;
            }

            counter.Count++;
            return true;
        }
    }

    private sealed class Counter(DateTimeOffset start)
    {
        public DateTimeOffset Start { get; set; } = start;

        public int Count { get; set; }
    }
}
