using System.CommandLine;
using ManifestBuild.Cli.Presenters;
using ManifestBuild.Format;
using ManifestBuild.Format.Json;
using ManifestBuild.Market.Buying;
using ManifestBuild.Nostr;

namespace ManifestBuild.Cli;

internal static class SellerStandingCommands
{
    /// <summary>A seller argument is neither an npub nor 64 hex (usage error, exit 2).</summary>

    /// <summary>dsrs sellers list | block | unblock: the sellers this home never pays (a proven fraud or the user's decision).</summary>
    public static void AddTo(RootCommand root, CliContext context)
    {
        var command = new Command("sellers", "The sellers this DSRS_HOME never pays: blocked by a proven fraud in the ledger or by you.");
        command.Subcommands.Add(SellersListCommand(context));
        command.Subcommands.Add(SellersBlockCommand(context));
        command.Subcommands.Add(SellersUnblockCommand(context));
        root.Subcommands.Add(command);
    }

    private static Command SellersListCommand(CliContext context)
    {
        var json = CliOptions.Json("Print the blocked sellers as JSON.");
        var command = new Command("list", "List the blocked sellers, why, and the payment that proves a fraud.");
        command.Options.Add(json);
        command.SetAction(async (ParseResult r, CancellationToken ct) =>
        {
            var blocked = SellerStanding.ForHome(context.Home).Load().All;
            await SellerStandingPresenter.WriteBlockedAsync(context.Out, blocked, r.GetValue(json));
            return 0;
        });
        return command;
    }

    private static Command SellersBlockCommand(CliContext context)
    {
        var seller = CliOptions.PublicKey("seller", "The seller's npub or hex public key.", CliErrorCodes.SellerStandingInvalidSeller);
        var reason = new Option<string>("--reason") { Description = "Why (kept with the block)." };
        var command = new Command("block", "Never pay this seller again (until `dsrs sellers unblock`).");
        command.Arguments.Add(seller);
        command.Options.Add(reason);
        command.SetAction(async (ParseResult r, CancellationToken ct) =>
        {
            var hex = r.GetValue(seller)!;
            SellerStanding.ForHome(context.Home).Block(hex, r.GetValue(reason) ?? string.Empty);
            await SellerStandingPresenter.WriteBlockAsync(context.Out, hex, context.Home);
            return 0;
        });
        return command;
    }

    private static Command SellersUnblockCommand(CliContext context)
    {
        var seller = CliOptions.PublicKey("seller", "The seller's npub or hex public key.", CliErrorCodes.SellerStandingInvalidSeller);
        var command = new Command("unblock", "Clear your block and forgive the seller's frauds recorded so far (a new fraud blocks it again).");
        command.Arguments.Add(seller);
        command.SetAction(async (ParseResult r, CancellationToken ct) =>
        {
            var hex = r.GetValue(seller)!;
            var forgiven = SellerStanding.ForHome(context.Home).Unblock(hex);
            await SellerStandingPresenter.WriteUnblockAsync(context.Out, hex, forgiven);
            return 0;
        });
        return command;
    }
}
