using System.Net;
using ManifestBuild.Format;
using ManifestBuild.Market.L402;
using ManifestBuild.Seller.Sales;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ManifestBuild.Seller;

/// <summary>
/// The L402 delivery endpoint on Kestrel, startable in-process (tests, end-to-end runs) and by
/// <c>dsrs serve</c>. Dispose stops it.
/// </summary>
public sealed class SellerServer : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly L402Endpoint endpoint;
    private readonly CatalogWatcher catalog;
    private int disposed;

    private SellerServer(WebApplication app, L402Endpoint endpoint, CatalogWatcher catalog, Uri url, SalesJournal sales)
    {
        Sales = sales;
        this.app = app;
        this.endpoint = endpoint;
        this.catalog = catalog;
        Url = url;
    }

    /// <summary>The base URL, e.g. http://127.0.0.1:5123/ (manifests under manifests/&lt;id&gt;).</summary>
    public Uri Url { get; }

    /// <summary>The catalog on sale now (it follows the folder: see <see cref="WaitForCatalogAsync"/>).</summary>
    public ManifestCatalog Catalog => catalog.Current;

    /// <summary>The durable record of this seller's invoices, settlements and deliveries (<c>dsrs sales</c> reads it).</summary>
    public SalesJournal Sales { get; }

    public long InvoicesCreated => endpoint.InvoicesCreated;

    public long Deliveries => endpoint.Deliveries;

    /// <summary>Connections closed because their address was over its connection budget.</summary>
    public long ConnectionsRefused => endpoint.ConnectionsRefused;

    /// <summary>The delivery URL of one manifest (what a listing's l402 tag names).</summary>
    public Uri ManifestUrl(string compiledId) => new(Url, "manifests/" + compiledId);

    /// <summary>Waits, at most the timeout, until the catalog on sale satisfies the condition (after a folder change).</summary>
    public Task<ManifestCatalog> WaitForCatalogAsync(Func<ManifestCatalog, bool> condition, TimeSpan timeout) => catalog.WaitForAsync(condition, timeout);

    public static async Task<SellerServer> StartAsync(SellerServerOptions options, CancellationToken cancellationToken = default)
    {
        var address = ListenAddress(options.Host, options.AllowPublicBind);
        if (options.Port is < 0 or > 65535 || options.DefaultPriceMsat <= 0 || options.RateLimitPerWindow <= 0 || options.InvoiceLimitPerWindow <= 0
            || options.MaxConnectionsPerAddress <= 0 || options.MaxConnections < options.MaxConnectionsPerAddress
            || options.RequestHeadersTimeout <= TimeSpan.Zero || options.KeepAliveTimeout <= TimeSpan.Zero || options.CatalogPollInterval <= TimeSpan.Zero)
        {
            throw new DsrsException(SellerErrorCodes.InvalidOptions, "the port must be 0-65535; the default price, rate limits, connection budgets and timeouts positive");
        }

        var watcher = new CatalogWatcher(options.ManifestsDirectory, () => ManifestCatalog.Load(options.ManifestsDirectory, options.DefaultPriceMsat, options.Prices), options.CatalogPollInterval, options.Log);
        var budget = new ConnectionBudget(options.MaxConnectionsPerAddress, options.Log);
        var sales = SalesJournal.Open(options.Home);
        var endpoint = new L402Endpoint(options, watcher, budget, L402RootKey.LoadOrCreate(options.Home), sales);
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = typeof(SellerServer).Assembly.GetName().Name });
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = 0;
            kestrel.Limits.MaxRequestHeadersTotalSize = options.MaxRequestHeadersBytes;
            kestrel.Limits.MaxRequestLineSize = 4096;
            kestrel.Limits.MaxRequestHeaderCount = 64;
            kestrel.Limits.MaxConcurrentConnections = options.MaxConnections;
            kestrel.Limits.RequestHeadersTimeout = options.RequestHeadersTimeout;
            kestrel.Limits.KeepAliveTimeout = options.KeepAliveTimeout;
            kestrel.Listen(address, options.Port, listen =>
            {
                listen.Protocols = HttpProtocols.Http1;
                listen.Use(budget.Wrap);
            });
        });
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(5));
        builder.Services.AddSingleton<IHostLifetime, SilentLifetime>();
        var app = builder.Build();
        app.Run(endpoint.HandleAsync);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw new DsrsException(SellerErrorCodes.BindFailed, $"cannot listen on {options.Host}:{options.Port}: {e.Message}", e);
        }

        watcher.Start();
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        var port = bound is not null && Uri.TryCreate(bound, UriKind.Absolute, out var boundUri) ? boundUri.Port : options.Port;
        var host = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();
        return new SellerServer(app, endpoint, watcher, new Uri($"http://{host}:{port}/"), sales);
    }

    /// <summary>
    /// The address to bind: loopback unless a public bind was asked for (an address other machines can
    /// reach is a decision, <c>--public</c>). Throws DSRS0580 naming the flag.
    /// </summary>
    public static IPAddress ListenAddress(string listenHost, bool allowPublic)
    {
        var host = listenHost.Trim('[', ']');
        if (host == "localhost")
        {
            return IPAddress.Loopback;
        }

        if (!IPAddress.TryParse(host, out var address))
        {
            throw new DsrsException(SellerErrorCodes.InvalidOptions, $"the listen host {UntrustedText.Neutralise(listenHost, 60)} is not an IP address");
        }

        if (!IPAddress.IsLoopback(address) && !allowPublic)
        {
            throw new DsrsException(SellerErrorCodes.InvalidOptions, $"{address} is not a loopback address: other machines could reach this plain-http server; pass --public to listen there (behind a TLS reverse proxy)");
        }

        return address;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        await catalog.DisposeAsync().ConfigureAwait(false);
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10)))
        {
            await app.StopAsync(timeout.Token).ConfigureAwait(false);
        }

        await app.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>The host must not hook the console (Ctrl+C, SIGTERM) of a test process or the CLI; the owner stops it.</summary>
    private sealed class SilentLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
