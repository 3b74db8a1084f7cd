using ManifestBuild.Cli;
using ManifestBuild.Format;
using ManifestBuild.Format.Datasets;
using ManifestBuild.Format.Json;
using ManifestBuild.TestSupport;

namespace ManifestBuild.Cli.Tests;

/// <summary>dsrs dataset: import the seed's shape, redact, noise, filter, verify and export, as a seller would.</summary>
public sealed class DatasetCommandTests
{

    [Fact]
    public async Task A_seller_prepares_a_dataset_from_raw_examples()
    {
        using var root = new TempDirectory("cli-dataset");
        var home = root.Combine("home");
        var raw = root.Write("raw.json", """
            {"complexity_examples": [
              {"task_description": "Add retry logic to the HTTP client in https://git.acme-internal.com/pay/ledger-core", "file_count": 3, "estimated_tokens": 8000, "keywords": ["add","retry","http"], "expected_complexity": "Medium", "confidence": 0.89},
              {"task_description": "ledger-core: rename a variable", "file_count": 1, "estimated_tokens": 300, "keywords": ["rename"], "expected_complexity": "Low", "confidence": 1}
            ]}
            """);

        var import = await CliRun.RunAsync(home, "dataset", "import", raw, "-o", root.Combine("ds.json"), "--domain", "rust", "--public-repo", "https://github.com/acme/oss-tools");
        Assert.True(import.Code == 0, import.Err);
        Assert.Contains("complexity: 2 example(s)", import.Out, StringComparison.Ordinal);
        Assert.Contains("expected_complexity:enum", import.Out, StringComparison.Ordinal);

        var redact = await CliRun.RunAsync(home, "redact", root.Combine("ds.json"), "-o", root.Combine("redacted.json"));
        Assert.True(redact.Code == 0, redact.Err);
        Assert.Contains("dataset_id ", redact.Out, StringComparison.Ordinal);

        var noise = await CliRun.RunAsync(home, "dataset", "noise", root.Combine("redacted.json"), "--field", "estimated_tokens:1.0:1000:0", "-o", root.Combine("noised.json"));
        Assert.True(noise.Code == 0, noise.Err);
        Assert.Contains("scale 1000", noise.Out, StringComparison.Ordinal);

        var filter = await CliRun.RunAsync(home, "dataset", "filter", root.Combine("noised.json"), "--only-public", "-o", root.Combine("public.json"));
        Assert.True(filter.Code == 0, filter.Err);
        Assert.Contains("kept 2 public example(s), removed 0", filter.Out, StringComparison.Ordinal);

        var verify = await CliRun.RunAsync(home, "dataset", "verify", root.Combine("public.json"));
        Assert.True(verify.Code == 0, verify.Err);
        var final = Dataset.Load(root.Combine("public.json"));
        Assert.DoesNotContain("ledger-core", final.ToFileText(), StringComparison.Ordinal);
        Assert.Equal(["Medium", "Low"], final.Examples.Select(e => ((JsonObject)e["outputs"]!).GetString("expected_complexity")));

        var export = await CliRun.RunAsync(home, "dataset", "export", root.Combine("public.json"), "--to", "jsonl", "-o", root.Combine("eval.jsonl"));
        Assert.True(export.Code == 0, export.Err);
        Assert.Equal(2, File.ReadAllLines(root.Combine("eval.jsonl")).Length);

        // Editing the file by hand makes verify fail with the code and the way out; id --write repairs it.
        File.WriteAllText(root.Combine("public.json"), File.ReadAllText(root.Combine("public.json")).Replace("\"rename\"", "\"renamed\"", StringComparison.Ordinal));
        var stale = await CliRun.RunAsync(home, "dataset", "verify", root.Combine("public.json"));
        Assert.Equal(1, stale.Code);
        Assert.Contains(FormatErrorCodes.DatasetIdMismatch, stale.Err, StringComparison.Ordinal);
        Assert.Contains("dsrs dataset id --write", stale.Err, StringComparison.Ordinal);
        Assert.Equal(0, (await CliRun.RunAsync(home, "dataset", "id", root.Combine("public.json"), "--write")).Code);
        Assert.Equal(0, (await CliRun.RunAsync(home, "dataset", "verify", root.Combine("public.json"))).Code);
    }
}
