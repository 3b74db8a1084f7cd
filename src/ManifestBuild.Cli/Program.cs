using System.CommandLine;
using ManifestBuild.Format;

namespace ManifestBuild.Cli;

/// <summary>
/// The dsrs entry point. Each part of the product adds its own commands in its own file under
/// Commands/ by implementing one of the partial methods below; unimplemented ones add nothing.
/// </summary>
public static partial class Program
{
    public static Task<int> Main(string[] args) => RunAsync(args, new CliContext());

    /// <summary>Runs dsrs in-process; a DsrsException becomes "DSRSnnnn: message" and exit code 1.</summary>
    public static async Task<int> RunAsync(string[] args, CliContext context, CancellationToken cancellationToken = default)
    {
        var root = BuildRoot(context);
        var config = new InvocationConfiguration { Output = context.Out, Error = context.Error, EnableDefaultExceptionHandler = false };
        try
        {
            return await root.Parse(args).InvokeAsync(config, cancellationToken);
        }
        catch (DsrsException e)
        {
            await context.Error.WriteLineAsync(e.ToString());
            return 1;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await context.Error.WriteLineAsync("cancelled");
            return 130;
        }
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
        AddSellerCommands(root, context);     // serve                                     (Seller)
        AddInspectCommands(root, context);    // inspect <assembly>                        (Generator)
        AddDemoCommands(root, context);       // demo                                      (samples)
        return root;
    }

    static partial void AddFormatCommands(RootCommand root, CliContext context);

    static partial void AddLockCommands(RootCommand root, CliContext context);

    static partial void AddKeyCommands(RootCommand root, CliContext context);

    static partial void AddRelayCommands(RootCommand root, CliContext context);

    static partial void AddLightningCommands(RootCommand root, CliContext context);

    static partial void AddNodeCommands(RootCommand root, CliContext context);

    static partial void AddMarketCommands(RootCommand root, CliContext context);

    static partial void AddSellerCommands(RootCommand root, CliContext context);

    static partial void AddInspectCommands(RootCommand root, CliContext context);

    static partial void AddDemoCommands(RootCommand root, CliContext context);
}
