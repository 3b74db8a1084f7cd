using System.CommandLine;
using ManifestBuild.Cli.Presenters;
using ManifestBuild.Format;
using ManifestBuild.Nostr;

namespace ManifestBuild.Cli;

internal static class KeyCommands
{
    /// <summary>dsrs key new|show|import: the user's Nostr identity in $DSRS_HOME/keys (owner-only).</summary>
    public static void AddTo(RootCommand root, CliContext context)
    {
        var key = new Command("key", "Create, show or import your Nostr key (kept owner-only in $DSRS_HOME/keys).");
        key.Subcommands.Add(KeyNewCommand(context));
        key.Subcommands.Add(KeyShowCommand(context));
        key.Subcommands.Add(KeyImportCommand(context));
        root.Subcommands.Add(key);
    }

    private static Command KeyNewCommand(CliContext context)
    {
        var force = new Option<bool>("--force") { Description = "Replace an existing key (the old one is lost)." };
        var command = new Command("new", "Generate a new Nostr key with the system's secure random generator.");
        command.Options.Add(force);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var keyPair = NostrKeyPair.Generate();
            var path = NostrKeyStore.Save(context.Home, keyPair, parseResult.GetValue(force));
            await KeyPresenter.WriteStoredAsync(context.Out, "created " + path, keyPair);
            return 0;
        });
        return command;
    }

    private static Command KeyShowCommand(CliContext context)
    {
        var showSecret = new Option<bool>("--show-secret") { Description = "Also print the secret key (nsec and hex). Anyone who sees it can sign as you." };
        var command = new Command("show", "Print your public key (npub and hex).");
        command.Options.Add(showSecret);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var keyPair = NostrKeyStore.Load(context.Home);
            await KeyPresenter.WriteShownAsync(context.Out, keyPair, parseResult.GetValue(showSecret));

            return 0;
        });
        return command;
    }

    private static Command KeyImportCommand(CliContext context)
    {
        var secret = new Argument<string>("secret") { Description = "An nsec1... or 64 hex characters; '-' reads it from standard input (keeps it out of shell history)." };
        var force = new Option<bool>("--force") { Description = "Replace an existing key (the old one is lost)." };
        var command = new Command("import", "Store an existing Nostr secret key.");
        command.Arguments.Add(secret);
        command.Options.Add(force);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var text = parseResult.GetValue(secret) ?? string.Empty;
            if (text == "-")
            {
                text = (await context.In.ReadLineAsync(cancellationToken)) ?? string.Empty;
            }

            var keyPair = ParseSecret(text.Trim());
            var path = NostrKeyStore.Save(context.Home, keyPair, parseResult.GetValue(force));
            await KeyPresenter.WriteStoredAsync(context.Out, "imported into " + path, keyPair);
            return 0;
        });
        return command;
    }

    private static NostrKeyPair ParseSecret(string text)
    {
        if (text.StartsWith("nsec1", StringComparison.OrdinalIgnoreCase))
        {
            return Nip19.Decode(text) is Nip19SecretKey nsec
                ? NostrKeyPair.FromSecretHex(nsec.SecretHex)
                : throw new DsrsException(NostrErrorCodes.InvalidSecretKey, "not an nsec");
        }

        if (text.StartsWith("npub1", StringComparison.OrdinalIgnoreCase))
        {
            throw new DsrsException(NostrErrorCodes.InvalidSecretKey, "that is a public key (npub); import needs the secret key (nsec or hex)");
        }

        return NostrKeyPair.FromSecretHex(text);
    }
}
