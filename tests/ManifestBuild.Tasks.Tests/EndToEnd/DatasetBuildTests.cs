using ManifestBuild.Format.Datasets;
using ManifestBuild.Format.Json;
using ManifestBuild.Format.Locking;
using ManifestBuild.Market.Buying;
using ManifestBuild.Market.Redaction;
using ManifestBuild.Tasks.Tests.Support;
using ManifestBuild.TestSupport;

namespace ManifestBuild.Tasks.Tests.EndToEnd;

/// <summary>
/// A training dataset from the seller's import to the buyer's binary: imported in the seed's shape,
/// redacted, noised, sold over L402, bought by a real `dotnet build` of the packed package (one
/// payment), handed over as a file in obj/ and an embedded resource, and restored by a locked CI build
/// on a clean machine with the receipt (no payment); over its maximum price and without a receipt,
/// builds fail with their codes and pay nothing.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class DatasetBuildTests(PackedPackages packages) : IDisposable
{
    private const long Price = 4_000;
    private const string PrivateRepository = "ledger-core";
    private readonly TempDirectory work = new("dsrs-e2e-dataset");

    public void Dispose() => work.Dispose();

    /// <summary>The seller's side: import, redact (the private host and the name learned from it), noise; publishable.</summary>
    private static Dataset SellersDataset()
    {
        var rows = "[" + string.Join(",", Enumerable.Range(0, 8).Select(i =>
            $$"""{"task_description":"{{(i == 0 ? "Fix https://git.acme.internal/pay/" + PrivateRepository + " retry" : i == 1 ? "Port " + PrivateRepository + " to async" : "Add retry logic to the HTTP client " + i)}}","file_count":{{i + 1}},"estimated_tokens":{{8000 + (i * 100)}},"keywords":["add","retry","http"],"expected_complexity":"{{(i % 2 == 0 ? "Medium" : "Low")}}","confidence":0.89}""")) + "]";
        var imported = DatasetImporter.Import(rows, new DatasetImportOptions
        {
            Family = "complexity",
            DomainTags = ["rust"],
            OutputNames = ["expected_complexity", "confidence"],
            Public = true,
            Repositories = ["https://github.com/example/http-client"],
            Description = "Complexity labels of Rust changes",
        });
        var redacted = Dataset.FromJson((JsonObject)ManifestRedactor.Redact(imported.Json, RedactionMode.Paths).Document);
        var noised = DatasetPrivacy.AddLaplaceNoise(redacted, [NoiseSpec.Parse("estimated_tokens:1:100:0")]);
        Assert.Empty(SecretScanner.Scan(noised.Json));
        Assert.DoesNotContain(PrivateRepository, noised.ToFileText(), StringComparison.Ordinal);
        Assert.Contains("\"Medium\"", noised.ToFileText(), StringComparison.Ordinal);
        return noised;
    }

    private const string Program = """
        using var stream = typeof(Marker).Assembly.GetManifestResourceStream("Dsrs.Datasets.ComplexityExamples.json")!;
        var text = new StreamReader(stream).ReadToEnd();
        var at = text.IndexOf("\"dataset_id\"", StringComparison.Ordinal);
        Console.WriteLine("embedded " + text.Substring(at, 80));
        // The generator's typed records of the same resource (the schema types: strings, ints, a list, an enum, a float).
        var examples = Consumer.Manifests.Datasets.ComplexityExamples.Examples;
        Console.WriteLine($"typed {examples.Count} {examples[0].ExpectedComplexity} {examples[1].ExpectedComplexity} {examples[0].FileCount} {string.Join("+", examples[0].Keywords)}");
        sealed class Marker;
        """;

    [Fact]
    public async Task A_dataset_is_bought_once_by_dotnet_build_embedded_and_restored_in_a_locked_build_without_paying()
    {
        var dataset = SellersDataset();
        var id = dataset.StatedId!;
        var world = await MarketWorld.StartAsync(work.Combine("world"));
        await using var _ = world;
        await world.SellDatasetAsync(dataset, Price);
        var home = work.Combine("home");
        var env = new Dictionary<string, string?> { ["DSRS_HOME"] = home, ["DSRS_NODE"] = world.BuyerNode };
        var properties = $"<DsrsRelays>{world.RelayUrl}</DsrsRelays><DsrsBudgetMsat>20000</DsrsBudgetMsat>";

        // Over the item's maximum: refused before any invoice, nothing paid.
        var dear = new ConsumerProject(packages, work.Combine("dear"))
            .WithFile("Program.cs", "Console.WriteLine(1);\n")
            .WithProject("""<DsrsDataset Include="ComplexityExamples" Family="complexity" Domains="rust" MaxPriceMsat="1000" />""", properties);
        var refused = await dear.BuildAsync(env);
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Matches(@"error DSRS0552: DsrsDataset 'ComplexityExamples'", refused.Output);
        Assert.Equal(0, world.Payments);

        // First build: one payment, the verified file in obj/ and embedded, pinned in the lockfile.
        var app = new ConsumerProject(packages, work.Combine("app"))
            .WithFile("Program.cs", Program)
            .WithProject("""<DsrsDataset Include="ComplexityExamples" Family="complexity" Domains="rust" MaxPriceMsat="10000" />""", properties);
        var first = (await app.BuildAsync(env)).EnsureSuccess("first build");
        Assert.Contains($"dsrs: dataset ComplexityExamples <- seller {world.Seller.PublicKeyHex[..12]} {id[..12]} paid {Price} msat", first.Output);
        Assert.Contains("warning DSRS0055", first.Output);
        Assert.Equal(1, world.Payments);
        var handed = Path.Combine(app.Obj, "Debug", "net10.0", "dsrs", "datasets", "ComplexityExamples.json");
        Assert.Equal(id, Dataset.Load(File.Exists(handed) ? handed : Directory.GetFiles(app.Obj, "ComplexityExamples.json", SearchOption.AllDirectories).Single()).VerifyId());
        var locked = LockFile.Read(app.LockFile);
        Assert.Empty(locked.Manifests);
        var entry = locked.Datasets["ComplexityExamples"];
        Assert.Equal(id, entry.CompiledId);
        Assert.Equal(Price, entry.PriceMsat);
        Assert.Matches("^[0-9a-f]{64}$", entry.PaymentHash);
        var lockText = File.ReadAllText(app.LockFile);
        Assert.Contains("\"dataset_id\": \"" + id + "\"", lockText, StringComparison.Ordinal);
        var run = (await app.RunAsync(env)).EnsureSuccess("run").Output;
        Assert.Contains($"embedded \"dataset_id\": \"{id}\"", run.Replace("\":\"", "\": \"", StringComparison.Ordinal));
        Assert.Contains("typed 8 Medium Low 1 add+retry+http", run, StringComparison.Ordinal);

        // Rebuilt from scratch on the same machine: the cache answers, nothing paid, the lockfile's bytes unchanged.
        app.DeleteObj();
        var cached = (await app.BuildAsync(env)).EnsureSuccess("cached build");
        Assert.Contains($"dsrs: dataset ComplexityExamples <- seller {world.Seller.PublicKeyHex[..12]} {id[..12]} cached", cached.Output);
        Assert.Equal(lockText, File.ReadAllText(app.LockFile));

        // CI on a clean machine without the receipt: locked mode refuses rather than pays.
        app.DeleteObj();
        var noReceipt = await app.BuildAsync(new Dictionary<string, string?> { ["DSRS_HOME"] = work.Combine("ci-bare"), ["DSRS_NODE"] = world.BuyerNode }, "-p:ContinuousIntegrationBuild=true");
        Assert.NotEqual(0, noReceipt.ExitCode);
        Assert.Contains("error DSRS0092", noReceipt.Output);
        Assert.Equal(1, world.Payments);

        // CI with the receipt: restored from the seller, verified, nothing paid, the lockfile untouched.
        var receipt = Assert.Single(new ReceiptStore(home).List());
        var ci = (await app.BuildAsync(new Dictionary<string, string?> { ["DSRS_HOME"] = work.Combine("ci"), ["DSRS_RECEIPTS"] = ReceiptStore.ExportForEnvironment([receipt]) }, "-p:ContinuousIntegrationBuild=true")).EnsureSuccess("locked CI build");
        Assert.Contains("restored (receipt)", ci.Output);
        Assert.DoesNotContain(receipt.PreimageHex, ci.Output, StringComparison.Ordinal);
        Assert.Equal(1, world.Payments);
        Assert.Equal(lockText, File.ReadAllText(app.LockFile));
        Assert.Contains($"embedded \"dataset_id\": \"{id}\"", (await app.RunAsync(env)).EnsureSuccess("run after CI").Output.Replace("\":\"", "\": \"", StringComparison.Ordinal));
    }
}
