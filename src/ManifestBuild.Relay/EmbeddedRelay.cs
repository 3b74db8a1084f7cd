using System.Net;
using ManifestBuild.Format;
using ManifestBuild.Nostr;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ManifestBuild.Relay;

/// <summary>
/// A NIP-01 Nostr relay in this process, on Kestrel: the local default for the demo, `dsrs relay`
/// and fast tests. Start it with <see cref="StartAsync"/>, talk to it at <see cref="Url"/>, stop it
/// with <see cref="DisposeAsync"/>. Logs nothing.
/// </summary>
public sealed class EmbeddedRelay : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly RelayHub hub;
    private readonly CancellationTokenSource shutdown = new();
    private int disposed;

    private EmbeddedRelay(WebApplication app, RelayHub hub, IPAddress address, int port)
    {
        this.app = app;
        this.hub = hub;
        Port = port;
        var host = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();
        Url = new Uri($"ws://{host}:{port}");
    }

    /// <summary>ws://host:port of the running relay.</summary>
    public Uri Url { get; }

    /// <summary>The port it listens on (the one picked by the OS when the options said 0).</summary>
    public int Port { get; }

    /// <summary>Events stored now (replaced, deleted and ephemeral ones not counted).</summary>
    public int EventCount => hub.EventCount;

    /// <summary>Open WebSocket connections now.</summary>
    public int ConnectionCount => hub.ConnectionCount;

    /// <summary>REQs (subscriptions) served since the relay started: how often clients searched it.</summary>
    public int SubscriptionsOpened => hub.SubscriptionsOpened;

    /// <summary>Lines of the data file skipped at start because they were cut short or corrupt.</summary>
    public int SkippedOnReplay => hub.SkippedOnReplay;

    public EmbeddedRelayOptions Options => hub.Options;

    /// <summary>
    /// Publishes in-process exactly as an EVENT message would (same validation, replacement,
    /// persistence and live delivery), without a socket: for seeding demos and benchmarks.
    /// Thread-safe; call it from several threads to verify signatures in parallel.
    /// </summary>
    public RelayPublishResult Publish(NostrEvent nostrEvent)
    {
        ArgumentNullException.ThrowIfNull(nostrEvent);
        var (accepted, message) = hub.Publish(nostrEvent);
        return new RelayPublishResult(nostrEvent.Id, accepted, message);
    }

    /// <summary>Publishes many events with signature checks spread over the cores; returns one result per event, in order.</summary>
    public IReadOnlyList<RelayPublishResult> PublishMany(IReadOnlyList<NostrEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        var results = new RelayPublishResult[events.Count];
        Parallel.For(0, events.Count, i => results[i] = Publish(events[i]));
        return results;
    }

    /// <summary>The stored events a REQ with these filters would return before EOSE, newest first.</summary>
    public IReadOnlyList<NostrEvent> Query(params NostrFilter[] filters)
    {
        ArgumentNullException.ThrowIfNull(filters);
        return hub.Query(filters);
    }

    /// <summary>Loads the data file (if any), binds, and returns once the relay accepts connections.</summary>
    public static async Task<EmbeddedRelay> StartAsync(EmbeddedRelayOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new EmbeddedRelayOptions();
        options.Validate();
        var address = ParseHost(options.Host);
        var hub = new RelayHub(options);
        WebApplication? app = null;
        try
        {
            var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = typeof(EmbeddedRelay).Assembly.GetName().Name });
            builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
            {
                kestrel.AddServerHeader = false;
                kestrel.Listen(address, options.Port);
            });
            builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(5));
            builder.Services.AddSingleton<IHostLifetime, QuietHostLifetime>();
            app = builder.Build();
            var endpoint = new RelayEndpoint(hub);
            app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(30) });
            app.Run(endpoint.HandleAsync);
            try
            {
                await app.StartAsync(cancellationToken);
            }
            catch (IOException e)
            {
                throw new DsrsException(RelayErrorCodes.BindFailed, $"the relay cannot listen on {options.Host}:{options.Port}: {e.Message}", e);
            }

            var port = BoundPort(app) ?? options.Port;
            var started = new EmbeddedRelay(app, hub, address, port);
            endpoint.Attach(started);
            return started;
        }
        catch
        {
            if (app is not null)
            {
                await app.DisposeAsync();
            }

            hub.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        // Ending the connections first lets Kestrel stop without waiting out its timeout.
        await shutdown.CancelAsync();
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10)))
        {
            await app.StopAsync(timeout.Token);
        }

        await app.DisposeAsync();
        hub.Dispose();
        shutdown.Dispose();
    }

    internal CancellationToken ShutdownToken => shutdown.Token;

    private static IPAddress ParseHost(string host)
    {
        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return IPAddress.Loopback;
        }

        if (IPAddress.TryParse(host.Trim('[', ']'), out var address))
        {
            return address;
        }

        throw new DsrsException(RelayErrorCodes.InvalidOptions, $"embedded relay: host '{host}' is not an IP address or 'localhost'");
    }

    private static int? BoundPort(WebApplication app)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses;
        foreach (var address in addresses ?? [])
        {
            if (Uri.TryCreate(address, UriKind.Absolute, out var uri))
            {
                return uri.Port;
            }
        }

        return null;
    }
}
