using ManifestBuild.Cli;
using ManifestBuild.Format;
using ManifestBuild.Format.Json;
using ManifestBuild.Market;
using ManifestBuild.Market.Listings;
using ManifestBuild.Nostr;
using ManifestBuild.Relay;
using ManifestBuild.TestSupport;

namespace ManifestBuild.Cli.Tests;

/// <summary>dsrs suggest on the worked example's repository (Python, NumPy, DICOM) against an embedded relay.</summary>
public sealed class SuggestCommandTests
{
    private static JsonObject Manifest(string signature, string family, string[] domains, double accuracy)
    {
        var m = new JsonObject()
            .Add("format", "dsrs.manifest/1").Add("signature_name", signature).Add("family", family).Add("instruction", "Decide.")
            .Add("inputs", new JsonArray().Add(new JsonObject().Add("name", "task").Add("type", "string")))
            .Add("outputs", new JsonArray().Add(new JsonObject().Add("name", "label").Add("type", "enum").Add("values", JsonArray.OfStrings(["Low", "High"]))))
            .Add("scorecard", new JsonObject().Add("median_score", accuracy).Add("rollouts", 8).Add("accuracy", accuracy))
            .Add("domain_tags", JsonArray.OfStrings(domains)).Add("example_count", 1247L);
        m.Add("compiled_id", CompiledId.Compute(m));
        return m;
    }


    [Fact]
    public async Task Suggests_items_for_the_detected_domains_and_writes_them_once()
    {
        using var root = new TempDirectory("cli-suggest");
        root.Write("repo/requirements.txt", "numpy\npydicom\n");
        root.Write("repo/pipeline/read.py", "");
        root.Write("repo/pipeline/series.py", "");
        root.Write("repo/pipeline/__init__.py", "");
        root.Write("repo/studies/IM0001.dcm", "");
        var project = root.Write("repo/Agent.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\">\n  <PropertyGroup>\n    <OutputType>Exe</OutputType>\n  </PropertyGroup>\n</Project>\n");

        await using var relay = await EmbeddedRelay.StartAsync(new EmbeddedRelayOptions());
        var seller = NostrKeyPair.Generate();
        var client = new MarketClient();
        foreach (var manifest in new[]
        {
            Manifest("ComplexityClassificationSignature", "complexity", ["scientific", "python"], 0.93),
            Manifest("ComplexityClassificationSignature", "complexity", ["rust"], 0.97),
            Manifest("GoPlannerSignature", "planning", ["go"], 0.9),
        })
        {
            var results = await client.PublishAsync(ListingBuilder.BuildSigned(manifest, new ListingOptions(), seller), [relay.Url], TimeSpan.FromSeconds(10));
            Assert.All(results, r => Assert.True(r.Success, r.Message));
        }

        var first = await CliRun.RunAsync(null, "suggest", root.Combine("repo"), "--relay", relay.Url.AbsoluteUri, "--write", project);
        Assert.True(first.Code == 0, first.Err);
        Assert.Contains("domains: medical-imaging, scientific, python", first.Out, StringComparison.Ordinal);
        Assert.Contains("<DsrsManifest Include=\"ComplexityClassification\" Family=\"complexity\" Domains=\"scientific;python\" MinAccuracy=\"0.88\" MaxPriceMsat=\"0\" />", first.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("planning", first.Out, StringComparison.Ordinal);
        Assert.Contains("added 1 item(s) to Agent.csproj", first.Out, StringComparison.Ordinal);
        var written = File.ReadAllText(project);
        Assert.Contains("  <ItemGroup>\n    <DsrsManifest Include=\"ComplexityClassification\"", written, StringComparison.Ordinal);

        var second = await CliRun.RunAsync(null, "suggest", root.Combine("repo"), "--relay", relay.Url.AbsoluteUri, "--write", project, "--json");
        Assert.True(second.Code == 0, second.Err);
        var json = (JsonObject)JsonParser.Parse(second.Out);
        Assert.Empty((JsonArray)json["added"]!);
        Assert.Equal("medical-imaging", ((JsonObject)((JsonArray)json["domains"]!)[0]).GetString("tag"));
        Assert.Equal(written, File.ReadAllText(project));

        var offline = await CliRun.RunAsync(null, "suggest", root.Combine("repo"), "--domains-only");
        Assert.True(offline.Code == 0, offline.Err);
        Assert.Contains("requirements.txt: pydicom", offline.Out, StringComparison.Ordinal);
    }
}
