using ManifestBuild.Cli;
using ManifestBuild.Format;
using ManifestBuild.Format.Json;
using ManifestBuild.Market;
using ManifestBuild.TestSupport;

namespace ManifestBuild.Cli.Tests;

/// <summary>dsrs redact's privacy options and report, and publish refusing what the scanner still finds.</summary>
public sealed class RedactCommandTests
{
    private static JsonObject Manifest(string demoCode)
    {
        var m = new JsonObject()
            .Add("format", "dsrs.manifest/1")
            .Add("signature_name", "ComplexityClassificationSignature")
            .Add("family", "complexity")
            .Add("instruction", "Classify the task.")
            .Add("inputs", new JsonArray().Add(new JsonObject().Add("name", "code").Add("type", "string")))
            .Add("outputs", new JsonArray().Add(new JsonObject().Add("name", "complexity").Add("type", "enum").Add("values", JsonArray.OfStrings(["simple", "complex"]))))
            .Add("demos", new JsonArray()
                .Add(new JsonObject().Add("inputs", new JsonObject().Add("code", "tidy the Zorblax importer")).Add("outputs", new JsonObject().Add("complexity", "simple")))
                .Add(new JsonObject().Add("inputs", new JsonObject().Add("code", demoCode)).Add("outputs", new JsonObject().Add("complexity", "complex"))))
            .Add("scorecard", new JsonObject().Add("median_score", 0.9).Add("rollouts", 8).Add("accuracy", 0.9))
            .Add("domain_tags", JsonArray.OfStrings(["rust"]))
            .Add("example_count", 200L);
        m.Add("compiled_id", CompiledId.Compute(m));
        return m;
    }


    [Fact]
    public async Task Publish_names_the_json_path_of_a_private_url_and_redact_removes_it_with_learned_names()
    {
        using var root = new TempDirectory("cli-redact");
        var home = root.Combine("home");
        var raw = root.Write("raw.json", JsonWriter.WriteFile(Manifest("see https://git.plumbus.io/fleeb/dinglebop-service/pulls/3 for dinglebop-service")));

        var refused = await CliRun.RunAsync(home, "publish", raw, "--relay", "ws://127.0.0.1:9/");
        Assert.NotEqual(0, refused.Code);
        Assert.Contains(MarketErrorCodes.SecretsFound, refused.Err, StringComparison.Ordinal);
        Assert.Contains("url at $.demos[1].inputs.code", refused.Err, StringComparison.Ordinal);
        Assert.Contains("name at $.demos[1].inputs.code", refused.Err, StringComparison.Ordinal);

        var redactedPath = root.Combine("redacted.json");
        var redact = await CliRun.RunAsync(home, "redact", raw, "-o", redactedPath, "--deny", "Zorblax", "--report");
        Assert.True(redact.Code == 0, redact.Err);
        Assert.Matches(@"name\s+\d+ occurrence\(s\)", redact.Out);
        Assert.DoesNotContain("dinglebop", redact.Out, StringComparison.Ordinal); // no values without --show
        var text = File.ReadAllText(redactedPath);
        foreach (var planted in new[] { "plumbus", "fleeb", "dinglebop", "Zorblax" })
        {
            Assert.DoesNotContain(planted, text, StringComparison.OrdinalIgnoreCase);
        }

        Assert.Contains("importer", text, StringComparison.Ordinal);
        Assert.Empty(redact.Err);

        // What redact wrote, publish accepts as far as the scanner goes (it fails later, on the dead relay).
        var second = await CliRun.RunAsync(home, "publish", redactedPath, "--relay", "ws://127.0.0.1:9/", "--deny", "Zorblax");
        Assert.DoesNotContain(MarketErrorCodes.SecretsFound, second.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Show_prints_the_values_and_the_policy_file_applies()
    {
        using var root = new TempDirectory("cli-redact-show");
        var home = root.Combine("home");
        Directory.CreateDirectory(home);
        File.WriteAllText(Path.Combine(home, "redaction.json"), """{"deny":["Zorblax"]}""");
        var raw = root.Write("raw.json", JsonWriter.WriteFile(Manifest("nothing else")));
        var redact = await CliRun.RunAsync(home, "redact", raw, "-o", root.Combine("out.json"), "--report", "--show");
        Assert.True(redact.Code == 0, redact.Err);
        Assert.Contains("<NAME_1> <- \"zorblax\"", redact.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("Zorblax", File.ReadAllText(root.Combine("out.json")), StringComparison.Ordinal);
    }
}
