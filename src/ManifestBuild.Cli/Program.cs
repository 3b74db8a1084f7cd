using System.CommandLine;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using ManifestBuild.Format;

namespace ManifestBuild.Cli;

/// <summary>
/// The dsrs entry point. Each part of the product adds its commands through one command group: a
/// static class in Commands/ whose AddTo is listed in <see cref="CommandGroups"/>.
/// </summary>
public static class Program
{
    public static Task<int> Main(string[] args) => RunAsync(args, new CliContext());

    /// <summary>
    /// Runs dsrs in-process. A refusal prints "DSRSnnnn: message": usage errors (a parse error, a
    /// bad option value, a usage code) exit 2, every other DsrsException exits 1.
    /// </summary>
    public static async Task<int> RunAsync(string[] args, CliContext context, CancellationToken cancellationToken = default)
    {
        var root = BuildRoot(context);
        var config = new InvocationConfiguration { Output = context.Out, Error = context.Error, EnableDefaultExceptionHandler = false };
        try
        {
            var parsed = root.Parse(args);
            if (parsed.Errors.Count > 0 && parsed.Action is ParseErrorAction)
            {
                return await WriteUsageErrorsAsync(context, parsed);
            }

            return await parsed.InvokeAsync(config, cancellationToken);
        }
        catch (DsrsException e)
        {
            await context.Error.WriteLineAsync(e.ToString());
            return CliErrorCodes.IsUsage(e.Code) ? UsageExitCode : 1;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await context.Error.WriteLineAsync("cancelled");
            return 130;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Net.Http.HttpRequestException)
        {
            // The environment failed under a command (disk, permissions, network): still a coded refusal.
            await context.Error.WriteLineAsync($"{CliErrorCodes.Unexpected}: {e.GetType().Name}: {e.Message}");
            return 1;
        }
    }

    /// <summary>What a usage error exits with, as for most Unix tools.</summary>
    public const int UsageExitCode = 2;

    /// <summary>One line per parse error, each with its code (validators put DSRS0901 in theirs), then where help is.</summary>
    private static async Task<int> WriteUsageErrorsAsync(CliContext context, ParseResult parsed)
    {
        foreach (var error in parsed.Errors)
        {
            var message = error.Message;
            await context.Error.WriteLineAsync(message.StartsWith("DSRS", StringComparison.Ordinal) ? message : $"{CliErrorCodes.Usage}: {message}");
        }

        var path = new List<string>();
        for (SymbolResult? at = parsed.CommandResult; at is CommandResult command; at = command.Parent)
        {
            path.Insert(0, command.Command is RootCommand ? "dsrs" : command.Command.Name);
        }

        await context.Error.WriteLineAsync($"see `{string.Join(' ', path)} --help`");
        return UsageExitCode;
    }

    /// <summary>
    /// Every command group, in the order `dsrs --help` lists them: the one place a group is
    /// registered, so deleting a group's class fails the build and dropping it from this list fails
    /// CommandGroupTests (which checks the root's commands against docs/cli.md).
    /// </summary>
    private static readonly CommandGroup[] CommandGroups =
    [
        FormatCommands.AddTo,         // id, verify, import, export, cache         (Format)
        LockCommands.AddTo,           // lock, restore, outdated, update           (Tasks: the build's resolver)
        KeyCommands.AddTo,            // key new|show|import                       (Nostr)
        RelayCommands.AddTo,          // relay                                     (Relay)
        LightningCommands.AddTo,      // invoice decode, payments                  (Lightning: BOLT #11, guard, ledger)
        NodeCommands.AddTo,           // node check                                (Lightning: node adapters)
        MarketCommands.AddTo,         // redact, publish, search, buy, review, receipts (Market)
        SubscriptionCommands.AddTo,   // subscription add|publish|buy|list         (Market + Seller: lines)
        DatasetCommands.AddTo,        // dataset import|id|verify|export|noise|filter   (Format + Market: datasets)
        AgentCommands.AddTo,          // suggest                                   (Agent: domain detection)
        SellerStandingCommands.AddTo, // sellers list|block|unblock                 (Market: seller standing)
        SellerCommands.AddTo,         // serve                                     (Seller)
        SalesCommands.AddTo,          // sales                                     (Seller: the sales journal)
        InspectCommands.AddTo,        // inspect <assembly>                        (Generator)
        DemoCommands.AddTo,           // demo                                      (samples)
        EvaluateCommands.AddTo,       // evaluate                                  (Evaluation)
        InitCommands.AddTo,           // init                                      (install path)
    ];

    public static RootCommand BuildRoot(CliContext context)
    {
        var root = new RootCommand("dsrs: import, verify, redact, publish, sell, buy, review and inspect DSPy manifests.");
        foreach (var group in CommandGroups)
        {
            group(root, context);
        }

        return root;
    }
}
