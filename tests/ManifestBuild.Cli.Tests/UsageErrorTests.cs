using ManifestBuild.Cli;
using ManifestBuild.TestSupport;

namespace ManifestBuild.Cli.Tests;

/// <summary>Every verb family: a wrong command line is a coded usage error that exits 2, before anything runs.</summary>
public sealed class UsageErrorTests
{
    private static async Task<(int Code, string Out, string Err)> RunAsync(string home, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await Program.RunAsync(args, new CliContext { Out = output, Error = error, Interactive = false, In = new StringReader(string.Empty), Env = name => name == "DSRS_HOME" ? home : null });
        return (code, output.ToString(), error.ToString());
    }

    public static TheoryData<string, string[]> BadCommandLines => new()
    {
        // family: format
        { "DSRS0900", ["id"] },
        { "DSRS0900", ["verify", "a.json", "--no-such-option"] },
        { "DSRS0900", ["import", "dspy"] },
        { "DSRS0107", ["import", "dspy", Path.Combine(RepoPaths.Root, "tests", "ManifestBuild.Cli.Tests", "TestData", "format", "rag-two-predictors.json"), "--predictor", "generate_query", "--all", "-o", "out"] },
        { "DSRS0900", ["cache", "list", "--bogus"] },
        // family: keys
        { "DSRS0900", ["key"] },
        { "DSRS0900", ["key", "import"] },
        // family: relay
        { "DSRS0901", ["relay", "--port", "99999"] },
        { "DSRS0901", ["relay", "--port", "http"] },
        // family: lightning
        { "DSRS0900", ["invoice", "decode"] },
        { "DSRS0900", ["payments", "--reveal"] },
        { "DSRS0900", ["node", "check", "extra"] },
        // family: market
        { "DSRS0901", ["search", "--max-price", "abc", "--relay", "ws://127.0.0.1:9"] },
        { "DSRS0901", ["search", "--min-accuracy", "2", "--relay", "ws://127.0.0.1:9"] },
        { "DSRS0901", ["search", "--max-price", "-5", "--relay", "ws://127.0.0.1:9"] },
        { "DSRS0902", ["search"] },
        { "DSRS0901", ["search", "--relay", "http://127.0.0.1:9"] },
        { "DSRS0901", ["search", "--relay", "wss://user:pw@relay.example"] },
        { "DSRS0901", ["search", "--rank-measured", "0", "--relay", "ws://127.0.0.1:9"] },
        { "DSRS0901", ["publish", "m.json", "--price", "ten", "--relay", "ws://127.0.0.1:9"] },
        { "DSRS0901", ["publish", "m.json", "--l402", "ftp://seller.example", "--relay", "ws://127.0.0.1:9"] },
        { "DSRS0901", ["publish", "m.json", "--node-id", "02abc", "--relay", "ws://127.0.0.1:9"] },
        { "DSRS0901", ["reputation", "npub1notakey", "--relay", "ws://127.0.0.1:9"] },
        { "DSRS0901", ["buy", new string('a', 64), "--max-price", "1e3", "--relay", "ws://127.0.0.1:9"] },
        { "DSRS0901", ["buy", new string('a', 64), "--max-fee", "x", "--relay", "ws://127.0.0.1:9"] },
        { "DSRS0900", ["buy"] },
        { "DSRS0901", ["review", new string('a', 64), "--rating", "6", "--relay", "ws://127.0.0.1:9"] },
        { "DSRS0900", ["review", new string('a', 64), "--relay", "ws://127.0.0.1:9"] },
        { "DSRS0901", ["reputation", "not-a-key", "--relay", "ws://127.0.0.1:9"] },
        { "DSRS0901", ["reputation", "npub1notreally", "--relay", "ws://127.0.0.1:9"] },
        { "DSRS0901", ["reputation", "nostr:note1notakey", "--relay", "ws://127.0.0.1:9"] },
        { "DSRS0900", ["receipts", "export", "--output"] },
        { "DSRS0900", ["redact", "in.json"] },
        // family: seller
        { "DSRS0900", ["serve"] },
        { "DSRS0580", ["serve", "--manifests", ".", "--listen", "nowhere"] },
        { "DSRS0901", ["serve", "--manifests", ".", "--rate-limit", "many"] },
        { "DSRS0901", ["serve", "--manifests", ".", "--price", "5x"] },
        // family: lock, sellers, format, evaluate
        { "DSRS0901", ["lock", "--budget", "lots"] },
        { "DSRS0901", ["update", "--budget", "-1"] },
        { "DSRS0930", ["sellers", "block", "not-a-key"] },
        { "DSRS0930", ["sellers", "unblock", new string('g', 64)] },
        { "DSRS0901", ["import", "dspy", "p.json", "--example-count", "-3"] },
        { "DSRS1208", ["evaluate", "m.json", "--examples", "e.jsonl", "--parallel", "four"] },
        { "DSRS1208", ["evaluate", "m.json", "--examples", "e.jsonl", "--tolerance", "-1"] },
        { "DSRS0901", ["evaluate", "m.json", "--examples", "e.jsonl", "--min-accuracy", "high"] },
        { "DSRS0900", ["publish"] },
        // family: inspect, demo, init
        { "DSRS0900", ["inspect"] },
        { "DSRS0900", ["demo", "--work", "w"] },
        { "DSRS0901", ["init", "--budget", "lots"] },
        // no verb at all, or an unknown one
        { "DSRS0900", ["no-such-verb"] },
    };

    [Theory]
    [MemberData(nameof(BadCommandLines))]
    public async Task A_bad_command_line_exits_2_with_a_code(string code, string[] args)
    {
        using var home = new TempDirectory("cli-usage");
        var (exit, output, error) = await RunAsync(home.Path, args);
        Assert.True(exit == 2, $"exit {exit} for `dsrs {string.Join(' ', args)}`:\n{output}\n{error}");
        Assert.StartsWith(code + ": ", error, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", error, StringComparison.Ordinal);
        Assert.Equal(string.Empty, output);
        Assert.Empty(Directory.GetFileSystemEntries(home.Path));
    }

    [Fact]
    public async Task A_bad_value_names_the_option_and_the_expected_form()
    {
        using var home = new TempDirectory("cli-usage");
        var (_, _, error) = await RunAsync(home.Path, "search", "--max-price", "abc", "--relay", "ws://127.0.0.1:9");
        Assert.StartsWith("DSRS0901: --max-price expects a whole number of millisatoshis (0 or more), got 'abc'", error, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", error, StringComparison.Ordinal);
        Assert.Contains("see `dsrs search --help`", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_search_no_relay_answers_refuses_instead_of_listing_nothing()
    {
        using var home = new TempDirectory("cli-usage");
        var closed = Loopback.ClosedPort();
        var (exit, output, error) = await RunAsync(home.Path, "search", "--relay", $"ws://127.0.0.1:{closed}");
        Assert.Equal(1, exit);
        Assert.StartsWith("DSRS0331: no relay answered", error, StringComparison.Ordinal);
        Assert.Equal(string.Empty, output);
    }

    [Fact]
    public async Task Help_is_not_a_usage_error()
    {
        using var home = new TempDirectory("cli-usage");
        var (exit, output, _) = await RunAsync(home.Path, "buy", "--help");
        Assert.Equal(0, exit);
        Assert.Contains("--yes", output, StringComparison.Ordinal);
        Assert.Contains("Default: 100000 msat", output, StringComparison.Ordinal);
    }
}
