using System.Net;
using Microsoft.AspNetCore.Connections;

namespace ManifestBuild.Seller;

/// <summary>
/// At most N open connections per client address (Kestrel only caps the total, so one address
/// holding idle sockets could lock every buyer out). Over budget, a connection is closed at once,
/// before any HTTP is read. The table holds only addresses with open connections.
/// </summary>
internal sealed class ConnectionBudget
{
    private readonly int perAddress;
    private readonly Dictionary<IPAddress, int> open = [];
    private readonly ClientRateLimiter logOncePerMinute = new(1, TimeSpan.FromMinutes(1));
    private readonly Action<string>? log;
    private long refused;

    public ConnectionBudget(int perAddress, Action<string>? log)
    {
        this.perAddress = perAddress;
        this.log = log;
    }

    public long Refused => Interlocked.Read(ref refused);

    public ConnectionDelegate Wrap(ConnectionDelegate next) => async connection =>
    {
        var key = ClientAddress.Key((connection.RemoteEndPoint as IPEndPoint)?.Address);
        if (!TryEnter(key))
        {
            Interlocked.Increment(ref refused);
            if (logOncePerMinute.TryAcquire(key))
            {
                log?.Invoke($"{SellerErrorCodes.ConnectionBudgetExceeded}: {key} holds {perAddress} connections already; closing its extra connections (logged once a minute)");
            }

            connection.Abort();
            return;
        }

        try
        {
            await next(connection).ConfigureAwait(false);
        }
        finally
        {
            Leave(key);
        }
    };

    private bool TryEnter(IPAddress key)
    {
        lock (open)
        {
            var count = open.GetValueOrDefault(key);
            if (count >= perAddress)
            {
                return false;
            }

            open[key] = count + 1;
            return true;
        }
    }

    private void Leave(IPAddress key)
    {
        lock (open)
        {
            var count = open[key] - 1;
            if (count == 0)
            {
                open.Remove(key);
            }
            else
            {
                open[key] = count;
            }
        }
    }
}
