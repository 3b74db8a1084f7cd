using System.Globalization;
using System.Text;
using System.Text.Json;
using ManifestBuild.Format;
using ManifestBuild.Format.Caching;
using ManifestBuild.Lightning.Bolt11;
using ManifestBuild.Lightning.Payments;

namespace ManifestBuild.Cli.Presenters;

/// <summary>How `dsrs invoice decode` and `dsrs payments` show an invoice and the purchase ledger, as text or JSON.</summary>
internal static class LightningPresenter
{
    internal static string InvoiceText(Bolt11Invoice invoice)
    {
        var text = new StringBuilder();
        void Line(string name, string value) => text.Append(CultureInfo.InvariantCulture, $"{name,-17} {value}\n");
        Line("network", invoice.Network);
        Line("amount_msat", invoice.AmountMsat?.ToString(CultureInfo.InvariantCulture) ?? "(any amount)");
        Line("payment_hash", invoice.PaymentHash);
        Line("payee", invoice.Payee);
        Line("timestamp", $"{invoice.Timestamp.ToUnixTimeSeconds()} ({invoice.Timestamp.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ})");
        Line("expiry", $"{(long)invoice.Expiry.TotalSeconds} s (expires {invoice.ExpiresAt.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ})");
        if (invoice.Description is not null)
        {
            Line("description", invoice.Description);
        }
        else
        {
            Line("description_hash", invoice.DescriptionHash!);
        }

        Line("payment_secret", invoice.PaymentSecret is null ? "absent" : "present");
        Line("features", invoice.Features.Count == 0 ? "(none)" : string.Join(",", invoice.Features));
        return text.ToString().TrimEnd('\n');
    }

    internal static string InvoiceJson(Bolt11Invoice invoice)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteString("network", invoice.Network);
            if (invoice.AmountMsat is { } amount)
            {
                writer.WriteNumber("amount_msat", amount);
            }
            else
            {
                writer.WriteNull("amount_msat");
            }

            writer.WriteString("payment_hash", invoice.PaymentHash);
            writer.WriteString("payee", invoice.Payee);
            writer.WriteNumber("timestamp", invoice.Timestamp.ToUnixTimeSeconds());
            writer.WriteNumber("expiry", (long)invoice.Expiry.TotalSeconds);
            if (invoice.Description is not null)
            {
                writer.WriteString("description", invoice.Description);
            }
            else
            {
                writer.WriteString("description_hash", invoice.DescriptionHash);
            }

            writer.WriteBoolean("payment_secret", invoice.PaymentSecret is not null);
            writer.WriteStartArray("features");
            foreach (var bit in invoice.Features)
            {
                writer.WriteNumberValue(bit);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    internal static string PaymentsText(IReadOnlyList<PurchaseRecord> records, IReadOnlyDictionary<string, string> names, bool reveal)
    {
        if (records.Count == 0)
        {
            return "no payments in the ledger";
        }

        var text = new StringBuilder();
        var nameWidth = Math.Max("signature".Length, names.Values.Select(n => n.Length).DefaultIfEmpty(0).Max());
        text.Append(CultureInfo.InvariantCulture, $"{"state",-10} {"amount_msat",12} {"fee_msat",9} {"signature".PadRight(nameWidth)} {"compiled_id",-16} {"payment_hash",-64} updated\n");
        foreach (var r in records)
        {
            var state = PurchaseLedger.StateName(r.State) + (r.Fraud ? "!" : string.Empty);
            text.Append(CultureInfo.InvariantCulture, $"{state,-10} {r.AmountMsat,12} {r.FeeMsat?.ToString(CultureInfo.InvariantCulture) ?? "-",9} {names.GetValueOrDefault(r.CompiledId, "-").PadRight(nameWidth)} {r.CompiledId[..16],-16} {r.PaymentHash} {r.UpdatedAt.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}\n");
            if (r.Fraud)
            {
                text.Append(CultureInfo.InvariantCulture, $"  fraud: {r.FraudReason}\n");
            }

            if (r.State == PurchaseState.Failed && r.FailureReason is not null)
            {
                text.Append(CultureInfo.InvariantCulture, $"  failed: {r.FailureReason}\n");
            }

            if (reveal && r.Preimage is not null)
            {
                text.Append(CultureInfo.InvariantCulture, $"  preimage: {r.Preimage}\n  token: {r.Token}\n");
            }
        }

        return text.ToString().TrimEnd('\n');
    }

    internal static string PaymentsJson(IReadOnlyList<PurchaseRecord> records, IReadOnlyDictionary<string, string> names, bool reveal)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartArray();
            foreach (var r in records)
            {
                writer.WriteStartObject();
                writer.WriteString("payment_hash", r.PaymentHash);
                writer.WriteString("compiled_id", r.CompiledId);
                if (names.TryGetValue(r.CompiledId, out var name))
                {
                    writer.WriteString("signature_name", name);
                }

                writer.WriteString("state", PurchaseLedger.StateName(r.State));
                writer.WriteNumber("amount_msat", r.AmountMsat);
                if (r.FeeMsat is { } fee)
                {
                    writer.WriteNumber("fee_msat", fee);
                }

                writer.WriteString("payee", r.Payee);
                if (r.Seller is { } seller && Format.Hex.IsLowerHex(seller, 32))
                {
                    writer.WriteString("seller", seller);
                    writer.WriteString("npub", Nostr.Nip19.EncodeNpub(seller));
                }

                writer.WriteNumber("attempts", r.Attempts);
                writer.WriteBoolean("fraud", r.Fraud);
                if (r.FraudReason is not null)
                {
                    writer.WriteString("fraud_reason", r.FraudReason);
                }

                if (r.FailureReason is not null)
                {
                    writer.WriteString("failure_reason", r.FailureReason);
                }

                writer.WriteString("created_at", r.CreatedAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
                writer.WriteString("updated_at", r.UpdatedAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
                if (reveal && r.Preimage is not null)
                {
                    writer.WriteString("preimage", r.Preimage);
                    writer.WriteString("token", r.Token);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
