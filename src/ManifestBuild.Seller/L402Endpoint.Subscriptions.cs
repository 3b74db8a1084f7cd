using System.Security.Cryptography;
using System.Text;
using ManifestBuild.Format;
using ManifestBuild.Format.Json;
using ManifestBuild.Lightning.Nodes;
using ManifestBuild.Market;
using ManifestBuild.Market.Buying;
using ManifestBuild.Market.L402;
using ManifestBuild.Market.Listings;
using ManifestBuild.Seller.Subscriptions;
using Microsoft.AspNetCore.Http;

namespace ManifestBuild.Seller;

/// <summary>
/// <c>GET /subscriptions/{line}?term={term}</c>: one invoice for one period of the line, whose token carries
/// <c>line=</c> and <c>expires=</c> (the invoice's expiry plus the period, so a payment made at any moment
/// the invoice allows buys at least a whole period); with that token, the subscription document
/// (line, expiry, the versions it opens now).
/// </summary>
internal sealed partial class L402Endpoint
{
    private const string SubscriptionsPrefix = "/subscriptions/";

    /// <summary>The 64-hex item the sales journal records a line's subscription invoices and confirmations under.</summary>
    public static string LineItemId(string line) => Hex.Encode(SHA256.HashData(Encoding.UTF8.GetBytes(SubscriptionListing.DTagPrefix + line)));

    private async Task<int> SubscriptionAsync(HttpContext context, string lineName)
    {
        if (!LineName.Check(lineName))
        {
            return await WriteErrorAsync(context, StatusCodes.Status400BadRequest, "the line must be " + LineName.Rule).ConfigureAwait(false);
        }

        var line = catalog.Current.FindLine(lineName);
        if (line is null)
        {
            return await WriteErrorAsync(context, StatusCodes.Status404NotFound, "this seller sells no subscription to line " + lineName).ConfigureAwait(false);
        }

        var item = LineItemId(line.Line);
        var saleName = "subscription " + line.Line;
        if (context.Request.Headers.Authorization.Count == 0)
        {
            var term = context.Request.Query["term"].ToString();
            if (!CompiledId.IsWellFormed(term))
            {
                return await WriteErrorAsync(context, StatusCodes.Status400BadRequest, "a subscription is bought with ?term=<64 lowercase hex>, the buyer's purchase key that the invoice names").ConfigureAwait(false);
            }

            var description = InvoiceDescriptions.ForSubscription(term, line.Line);
            Macaroon Mint(string hash) =>
                SubscriptionToken.Mint(rootKey, hash, line.Line, options.Time.GetUtcNow().Add(options.InvoiceExpiry).ToUnixTimeSeconds() + 1 + line.PeriodSeconds);
            return await ChallengeAsync(context, item, line.PriceMsat, line.Line + LineDocument.FileSuffix, description, Mint, "no credential for the subscription", saleName, null, line.Line).ConfigureAwait(false);
        }

        SubscriptionClaim? held = null;
        DsrsException? Grants(SubscriptionClaim claim)
        {
            held = claim;
            return claim.Line == line.Line ? null : new DsrsException(MarketErrorCodes.SubscriptionWrongLine, $"the token is a subscription to line {claim.Line}, not {line.Line}");
        }

        // The document is built after the credential passed, from the claim it carries.
        var document = new Lazy<string>(() => JsonWriter.Write(new JsonObject()
            .Add("format", SubscriptionDocument.Format)
            .Add("line", line.Line)
            .Add("expires_at", held!.ExpiresAt)
            .Add("versions", new JsonArray(line.Versions.Where(v => v.PublishedAt <= held.ExpiresAt).Select(v => (JsonValue)new JsonString(v.CompiledId)))), false));
        return await DeliverAsync(context, item, document, _ => false, saleName, line.PriceMsat, Grants).ConfigureAwait(false);
    }
}
