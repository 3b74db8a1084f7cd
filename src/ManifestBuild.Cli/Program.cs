using System.CommandLine;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using ManifestBuild.Format;

namespace ManifestBuild.Cli;

/// <summary>
/// The dsrs entry point. Each part of the product adds its own commands in its own file under
/// Commands/ by implementing one of the partial methods below; unimplemented ones add nothing.
/// </summary>
public static partial class Program
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

    public static RootCommand BuildRoot(CliContext context)
    {
        var root = new RootCommand("dsrs: import, verify, redact, publish, sell, buy, review and inspect DSPy manifests.");
        AddFormatCommands(root, context);     // id, verify, import, export, cache         (Format)
        AddLockCommands(root, context);       // lock, restore, outdated, update           (Tasks: the build's resolver)
        AddKeyCommands(root, context);        // key new|show|import                       (Nostr)
        AddRelayCommands(root, context);      // relay                                     (Relay)
        AddLightningCommands(root, context);  // invoice decode, payments                  (Lightning: BOLT #11, guard, ledger)
        AddNodeCommands(root, context);       // node check                                (Lightning: node adapters)
        AddMarketCommands(root, context);     // redact, publish, search, buy, review, receipts (Market)
        AddDatasetCommands(root, context);    // dataset import|id|verify|export|noise|filter   (Format + Market: datasets)
        AddAgentCommands(root, context);      // suggest                                   (Agent: domain detection)
        AddSellerStandingCommands(root, context); // sellers list|block|unblock                 (Market: seller standing)
        AddSellerCommands(root, context);     // serve                                     (Seller)
        AddSalesCommands(root, context);      // sales                                     (Seller: the sales journal)
        AddInspectCommands(root, context);    // inspect <assembly>                        (Generator)
        AddDemoCommands(root, context);       // demo                                      (samples)
        AddEvaluateCommands(root, context);   // evaluate                                  (Evaluation)
        AddInitCommands(root, context);       // init                                      (install path)
        return root;
    }

    static partial void AddFormatCommands(RootCommand root, CliContext context);

    static partial void AddLockCommands(RootCommand root, CliContext context);

    static partial void AddKeyCommands(RootCommand root, CliContext context);

    static partial void AddRelayCommands(RootCommand root, CliContext context);

    static partial void AddLightningCommands(RootCommand root, CliContext context);

    static partial void AddNodeCommands(RootCommand root, CliContext context);

    static partial void AddMarketCommands(RootCommand root, CliContext context);

    static partial void AddDatasetCommands(RootCommand root, CliContext context);

    static partial void AddAgentCommands(RootCommand root, CliContext context);

    static partial void AddSellerCommands(RootCommand root, CliContext context);

    static partial void AddSellerStandingCommands(RootCommand root, CliContext context);

    static partial void AddInspectCommands(RootCommand root, CliContext context);

    static partial void AddDemoCommands(RootCommand root, CliContext context);

    static partial void AddEvaluateCommands(RootCommand root, CliContext context);
    static partial void AddInitCommands(RootCommand root, CliContext context);

    static partial void AddSalesCommands(RootCommand root, CliContext context);
}
