using ManifestBuild.Format;
using ManifestBuild.Format.Json;
using ManifestBuild.Market.Buying;
using ManifestBuild.Nostr;

namespace ManifestBuild.Cli.Presenters;

/// <summary>How `dsrs sellers list | block | unblock` show the blocked sellers (as npub; reasons are untrusted text).</summary>
internal static class SellerStandingPresenter
{
    public static async Task WriteBlockedAsync(TextWriter output, IReadOnlyCollection<BlockedSeller> blocked, bool json)
    {
        if (json)
        {
            var list = new JsonArray(blocked.Select(b =>
            {
                var o = new JsonObject().Add("seller", b.Seller).Add("npub", Nip19.EncodeNpub(b.Seller)).Add("source", b.Source).Add("reason", b.Reason);
                return (JsonValue)(b.PaymentHash is null ? o : o.Add("payment_hash", b.PaymentHash));
            }));
            await output.WriteAsync(JsonWriter.WriteReviewedFile(new JsonObject().Add("blocked", list)));
            return;
        }

        foreach (var b in blocked)
        {
            await output.WriteLineAsync($"{Nip19.EncodeNpub(b.Seller)} {b.Source}{(b.PaymentHash is null ? string.Empty : " payment " + b.PaymentHash)}: {UntrustedText.Neutralise(b.Reason)}");
        }

        await output.WriteLineAsync($"{blocked.Count} blocked seller(s)");
    }

    public static Task WriteBlockAsync(TextWriter output, string sellerHex, string home) =>
        output.WriteLineAsync($"blocked {Nip19.EncodeNpub(sellerHex)}: no build, update or agent using {home} pays it");

    public static Task WriteUnblockAsync(TextWriter output, string sellerHex, int forgiven) =>
        output.WriteLineAsync($"unblocked {Nip19.EncodeNpub(sellerHex)}; {forgiven} recorded fraud(s) forgiven");
}
