using System.CommandLine;

namespace ManifestBuild.Cli;

/// <summary>
/// One command group (Commands/&lt;Part&gt;Commands.cs): adds its part's top-level commands to the
/// root. Program lists every group explicitly, as the .NET SDK's parser lists its commands.
/// </summary>
internal delegate void CommandGroup(RootCommand root, CliContext context);
