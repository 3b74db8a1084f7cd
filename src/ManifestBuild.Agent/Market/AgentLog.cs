using ManifestBuild.Format;
using ManifestBuild.Market.Buying;
using ManifestBuild.Market.Listings;
using Microsoft.Extensions.Logging;

namespace ManifestBuild.Agent.Market;

/// <summary>
/// Every decision of an <see cref="AgentMarket"/> as one log line with its reason. Only public facts
/// go in: family, compiled_id, seller key, price, payment hash, codes and the market's own messages;
/// never a node connection string, token, preimage or key.
/// </summary>
internal sealed class AgentLog(ILogger logger)
{
    public void Selected(AgentQuery query, string explanation) =>
        logger.LogDebug("dsrs agent: {Family}: {Explanation}", query.Family, explanation);

    public void Acquired(AgentQuery query, Listing listing, AcquiredManifest acquired, string reason)
    {
        if (acquired.PricePaidMsat > 0)
        {
            logger.LogInformation(
                "dsrs agent: {Family}: bought {CompiledId} from seller {Seller} for {Paid} (fee {FeeMsat} msat, payment {PaymentHash}): {Reason}",
                query.Family, Short(acquired.CompiledId), Short(listing.SellerPubKey), Money.Format(acquired.PricePaidMsat), acquired.FeePaidMsat ?? 0, acquired.PaymentHash, reason);
        }
        else
        {
            logger.LogInformation(
                "dsrs agent: {Family}: {CompiledId} from seller {Seller} ({Source}), nothing paid: {Reason}",
                query.Family, Short(acquired.CompiledId), Short(listing.SellerPubKey), acquired.Source, reason);
        }
    }

    /// <summary>Logs a skip and returns the refusal to throw.</summary>
    public DsrsException Refused(AgentQuery query, Listing? listing, string code, string reason)
    {
        logger.LogWarning(
            "dsrs agent: {Family}: skipped {CompiledId} ({Price}) from seller {Seller}: {Code} {Reason}",
            query.Family, listing is null ? "-" : Short(listing.CompiledId), listing is null ? "-" : Money.Format(listing.PriceMsat), listing is null ? "-" : Short(listing.SellerPubKey), code, reason);
        return new DsrsException(code, $"{query.Family}: {(listing is null ? string.Empty : $"listing {listing.CompiledId}: ")}{reason}");
    }

    /// <summary>A failed purchase: the code and message of a refusal, only the type of anything else (its text is not ours to vouch for).</summary>
    public void PurchaseFailed(AgentQuery query, Listing listing, Exception e) =>
        logger.LogWarning(
            "dsrs agent: {Family}: the purchase of {CompiledId} ({Price}) from seller {Seller} failed: {Code} {Reason}",
            query.Family, Short(listing.CompiledId), Money.Format(listing.PriceMsat), Short(listing.SellerPubKey), (e as DsrsException)?.Code ?? e.GetType().Name, e is DsrsException ? e.Message : "see the exception the call threw");

    /// <summary>A subscription or a followed line: what happened and why.</summary>
    public void LineNote(string line, string text) => logger.LogInformation("dsrs agent: line {Line}: {Text}", line, text);

    /// <summary>Logs a refusal on a line and returns it to throw (or to report).</summary>
    public DsrsException LineRefused(string line, string code, string reason)
    {
        logger.LogWarning("dsrs agent: line {Line}: {Code} {Reason}", line, code, reason);
        return new DsrsException(code, $"line {line}: {reason}");
    }

    private static string Short(string hex) => hex.Length > 12 ? hex[..12] : hex;
}
