using System.Net;
using ManifestBuild.Format;
using ManifestBuild.Market.L402;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
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
    private int disposed;

    private SellerServer(WebApplication app, L402Endpoint endpoint, ManifestCatalog catalog, Uri url)
    {
        this.app = app;
        this.endpoint = endpoint;
        Catalog = catalog;
        Url = url;
    }

    /// <summary>The base URL, e.g. http://127.0.0.1:5123/ (manifests under manifests/&lt;id&gt;).</summary>
    public Uri Url { get; }

    public ManifestCatalog Catalog { get; }

    public long InvoicesCreated => endpoint.InvoicesCreated;

    public long Deliveries => endpoint.Deliveries;

    /// <summary>The delivery URL of one manifest (what a listing's l402 tag names).</summary>
    public Uri ManifestUrl(string compiledId) => new(Url, "manifests/" + compiledId);

    public static async Task<SellerServer> StartAsync(SellerServerOptions options, CancellationToken cancellationToken = default)
    {
        if (!IPAddress.TryParse(options.Host.Trim('[', ']'), out var address) && options.Host != "localhost")
        {
            throw new DsrsException(SellerErrorCodes.InvalidOptions, $"the listen host {options.Host} is not an IP address");
        }

        address ??= IPAddress.Loopback;
        if (options.Port is < 0 or > 65535 || options.DefaultPriceMsat <= 0 || options.RateLimitPerWindow <= 0 || options.InvoiceLimitPerWindow <= 0)
        {
            throw new DsrsException(SellerErrorCodes.InvalidOptions, "the port must be 0-65535 and the default price and rate limits positive");
        }

        var catalog = ManifestCatalog.Load(options.ManifestsDirectory, options.DefaultPriceMsat, options.Prices);
        foreach (var problem in catalog.Problems)
        {
            options.Log?.Invoke(problem);
        }

        var endpoint = new L402Endpoint(options, catalog, L402RootKey.LoadOrCreate(options.Home));
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = typeof(SellerServer).Assembly.GetName().Name });
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = 0;
            kestrel.Limits.MaxRequestHeadersTotalSize = options.MaxRequestHeadersBytes;
            kestrel.Limits.MaxRequestLineSize = 4096;
            kestrel.Limits.MaxRequestHeaderCount = 64;
            kestrel.Limits.MaxConcurrentConnections = 1000;
            kestrel.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(10);
            kestrel.Listen(address, options.Port);
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

        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        var port = bound is not null && Uri.TryCreate(bound, UriKind.Absolute, out var boundUri) ? boundUri.Port : options.Port;
        var host = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();
        return new SellerServer(app, endpoint, catalog, new Uri($"http://{host}:{port}/"));
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

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
