using ManifestBuild.Format;
using ManifestBuild.Format.Json;
using ManifestBuild.Market.Listings;

namespace ManifestBuild.Market.Buying;

/// <summary>
/// Subscriptions kept in <c>$DSRS_HOME/subscriptions/&lt;line&gt;.&lt;payment_hash&gt;.json</c>, owner-only, one per
/// paid term (a renewal never replaces the term before it: versions of that term stay downloadable with
/// it). Every file is checked again when read (<see cref="HeldSubscription.FromJson"/>); one that fails is
/// left out and named in <see cref="Problems"/>, never used.
/// </summary>
public sealed class SubscriptionStore(string home)
{
    public string Directory { get; } = Path.Combine(home, "subscriptions");

    /// <summary>Files left out by the last read, and why.</summary>
    public IReadOnlyList<string> Problems { get; private set; } = [];

    public void Save(HeldSubscription held) =>
        AtomicFile.WriteAllText(Path.Combine(Directory, $"{held.Line}.{held.PaymentHash}.json"), JsonWriter.WriteFile(held.ToJson()), ownerOnly: true);

    /// <summary>Every usable subscription of this home, the latest expiry first.</summary>
    public IReadOnlyList<HeldSubscription> List()
    {
        var found = new List<HeldSubscription>();
        var problems = new List<string>();
        if (System.IO.Directory.Exists(Directory))
        {
            foreach (var file in System.IO.Directory.EnumerateFiles(Directory, "*.json").Order(StringComparer.Ordinal))
            {
                try
                {
                    found.Add(HeldSubscription.FromJson(JsonParser.Parse(File.ReadAllText(file))));
                }
                catch (Exception e) when (e is DsrsException or IOException or UnauthorizedAccessException)
                {
                    problems.Add($"{Path.GetFileName(file)}: {(e is DsrsException d ? d.ToString() : e.GetType().Name)}");
                }
            }
        }

        Problems = problems;
        return found.DistinctBy(h => h.PaymentHash).OrderByDescending(h => h.ExpiresAt).ThenBy(h => h.PaymentHash, StringComparer.Ordinal).ToList();
    }

    /// <summary>This seller's subscriptions of this line, the latest expiry first.</summary>
    public IReadOnlyList<HeldSubscription> ForLine(string seller, string line) =>
        List().Where(h => h.Line == line && string.Equals(h.SellerPubKey, seller, StringComparison.OrdinalIgnoreCase)).ToList();

    /// <summary>The subscriptions that may be presented for this version: its line, its seller, node and origin.</summary>
    public IReadOnlyList<HeldSubscription> For(Listing version)
    {
        if (version.Line is null || version.IsFree || version.L402Url is null)
        {
            return [];
        }

        var issuer = ReceiptIssuer.Of(version);
        return ForLine(version.SellerPubKey, version.Line).Where(h => h.IsIssuedBy(issuer)).ToList();
    }

    /// <summary>
    /// True when a subscription covers this version: one held for its line from its issuer (downloaded with
    /// it, or renewed through the guard, which checks the budget against the subscription's own price).
    /// </summary>
    public bool Covers(Listing version) => For(version).Count > 0;
}
