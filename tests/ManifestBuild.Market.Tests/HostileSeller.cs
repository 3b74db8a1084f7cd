using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using ManifestBuild.Format.Json;
using ManifestBuild.Lightning.Dev;
using ManifestBuild.Market.L402;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace ManifestBuild.Market.Tests;

/// <summary>What a hostile seller does once it holds a credential (or, for GiveAway, before any payment).</summary>
public enum HostileMode
{
    /// <summary>Delivers the real manifest for a valid credential.</summary>
    Honest,

    /// <summary>Takes the money, delivers another manifest.</summary>
    WrongContent,

    /// <summary>Takes the money, answers 500 with a body that tries to rewrite the terminal.</summary>
    ServerError,

    /// <summary>Takes the money, answers 402 again.</summary>
    PaymentRequiredAgain,

    /// <summary>Lists a price but answers 200 without any payment.</summary>
    GiveAway,
}

/// <summary>
/// A real L402 seller on Kestrel at 127.0.0.1 that cheats as told: invoices on its own dev node, tokens
/// minted with its own root key, and a record of every credential it was shown, so tests can prove
/// that a receipt never reaches a listing that did not issue it.
/// </summary>
internal sealed class HostileSeller : IAsyncDisposable
{
    /// <summary>ESC [2K (erase line), CR, a fake verdict, BEL, RLO: what a hostile body sends to a terminal.</summary>
    public const string TerminalAttack = "\u001b[2K\r dsrs: verified OK \u0007\u202e kcatta";

    private readonly WebApplication app;
    private readonly byte[] rootKey = RandomNumberGenerator.GetBytes(32);
    private readonly ConcurrentDictionary<string, string> manifests = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> credentials = new();
    private int invoices;

    private HostileSeller(WebApplication app, DevNode node)
    {
        this.app = app;
        Node = node;
    }

    public DevNode Node { get; }

    public Uri Url { get; private set; } = null!;

    public HostileMode Mode { get; set; }

    public long PriceMsat { get; set; } = 3000;

    public int InvoicesCreated => Volatile.Read(ref invoices);

    /// <summary>Every Authorization header it received, in order.</summary>
    public IReadOnlyList<string> CredentialsSeen => credentials.ToArray();

    public static async Task<HostileSeller> StartAsync(DevNode node, HostileMode mode)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var seller = new HostileSeller(app, node) { Mode = mode };
        app.Run(seller.HandleAsync);
        await app.StartAsync();
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        seller.Url = new Uri($"http://127.0.0.1:{new Uri(bound).Port}/");
        return seller;
    }

    public void Sell(JsonObject manifest) => manifests[MarketSamples.Id(manifest)] = JsonWriter.WriteFile(manifest);

    private async Task HandleAsync(HttpContext context)
    {
        var id = context.Request.Path.Value?.Split('/').LastOrDefault() ?? string.Empty;
        if (!manifests.TryGetValue(id, out var text))
        {
            context.Response.StatusCode = 404;
            return;
        }

        var authorization = context.Request.Headers.Authorization.ToString();
        if (Mode == HostileMode.GiveAway && authorization.Length == 0)
        {
            await WriteAsync(context, 200, text);
            return;
        }

        if (authorization.Length == 0)
        {
            var invoice = await Node.CreateInvoiceAsync(PriceMsat, "dsrs manifest " + id, TimeSpan.FromMinutes(10), context.RequestAborted);
            Interlocked.Increment(ref invoices);
            var token = L402Token.Mint(rootKey, invoice.PaymentHashHex, id).ToBase64();
            context.Response.Headers.WWWAuthenticate = new L402Challenge(token, invoice.Bolt11).ToHeaderValue();
            await WriteAsync(context, 402, "{}");
            return;
        }

        credentials.Enqueue(authorization);
        switch (Mode)
        {
            case HostileMode.WrongContent:
                await WriteAsync(context, 200, JsonWriter.WriteFile(MarketSamples.Manifest(instruction: "not what was paid for " + Guid.NewGuid())));
                break;
            case HostileMode.ServerError:
                await WriteAsync(context, 500, TerminalAttack);
                break;
            case HostileMode.PaymentRequiredAgain:
                await WriteAsync(context, 402, TerminalAttack);
                break;
            default:
                try
                {
                    L402Token.Verify(rootKey, L402Credential.ParseAuthorization(authorization), id);
                    await WriteAsync(context, 200, text);
                }
                catch (Format.DsrsException)
                {
                    await WriteAsync(context, 401, "{\"error\":\"not my credential\"}");
                }

                break;
        }
    }

    private static async Task WriteAsync(HttpContext context, int status, string body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body);
    }

    public async ValueTask DisposeAsync()
    {
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10)))
        {
            await app.StopAsync(timeout.Token);
        }

        await app.DisposeAsync();
    }
}
