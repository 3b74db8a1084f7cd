using System.Collections.Concurrent;
using System.Net;
using ManifestBuild.Format;
using ManifestBuild.Format.Json;
using ManifestBuild.Lightning.Bolt11;
using ManifestBuild.Lightning.Dev;
using ManifestBuild.Market.L402;
using ManifestBuild.TestSupport;

namespace ManifestBuild.Seller.Tests;

/// <summary>The catalog is the one place prices live, and `dsrs serve` follows its folder while running.</summary>
public sealed class SellerCatalogTests : IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);
    private readonly TempDirectory root = new("seller-catalog");
    private readonly HttpClient http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly ConcurrentQueue<string> log = new();
    private readonly SemaphoreSlim logged = new(0);
    private string folder = string.Empty;

    public Task InitializeAsync()
    {
        folder = root.Combine("sell");
        Directory.CreateDirectory(folder);
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        http.Dispose();
        logged.Dispose();
        root.Dispose();
        return Task.CompletedTask;
    }

    private string Write(string name, string instruction)
    {
        var manifest = SellerEndpointTests.Manifest(instruction);
        AtomicFile.WriteAllText(Path.Combine(folder, name), JsonWriter.WriteFile(manifest));
        return manifest.GetString("compiled_id")!;
    }

    private void Prices(string json) => AtomicFile.WriteAllText(Path.Combine(folder, ManifestCatalog.PricesFileName), json);

    private Task<SellerServer> StartAsync() => SellerServer.StartAsync(new SellerServerOptions
    {
        ManifestsDirectory = folder,
        Node = DevNode.Open("seller", root.Combine("devnet")),
        Home = root.Combine("home"),
        CatalogPollInterval = TimeSpan.FromSeconds(1), // file-system events come first; the poll is the backstop (e.g. no inotify left)
        Log = line =>
        {
            log.Enqueue(line);
            logged.Release();
        },
    });

    private async Task<long> InvoicedMsatAsync(SellerServer server, string id)
    {
        using var response = await http.GetAsync(server.ManifestUrl(id));
        Assert.Equal(HttpStatusCode.PaymentRequired, response.StatusCode);
        return Bolt11Decoder.Decode(L402Challenge.Parse(response.Headers.GetValues("WWW-Authenticate")).Invoice).AmountMsat!.Value;
    }

    private async Task<JsonObject> HealthAsync(SellerServer server)
    {
        using var response = await http.GetAsync(new Uri(server.Url, "health"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonParser.ParseObject(await response.Content.ReadAsStringAsync());
    }

    private static double Number(JsonObject o, string name) => ((JsonNumber)o[name]!).Value;

    [Fact]
    public async Task A_manifest_without_a_price_is_not_sold_and_the_listing_price_is_the_served_price()
    {
        var priced = Write("priced.json", "priced");
        var unpriced = Write("unpriced.json", "unpriced");
        Prices($"{{\"{priced}\": 20000}}");
        var catalog = ManifestCatalog.Load(folder);
        await using var server = await StartAsync();

        // What publish lists (ForListing) is what serve invoices, and no silent default exists.
        Assert.Equal(20000, catalog.ForListing(priced, null).PriceMsat);
        Assert.Equal(20000, await InvoicedMsatAsync(server, priced));
        Assert.Null(server.Catalog.Find(unpriced));
        Assert.Equal(SellerErrorCodes.NotInCatalog, Assert.Throws<DsrsException>(() => catalog.ForListing(unpriced, null)).Code);
        Assert.Contains(SellerErrorCodes.NoPrice, Assert.Throws<DsrsException>(() => catalog.ForListing(unpriced, null)).Message, StringComparison.Ordinal);

        // A stated price that differs is refused, naming both prices.
        var disagree = Assert.Throws<DsrsException>(() => catalog.ForListing(priced, 1000));
        Assert.Equal(SellerErrorCodes.PriceDisagrees, disagree.Code);
        Assert.Contains("1000", disagree.Message, StringComparison.Ordinal);
        Assert.Contains("20000", disagree.Message, StringComparison.Ordinal);
        Assert.Equal(20000, catalog.ForListing(priced, 20000).PriceMsat);

        // The log says why the 402 went out and at which price.
        Assert.Contains(log, line => line.Contains("-> 402", StringComparison.Ordinal) && line.Contains("no credential", StringComparison.Ordinal) && line.Contains("20000 msat (prices.json)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Serve_follows_added_repriced_and_removed_manifests_without_a_restart()
    {
        var first = Write("first.json", "first");
        Prices("{\"default\": 3000}");
        await using var server = await StartAsync();
        Assert.Equal(3000, await InvoicedMsatAsync(server, first));

        // Added.
        var second = Write("second.json", "second");
        await server.WaitForCatalogAsync(c => c.Find(second) is not null, Bound);
        Assert.Equal(3000, await InvoicedMsatAsync(server, second));

        // Re-priced.
        Prices($"{{\"default\": 3000, \"{second}\": 7000}}");
        await server.WaitForCatalogAsync(c => c.Find(second)?.PriceMsat == 7000, Bound);
        Assert.Equal(7000, await InvoicedMsatAsync(server, second));
        Assert.Contains(log, line => line.Contains($"~ {second} 3000 -> 7000 msat", StringComparison.Ordinal));

        // Removed: no longer sold.
        File.Delete(Path.Combine(folder, "first.json"));
        await server.WaitForCatalogAsync(c => c.Find(first) is null, Bound);
        using (var gone = await http.GetAsync(server.ManifestUrl(first)))
        {
            Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        }

        var health = await HealthAsync(server);
        Assert.Equal("ok", health.GetString("status"));
        Assert.Equal(1, Number(health, "manifests"));
        Assert.True(Number(health, "catalog_reloads") >= 3);
        Assert.Equal(3, Number(health, "invoices"));

        // A malformed prices.json mid-edit keeps the previous catalog on sale, and says so.
        Prices("{\"default\": ");
        await WaitForLogAsync(SellerErrorCodes.CatalogReloadFailed);
        Assert.Equal(7000, await InvoicedMsatAsync(server, second));

        // Emptied: a warning, and the health endpoint says so.
        File.Delete(Path.Combine(folder, "second.json"));
        Prices("{\"default\": 3000}");
        await server.WaitForCatalogAsync(c => c.Entries.Count == 0, Bound);
        Assert.Contains(log, line => line.Contains(SellerErrorCodes.ServingNothing, StringComparison.Ordinal));
        health = await HealthAsync(server);
        Assert.Equal("empty", health.GetString("status"));
        Assert.Equal(0, Number(health, "manifests"));
        Assert.DoesNotContain(folder, health.ToString() ?? string.Empty, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_empty_folder_is_served_with_a_warning()
    {
        await using var server = await StartAsync();
        Assert.Empty(server.Catalog.Entries);
        Assert.Contains(log, line => line.Contains(SellerErrorCodes.ServingNothing, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Request_data_in_the_log_is_escaped()
    {
        await using var server = await StartAsync();
        using var client = new System.Net.Sockets.TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, server.Url.Port);
        var stream = client.GetStream();

        // %0d%0a decode to CR LF in the path, %1b to ESC, %e2%80%ae to a bidi override: none may reach the log raw.
        var request = "GET /manifests/x%0d%0aFORGED%20200%1b[31m%e2%80%ae HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"u8.ToArray();
        await stream.WriteAsync(request);
        var buffer = new byte[4096];
        while (await stream.ReadAsync(buffer) > 0)
        {
        }

        var line = Assert.Single(log, l => l.Contains("FORGED", StringComparison.Ordinal));
        Assert.DoesNotContain(line, c => char.IsControl(c) || c == '\u202e');
        Assert.Contains("x\\u000d\\u000aFORGED 200\\u001b[31m\\u202e", line, StringComparison.Ordinal);
        Assert.Contains("-> 400", line, StringComparison.Ordinal);
    }

    private async Task WaitForLogAsync(string text)
    {
        // The reload failure changes no catalog, so the log is the signal: checked at each new line, bounded.
        using var deadline = new CancellationTokenSource(Bound);
        while (!log.Any(line => line.Contains(text, StringComparison.Ordinal)))
        {
            await logged.WaitAsync(deadline.Token);
        }
    }
}
