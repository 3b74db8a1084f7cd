using ManifestBuild.Cli;

namespace ManifestBuild.Cli.Tests;

/// <summary>Runs dsrs in-process with DSRS_HOME (and nothing else) in its environment, capturing both streams.</summary>
internal static class CliRun
{
    public static Task<(int Code, string Out, string Err)> RunAsync(string? home, params string[] args) =>
        RunWithEnvironmentAsync(name => name == "DSRS_HOME" ? home : null, args);

    /// <summary>Runs dsrs with exactly this environment (DSRS_HOME, DSRS_NODE, DSRS_RECEIPTS...).</summary>
    public static async Task<(int Code, string Out, string Err)> RunWithEnvironmentAsync(Func<string, string?> env, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await Program.RunAsync(args, new CliContext { Out = output, Error = error, Env = env });
        return (code, output.ToString(), error.ToString());
    }
}
