using System.CommandLine;
using ManifestBuild.Format;
using ManifestBuild.Format.Caching;
using ManifestBuild.Lightning.Bolt11;
using ManifestBuild.Lightning.Payments;

using static ManifestBuild.Cli.Presenters.LightningPresenter;

namespace ManifestBuild.Cli;

internal static class LightningCommands
{
    /// <summary>dsrs invoice decode, dsrs payments: read BOLT #11 invoices and the purchase ledger.</summary>
    public static void AddTo(RootCommand root, CliContext context)
    {
        var invoice = new Command("invoice", "Inspect BOLT #11 Lightning invoices.");
        invoice.Subcommands.Add(InvoiceDecodeCommand(context));
        root.Subcommands.Add(invoice);
        root.Subcommands.Add(PaymentsCommand(context));
    }

    private static Command InvoiceDecodeCommand(CliContext context)
    {
        var bolt11 = new Argument<string>("bolt11") { Description = "The invoice (lnbc..., lntb..., lntbs..., lnbcrt...); an invalid one exits non-zero naming the rule it broke." };
        var json = CliOptions.Json("Print JSON: network, amount_msat, payment_hash, payee, timestamp, expiry, description or description_hash, payment_secret, features.");
        var command = new Command("decode", "Decode and signature-check a BOLT #11 invoice.");
        command.Arguments.Add(bolt11);
        command.Options.Add(json);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var decoded = Bolt11Decoder.Decode(parseResult.GetValue(bolt11) ?? string.Empty);
            await context.Out.WriteLineAsync(parseResult.GetValue(json) ? InvoiceJson(decoded) : InvoiceText(decoded));
            return 0;
        });
        return command;
    }

    private static Command PaymentsCommand(CliContext context)
    {
        var showPreimages = new Option<bool>("--show-preimages") { Description = "Also print each preimage and L402 token: they are receipts that unlock the content again." };
        var json = CliOptions.Json("Print the records as a JSON array.");
        var command = new Command("payments", "List the purchase ledger ($DSRS_HOME/ledger), newest first.");
        command.Options.Add(showPreimages);
        command.Options.Add(json);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var records = PurchaseLedger.ForHome(context.Home).List();
            var reveal = parseResult.GetValue(showPreimages);
            var names = PaymentSignatureNames(context.Home, records);
            await context.Out.WriteLineAsync(parseResult.GetValue(json) ? PaymentsJson(records, names, reveal) : PaymentsText(records, names, reveal));
            return 0;
        });
        return command;
    }

    /// <summary>The signature name of each paid compiled_id, from the verified cache (the ledger keeps only ids); absent until delivered.</summary>
    private static IReadOnlyDictionary<string, string> PaymentSignatureNames(string home, IReadOnlyList<PurchaseRecord> records)
    {
        var cache = new ManifestCache(home);
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var id in records.Select(r => r.CompiledId).Distinct(StringComparer.Ordinal))
        {
            if (CompiledId.IsWellFormed(id) && cache.Lookup(id).Manifest is { } manifest)
            {
                names[id] = manifest.SignatureName;
            }
        }

        return names;
    }
}
