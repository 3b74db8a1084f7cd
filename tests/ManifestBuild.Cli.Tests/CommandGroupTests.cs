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

    /// <summary>Values the parser can take as they are; every other type needs a validator that names the option and the form.</summary>
    private static readonly Type[] TakenAsGiven = [typeof(bool), typeof(string), typeof(string[]), typeof(FileInfo), typeof(FileInfo[]), typeof(DirectoryInfo)];

    [Fact]
    public void Every_typed_value_is_checked_by_a_validator_that_gives_a_dsrs_code()
    {
        var notChecked = new List<string>();
        foreach (var (path, symbol, valueType) in AllValues(Program.BuildRoot(new CliContext()), "dsrs"))
        {
            var parser = symbol.GetType().GetProperty("CustomParser")?.GetValue(symbol);
            if (!TakenAsGiven.Contains(valueType) && parser is null)
            {
                notChecked.Add($"{path} {symbol.Name} ({valueType.Name})");
            }
        }

        Assert.Empty(notChecked);
    }

    private static IEnumerable<(string Path, System.CommandLine.Symbol Symbol, Type ValueType)> AllValues(System.CommandLine.Command command, string path)
    {
        foreach (var option in command.Options.Where(o => o.Name is not ("--help" or "--version")))
        {
            yield return (path, option, option.ValueType);
        }

        foreach (var argument in command.Arguments)
        {
            yield return (path, argument, argument.ValueType);
        }

        foreach (var sub in command.Subcommands)
        {
            foreach (var value in AllValues(sub, path + " " + sub.Name))
            {
                yield return value;
            }
        }
    }

    [Fact]
    public void No_command_name_is_registered_twice()
    {
        var offered = Program.BuildRoot(new CliContext()).Subcommands.Select(c => c.Name).ToList();
        Assert.Equal(offered.Distinct(StringComparer.Ordinal), offered);
    }
}
