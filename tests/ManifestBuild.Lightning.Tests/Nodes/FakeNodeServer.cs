using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ManifestBuild.Lightning.Tests.Nodes;

/// <summary>
/// A loopback Kestrel server that plays a node's HTTP API in a test. Handlers it maps can block on
/// <see cref="Release"/> (a slow node) without any sleep; disposing releases and stops everything.
/// </summary>
internal sealed class FakeNodeServer : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly TaskCompletionSource release = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private FakeNodeServer(WebApplication app) => this.app = app;

    public Uri BaseUri { get; private set; } = new("http://127.0.0.1/");

    /// <summary>Every request seen: method, path (with query) and body.</summary>
    public List<SeenRequest> Requests { get; } = [];

    /// <summary>A slow handler awaits this; it completes when the test ends.</summary>
    public Task Release => release.Task;

    public static async Task<FakeNodeServer> StartAsync(Action<WebApplication, FakeNodeServer> map, X509Certificate2? certificate = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen =>
        {
            if (certificate is not null)
            {
                listen.UseHttps(certificate);
            }
        }));
        var app = builder.Build();
        var server = new FakeNodeServer(app);
        app.Use(async (context, next) =>
        {
            context.Request.EnableBuffering();
            var body = await new StreamReader(context.Request.Body).ReadToEndAsync();
            context.Request.Body.Position = 0;
            lock (server.Requests)
            {
                server.Requests.Add(new SeenRequest(context.Request.Method, context.Request.Path + context.Request.QueryString, body, context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase)));
            }

            await next(context);
        });
        map(app, server);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseUri = new Uri(address + "/");
        return server;
    }

    /// <summary>Requests to one path (without query), in order.</summary>
    public List<SeenRequest> To(string path)
    {
        lock (Requests)
        {
            return [.. Requests.Where(r => r.Path.Split('?')[0] == path)];
        }
    }

    public async ValueTask DisposeAsync()
    {
        release.TrySetResult();
        using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await app.StopAsync(stopping.Token);
        await app.DisposeAsync();
    }

    /// <summary>A self-signed certificate for 127.0.0.1, made in the test.</summary>
    public static X509Certificate2 SelfSignedCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=fake-lnd", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));

        // Kestrel needs the key in a form the platform can use: round-trip through PKCS#12.
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
    }
}

internal sealed record SeenRequest(string Method, string Path, string Body, IReadOnlyDictionary<string, string> Headers)
{
    public string Header(string name) => Headers.TryGetValue(name, out var value) ? value : string.Empty;
}
