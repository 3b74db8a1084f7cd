using System.Text.RegularExpressions;
using ManifestBuild.Cli;
using ManifestBuild.TestSupport;

namespace ManifestBuild.Cli.Tests;

/// <summary>
/// The command groups Program registers add exactly the commands docs/cli.md documents, in its
/// order: a group dropped from the registration list, or a command added without its line in
/// the reference, fails here.
/// </summary>
public sealed partial class CommandGroupTests
{
    [GeneratedRegex(@"^\| `dsrs ([a-z-]+)` \|", RegexOptions.Multiline)]
    private static partial Regex CommandRow();

    private static IReadOnlyList<string> DocumentedCommands() =>
        CommandRow().Matches(File.ReadAllText(Path.Combine(RepoPaths.Root, "docs", "cli.md"))).Select(m => m.Groups[1].Value).ToList();

    [Fact]
    public void The_root_offers_exactly_the_documented_commands_in_order()
    {
        var offered = Program.BuildRoot(new CliContext()).Subcommands.Select(c => c.Name).ToList();
        var documented = DocumentedCommands();
        Assert.True(documented.Count > 20, $"docs/cli.md lists only {documented.Count} commands: is its table still `| \\`dsrs name\\` |`?");
        Assert.Equal(documented, offered);
    }

    [Fact]
    public void No_command_name_is_registered_twice()
    {
        var offered = Program.BuildRoot(new CliContext()).Subcommands.Select(c => c.Name).ToList();
        Assert.Equal(offered.Distinct(StringComparer.Ordinal), offered);
    }
}
