using ManifestBuild.Cli;

namespace ManifestBuild.Cli.Tests;

/// <summary>Runs dsrs in-process with DSRS_HOME (and nothing else) in its environment, capturing both streams.</summary>
internal static class CliRun
{
    public static async Task<(int Code, string Out, string Err)> RunAsync(string? home, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await Program.RunAsync(args, new CliContext { Out = output, Error = error, Env = name => name == "DSRS_HOME" ? home : null });
        return (code, output.ToString(), error.ToString());
    }
}
