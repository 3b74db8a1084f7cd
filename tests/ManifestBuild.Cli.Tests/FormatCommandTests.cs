using ManifestBuild.Format.Json;
using ManifestBuild.TestSupport;

namespace ManifestBuild.Cli.Tests;

/// <summary>dsrs id | verify | import | export | cache, run in-process.</summary>
public sealed class FormatCommandTests
{
    private const string SeedId = "8302044eb9ef113e2c6d9a0b19a6dd82509edd289a7d1e0a0f4db8e80d248aa4";

    private static string Data(string file) => Path.Combine(RepoPaths.Root, "tests", "ManifestBuild.Cli.Tests", "TestData", "format", file);

    private static async Task<(int Exit, string Out, string Error)> RunAsync(string home, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var context = new CliContext { Out = output, Error = error, Env = name => name == "DSRS_HOME" ? home : null };
        var exit = await Program.RunAsync(args, context);
        return (exit, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task IdPrintsTheRecomputedId()
    {
        using var home = new TempDirectory();

        var (exit, output, _) = await RunAsync(home.Path, "id", Data("seed-manifest.json"));

        Assert.Equal(0, exit);
        Assert.Equal(SeedId + "\n", output.Replace("\r\n", "\n"));
    }

    [Fact]
    public async Task VerifySucceedsOnTheSeed()
    {
        using var home = new TempDirectory();

        var (exit, output, _) = await RunAsync(home.Path, "verify", Data("seed-manifest.json"));

        Assert.Equal(0, exit);
        Assert.Contains("ok " + SeedId + " ComplexityClassificationSignature", output);
    }

    [Fact]
    public async Task VerifyFailsWithTheCodeAndBothIds()
    {
        using var home = new TempDirectory();
        var tampered = home.Write("tampered.json", File.ReadAllText(Data("seed-manifest.json")).Replace("847", "848"));

        var (exit, output, error) = await RunAsync(home.Path, "verify", tampered);
        var (_, recomputed, _) = await RunAsync(home.Path, "id", tampered);

        Assert.NotEqual(0, exit);
        Assert.Equal("", output);
        Assert.StartsWith("DSRS0104: ", error);
        Assert.Contains("stated " + SeedId, error);
        Assert.Contains("recomputed " + recomputed.Trim(), error);
        Assert.NotEqual(SeedId, recomputed.Trim());
    }

    [Fact]
    public async Task InvalidManifestNamesMemberAndRuleWithoutAStackTrace()
    {
        using var home = new TempDirectory();
        var bad = home.Write("bad.json", "{\"signature_name\":\"S\",\"outputs\":[{\"name\":\"a\",\"type\":\"string\"},{\"name\":\"b\",\"type\":\"enum\",\"values\":[]}]}");

        var (exit, _, error) = await RunAsync(home.Path, "verify", bad);

        Assert.Equal(1, exit);
        Assert.Equal("DSRS0101: " + bad + ": outputs[1].values must be non-empty for enum fields", error.Trim());
        Assert.DoesNotContain("   at ", error);
    }

    [Fact]
    public async Task DspyProgramImportsVerifiesExportsAndReimportsToTheSameId()
    {
        using var home = new TempDirectory();
        var manifestPath = home.Combine("complexity.json");
        var programPath = home.Combine("program.json");
        var againPath = home.Combine("again.json");

        var import = await RunAsync(home.Path, "import", "dspy", Data("complexity-cot.json"), "-o", manifestPath, "--family", "complexity", "--domains", "rust,systems", "--optimizer", "mipro");
        var verify = await RunAsync(home.Path, "verify", manifestPath);
        var export = await RunAsync(home.Path, "export", "dspy", manifestPath, "-o", programPath);
        var again = await RunAsync(home.Path, "import", "dspy", programPath, "-o", againPath, "--family", "complexity", "--domains", "rust,systems", "--optimizer", "mipro");

        Assert.True(import.Exit == 0, import.Error);
        Assert.Contains("wrote " + manifestPath, import.Out);
        Assert.Equal(0, verify.Exit);
        Assert.True(export.Exit == 0, export.Error);
        Assert.True(again.Exit == 0, again.Error);
        Assert.Equal(File.ReadAllText(manifestPath), File.ReadAllText(againPath));
        var program = JsonParser.ParseObject(File.ReadAllText(programPath));
        Assert.Equal(["classify.predict", "metadata"], program.Names);
        Assert.DoesNotContain("llm-gateway", File.ReadAllText(manifestPath) + File.ReadAllText(programPath));
    }

    [Fact]
    public async Task ImportWithoutOutputWritesTheManifestToStandardOutput()
    {
        using var home = new TempDirectory();

        var (exit, output, _) = await RunAsync(home.Path, "import", "dspy", Data("complexity-cot.json"));

        Assert.Equal(0, exit);
        Assert.Equal("ClassifySignature", JsonParser.ParseObject(output).GetString("signature_name"));
    }

    [Fact]
    public async Task SeveralPredictorsAskWhichOneOrImportAll()
    {
        using var home = new TempDirectory();
        var folder = home.Combine("out");

        var ambiguous = await RunAsync(home.Path, "import", "dspy", Data("rag-two-predictors.json"), "-o", home.Combine("x.json"));
        var chosen = await RunAsync(home.Path, "import", "dspy", Data("rag-two-predictors.json"), "--predictor", "generate_query", "-o", home.Combine("query.json"));
        var all = await RunAsync(home.Path, "import", "dspy", Data("rag-two-predictors.json"), "--all", "-o", folder);

        Assert.Equal(1, ambiguous.Exit);
        Assert.StartsWith("DSRS0111: ", ambiguous.Error);
        Assert.False(File.Exists(home.Combine("x.json")));
        Assert.Equal(0, chosen.Exit);
        Assert.Equal(0, all.Exit);
        Assert.Equal(["GenerateAnswerSignature.json", "GenerateQuerySignature.json"], Directory.GetFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(File.ReadAllText(home.Combine("query.json")), File.ReadAllText(Path.Combine(folder, "GenerateQuerySignature.json")));
    }

    [Fact]
    public async Task DsrsCrateManifestImportsAndVerifies()
    {
        using var home = new TempDirectory();
        var path = home.Combine("planning.json");

        var import = await RunAsync(home.Path, "import", "dsrs", Data("planning-compiled.json"), "-o", path, "--family", "planning");
        var verify = await RunAsync(home.Path, "verify", path);

        Assert.True(import.Exit == 0, import.Error);
        Assert.Equal(0, verify.Exit);
        Assert.Contains("\"source_compiled_id\": \"3b1f6c2d9e8a7f6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b\"", File.ReadAllText(path));
    }

    [Fact]
    public async Task CacheAddListAndVerifyQuarantinesCorruptEntries()
    {
        using var home = new TempDirectory();

        var add = await RunAsync(home.Path, "cache", "add", Data("seed-manifest.json"));
        var list = await RunAsync(home.Path, "cache", "list");
        var clean = await RunAsync(home.Path, "cache", "verify");
        File.AppendAllText(add.Out.Trim(), "garbage");
        var dirty = await RunAsync(home.Path, "cache", "verify");

        Assert.Equal(0, add.Exit);
        Assert.Equal(Path.Combine(home.Path, "cache", SeedId + ".json"), add.Out.Trim());
        Assert.Equal(SeedId + " ComplexityClassificationSignature", list.Out.Trim());
        Assert.Equal(0, clean.Exit);
        Assert.Contains("1 of 1 entries verified", clean.Out);
        Assert.Equal(1, dirty.Exit);
        Assert.StartsWith("DSRS0210: ", dirty.Error);
        Assert.Contains("0 of 1 entries verified", dirty.Out);
        Assert.Single(Directory.GetFiles(Path.Combine(home.Path, "cache", "quarantine")));
    }

    [Fact]
    public async Task MissingFileIsACleanError()
    {
        using var home = new TempDirectory();

        var (exit, _, error) = await RunAsync(home.Path, "id", home.Combine("nope.json"));

        Assert.Equal(1, exit);
        Assert.StartsWith("DSRS0105: cannot read ", error);
    }
    // The seed example as issue 19 quotes it: a placeholder where the id goes.
    private static string PlaceholderSeed() =>
        File.ReadAllText(Data("seed-manifest.json")).Replace("\"compiled_id\": \"" + SeedId + "\"", "\"compiled_id\": \"a3f2b8c9d4e5...\"");

    [Fact]
    public async Task IdPrintsTheRecomputedIdWhateverIdTheFileStates()
    {
        using var home = new TempDirectory();
        var placeholder = home.Write("placeholder.json", PlaceholderSeed());
        var withoutId = home.Write("none.json", File.ReadAllText(Data("seed-manifest.json")).Replace(",\n  \"compiled_id\": \"" + SeedId + "\"", ""));

        var first = await RunAsync(home.Path, "id", placeholder);
        var second = await RunAsync(home.Path, "id", withoutId);

        Assert.Equal((0, SeedId + "\n"), (first.Exit, first.Out.Replace("\r\n", "\n")));
        Assert.Contains("a3f2b8c9d4e5...", first.Error);
        Assert.Contains("dsrs id --write", first.Error);
        Assert.Equal((0, SeedId + "\n"), (second.Exit, second.Out.Replace("\r\n", "\n")));
        Assert.Contains(PlaceholderSeed(), File.ReadAllText(placeholder));
    }

    [Fact]
    public async Task IdStillRefusesContentThatIsNotAManifest()
    {
        using var home = new TempDirectory();
        var bad = home.Write("bad.json", "{\"signature_name\":\"\",\"compiled_id\":\"x\"}");

        var (exit, _, error) = await RunAsync(home.Path, "id", bad);

        Assert.Equal(1, exit);
        Assert.StartsWith("DSRS0101: ", error);
        Assert.Contains("signature_name must be a non-empty string", error);
        Assert.DoesNotContain("compiled_id", error);
    }

    [Fact]
    public async Task IdWriteStoresTheNewIdAtomicallyAndVerifyThenPasses()
    {
        using var home = new TempDirectory();
        var edited = home.Write("edited.json", File.ReadAllText(Data("seed-manifest.json")).Replace("847", "848"));

        var before = await RunAsync(home.Path, "verify", edited);
        var write = await RunAsync(home.Path, "id", "--write", edited);
        var after = await RunAsync(home.Path, "verify", edited);
        var again = await RunAsync(home.Path, "id", "--write", edited);

        Assert.Equal(1, before.Exit);
        Assert.StartsWith("DSRS0104: ", before.Error);
        Assert.Contains("dsrs id --write <file>", before.Error);
        Assert.Equal(0, write.Exit);
        var id = write.Out.Trim();
        Assert.Contains("compiled_id " + SeedId + " -> " + id, write.Error);
        Assert.Equal(0, after.Exit);
        Assert.Contains("ok " + id, after.Out);
        Assert.Equal((0, ""), (again.Exit, again.Error));
        var json = JsonParser.ParseObject(File.ReadAllText(edited));
        Assert.Equal(848L, ((JsonNumber)json["example_count"]!).Value);
        Assert.Equal(id, json.GetString("compiled_id"));
        Assert.Equal(["edited.json"], Directory.GetFiles(home.Path).Select(Path.GetFileName));
    }

    [Fact]
    public async Task RedactRefusesAStaleIdAndSealsAFreshOne()
    {
        using var home = new TempDirectory();
        var stale = home.Write("stale.json", File.ReadAllText(Data("seed-manifest.json")).Replace("847", "848"));
        var fresh = home.Write("fresh.json", File.ReadAllText(Data("seed-manifest.json")));

        var refused = await RunAsync(home.Path, "redact", stale, "-o", home.Combine("out1.json"));
        var placeholder = await RunAsync(home.Path, "redact", home.Write("placeholder.json", PlaceholderSeed()), "-o", home.Combine("out2.json"));
        var accepted = await RunAsync(home.Path, "redact", fresh, "-o", home.Combine("out3.json"));

        Assert.Equal(1, refused.Exit);
        Assert.StartsWith("DSRS0104: ", refused.Error);
        Assert.Contains("stated " + SeedId, refused.Error);
        Assert.False(File.Exists(home.Combine("out1.json")));
        Assert.Equal(1, placeholder.Exit);
        Assert.StartsWith("DSRS0104: ", placeholder.Error);
        Assert.True(accepted.Exit == 0, accepted.Error);
        var verify = await RunAsync(home.Path, "verify", home.Combine("out3.json"));
        Assert.Equal(0, verify.Exit);
    }

    [Fact]
    public async Task ExportWithoutPredictorWritesWhatABarePredictSaveWritesAndImportReadsItBack()
    {
        using var home = new TempDirectory();
        var programPath = home.Combine("program.json");
        var manifestPath = home.Combine("manifest.json");
        var typed = home.Write("typed.json", File.ReadAllText(Path.Combine(RepoPaths.Root, "tests", "ManifestBuild.Format.Tests", "TestData", "complexity-typed.json")));

        var export = await RunAsync(home.Path, "export", "dspy", typed, "-o", programPath);
        var import = await RunAsync(home.Path, "import", "dspy", programPath, "-o", manifestPath, "--outputs", "complexity,needs_plan,confidence");

        Assert.True(export.Exit == 0, export.Error);
        Assert.Equal(["traces", "train", "demos", "signature", "lm", "metadata"], JsonParser.ParseObject(File.ReadAllText(programPath)).Names);
        Assert.True(import.Exit == 0, import.Error);
        var manifest = JsonParser.ParseObject(File.ReadAllText(manifestPath));
        Assert.Equal("self", ((JsonObject)manifest["source"]!).GetString("predictor"));
        Assert.Equal(3, ((JsonArray)manifest["inputs"]!).Count);
    }
}
