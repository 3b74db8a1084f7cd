using System.Net;
using System.Security.Cryptography;
using System.Text;
using ManifestBuild.Format.Json;
using ManifestBuild.Lightning.Dev;
using ManifestBuild.Market.L402;
using ManifestBuild.Seller.Sales;
using ManifestBuild.TestSupport;

namespace ManifestBuild.Seller.Tests.Sales;

/// <summary>The sales journal: durable, append-only, crash-tolerant, never double-counting, holding no buyer secret.</summary>
public sealed class SalesJournalTests : IDisposable
{
    private readonly TempDirectory root = new("seller-sales");

    public void Dispose() => root.Dispose();

    private static string Hash() => Convert.ToHexString(RandomNumberGenerator.GetBytes(32)).ToLowerInvariant();

    private static string Id(string instruction) => SellerEndpointTests.Manifest(instruction).GetString("compiled_id")!;

    [Fact]
    public async Task A_paid_download_is_one_sale_a_second_is_a_redownload_and_an_unpaid_invoice_no_sale()
    {
        var manifests = root.Combine("manifests");
        Directory.CreateDirectory(manifests);
        var sold = SellerEndpointTests.Manifest("sold");
        var unpaid = SellerEndpointTests.Manifest("unpaid");
        File.WriteAllText(Path.Combine(manifests, "a.json"), JsonWriter.WriteFile(sold));
        File.WriteAllText(Path.Combine(manifests, "b.json"), JsonWriter.WriteFile(unpaid));
        File.WriteAllText(Path.Combine(manifests, "prices.json"), "{\"default\": 3000}");
        var buyer = DevNode.Open("buyer", root.Combine("devnet"));
        var home = root.Combine("home");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        string preimage, token;
        await using (var server = await SellerServer.StartAsync(new SellerServerOptions { ManifestsDirectory = manifests, Node = DevNode.Open("seller", root.Combine("devnet")), Home = home }))
        {
            var id = sold.GetString("compiled_id")!;
            using var challenge = await http.GetAsync(server.ManifestUrl(id));
            var l402 = L402Challenge.Parse(challenge.Headers.GetValues("WWW-Authenticate"));
            preimage = (await buyer.PayAsync(l402.Invoice, 0, CancellationToken.None)).PreimageHex!;
            token = l402.Token;
            for (var i = 0; i < 2; i++)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, server.ManifestUrl(id));
                request.Headers.TryAddWithoutValidation("Authorization", $"L402 {token}:{preimage}");
                using var response = await http.SendAsync(request);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }

            using var notPaid = await http.GetAsync(server.ManifestUrl(unpaid.GetString("compiled_id")!));
            Assert.Equal(HttpStatusCode.PaymentRequired, notPaid.StatusCode);
        }

        var path = SalesJournal.PathFor(home);
        var (records, unreadable) = SalesJournal.Read(path);
        Assert.Equal(0, unreadable);
        var summary = SalesReport.Build(records, SalesGrouping.Manifest);
        var row = summary.Rows.Single(r => r.Key == sold.GetString("compiled_id"));
        Assert.Equal((1, 1, 1, 3000L, 1), (row.Sales, row.Redownloads, row.Buyers, row.RevenueMsat, row.Invoices));
        var open = summary.Rows.Single(r => r.Key == unpaid.GetString("compiled_id"));
        Assert.Equal((0, 0, 0L, 1), (open.Sales, open.Buyers, open.RevenueMsat, open.Invoices));
        Assert.Equal((1, 3000L, 2), (summary.Total.Buyers, summary.Total.RevenueMsat, summary.Total.Invoices));

        var text = File.ReadAllText(path);
        Assert.DoesNotContain(preimage, text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(token, text, StringComparison.Ordinal);
        Assert.DoesNotContain("127.0.0.1", text, StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(Format.PrivateDirectory.Mode, File.GetUnixFileMode(Path.GetDirectoryName(path)!));
        }
    }

    [Fact]
    public void A_restart_never_counts_a_settlement_twice()
    {
        var home = root.Combine("home");
        var (hash, item) = (Hash(), Id("x"));
        var first = SalesJournal.Open(home);
        first.RecordInvoice(hash, item, "Sig", 7000);
        Assert.True(first.RecordDelivery(hash, item, "Sig", 9999));

        var restarted = SalesJournal.Open(home);
        Assert.False(restarted.RecordDelivery(hash, item, "Sig", 9999));

        var records = SalesJournal.Read(SalesJournal.PathFor(home)).Records;
        Assert.Single(records, r => r.Event == SaleEvent.Settled);
        Assert.Equal(7000, records.Single(r => r.Event == SaleEvent.Settled).PriceMsat);
        Assert.Equal(new[] { true, false }, records.Where(r => r.Event == SaleEvent.Delivery).Select(r => r.First));
    }

    [Fact]
    public void A_line_torn_by_a_crash_is_skipped_and_the_next_record_stays_whole()
    {
        var home = root.Combine("home");
        var (hash, item) = (Hash(), Id("y"));
        SalesJournal.Open(home).RecordInvoice(hash, item, "Sig", 5000);
        var path = SalesJournal.PathFor(home);
        var whole = File.ReadAllText(path);
        File.AppendAllText(path, whole[..(whole.Length / 2)]); // what a kill mid-write leaves: half a line, no newline

        SalesJournal.Open(home).RecordDelivery(hash, item, "Sig", 5000);

        var (records, unreadable) = SalesJournal.Read(path);
        Assert.Equal(1, unreadable);
        Assert.Equal(new[] { SaleEvent.Invoice, SaleEvent.Settled, SaleEvent.Delivery }, records.Select(r => r.Event));
        Assert.Equal(5000, SalesReport.Build(records, SalesGrouping.Manifest).Total.RevenueMsat);
        Assert.EndsWith("\n", File.ReadAllText(path), StringComparison.Ordinal);
    }

    [Fact]
    public void Reports_group_by_day_bundle_and_line_and_respect_since()
    {
        var (a, b) = (Id("a"), Id("b"));
        var day1 = new DateTimeOffset(2026, 11, 30, 10, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();
        var day2 = day1 + 86_400;
        var (h1, h2) = (Hash(), Hash());
        var records = new[]
        {
            new SaleRecord(day1, SaleEvent.Settled, h1, a, "A", 1000, Bundle: "bundle1"),
            new SaleRecord(day1, SaleEvent.Delivery, h1, a, "A", Bundle: "bundle1", First: true),
            new SaleRecord(day1, SaleEvent.Delivery, h1, b, "B", Bundle: "bundle1", First: true),
            new SaleRecord(day2, SaleEvent.Settled, h2, b, "B", 400, Line: "rust-systems"),
            new SaleRecord(day2, SaleEvent.Delivery, h2, b, "B", Line: "rust-systems", First: true),
            new SaleRecord(day2, SaleEvent.Delivery, h2, b, "B", Line: "rust-systems"),
        };

        var byDay = SalesReport.Build(records, SalesGrouping.Day);
        Assert.Equal(new[] { ("2026-11-30", 2, 1000L), ("2026-12-01", 1, 400L) }, byDay.Rows.Select(r => (r.Key, r.Sales, r.RevenueMsat)));
        var byBundle = SalesReport.Build(records, SalesGrouping.Bundle);
        Assert.Equal((2, 1, 1000L), byBundle.Rows.Where(r => r.Key == "bundle1").Select(r => (r.Sales, r.Buyers, r.RevenueMsat)).Single());
        var byLine = SalesReport.Build(records, SalesGrouping.Line);
        Assert.Equal((1, 1, 400L), byLine.Rows.Where(r => r.Key == "rust-systems").Select(r => (r.Sales, r.Redownloads, r.RevenueMsat)).Single());
        var recent = SalesReport.Build(records, SalesGrouping.Manifest, since: day2);
        Assert.Equal((1, 400L), (recent.Total.Buyers, recent.Total.RevenueMsat));

        foreach (var record in records)
        {
            Assert.Equal(record, SaleRecord.TryParse(record.ToJsonLine()));
        }

        Assert.Null(SaleRecord.TryParse(Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(records[0].ToJsonLine()))[..20]));
    }
}
