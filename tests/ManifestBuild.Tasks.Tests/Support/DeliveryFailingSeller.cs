using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace ManifestBuild.Tasks.Tests.Support;

/// <summary>
/// A seller that takes the money and then fails the delivery: an HTTP front on 127.0.0.1 that passes
/// the unauthenticated request through to the real L402 endpoint (so the buyer gets the real 402,
/// invoice and macaroon, and pays the seller's node), and answers every paid request (one with an
/// Authorization header) with 503, as a seller that went down right after the payment would.
/// </summary>
public sealed class DeliveryFailingSeller : IAsyncDisposable
{
    private static readonly HashSet<string> HopHeaders = new(StringComparer.OrdinalIgnoreCase) { "Transfer-Encoding", "Content-Length", "Connection", "Keep-Alive" };
    private readonly WebApplication app;
    private readonly HttpClient http = new(new SocketsHttpHandler { AllowAutoRedirect = false });
    private int refused;

    private DeliveryFailingSeller(WebApplication app, Uri url)
    {
        this.app = app;
        Url = url;
    }

    public Uri Url { get; }

    /// <summary>Paid requests answered with 503.</summary>
    public int RefusedDeliveries => Volatile.Read(ref refused);

    public static async Task<DeliveryFailingSeller> StartAsync(Uri seller)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        DeliveryFailingSeller? front = null;
        app.Run(context => front!.HandleAsync(context, seller));
        await app.StartAsync();
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        front = new DeliveryFailingSeller(app, new Uri(bound.TrimEnd('/') + "/"));
        return front;
    }

    public Uri ManifestUrl(string compiledId) => new(Url, "manifests/" + compiledId);

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
        http.Dispose();
    }

    private async Task HandleAsync(HttpContext context, Uri seller)
    {
        if (context.Request.Headers.Authorization.Count > 0)
        {
            Interlocked.Increment(ref refused);
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("{\"error\":\"the seller went down after the payment\"}");
            return;
        }

        using var response = await http.GetAsync(new Uri(seller, context.Request.Path.Value!.TrimStart('/')), context.RequestAborted);
        context.Response.StatusCode = (int)response.StatusCode;
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            if (!HopHeaders.Contains(name))
            {
                context.Response.Headers[name] = values.ToArray();
            }
        }

        await response.Content.CopyToAsync(context.Response.Body, context.RequestAborted);
    }
}
