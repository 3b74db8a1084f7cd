using ManifestBuild.Format;
using ManifestBuild.Format.Json;
using ManifestBuild.Lightning.Payments;
using ManifestBuild.Nostr;

namespace ManifestBuild.Market.Buying;

/// <summary>Why a seller is not paid: a proven fraud in the ledger, the user's own block, or the project's list.</summary>
public sealed record BlockedSeller(string Seller, string Source, string Reason, string? PaymentHash)
{
    /// <summary>For a payment the seller never delivered: the manifest whose delivery is retried (pin it to retry it).</summary>
    public string? UndeliveredCompiledId { get; init; }

    /// <summary>One line for a log or an error: what happened and how to clear it.</summary>
    public string Describe() => Source switch
    {
        SellerStanding.FromFraud => $"seller {Seller} is blocked: payment {PaymentHash} was a proven fraud ({UntrustedText.Neutralise(Reason)}); `dsrs sellers unblock {Seller}` clears it"
            + (UndeliveredCompiledId is null ? string.Empty : $"; it was never delivered: its receipt is kept and a build pinned to CompiledId {UndeliveredCompiledId} retries the delivery without paying"),
        SellerStanding.FromProject => $"seller {Seller} is blocked by the project's DsrsBlockedSellers",
        _ => $"seller {Seller} is blocked by the user ({UntrustedText.Neutralise(Reason)}); `dsrs sellers unblock {Seller}` clears it",
    };
}

/// <summary>The blocked sellers at one moment: what selection skips and what the acquirer never pays.</summary>
public sealed class BlockedSellers
{
    public static readonly BlockedSellers None = new(new Dictionary<string, BlockedSeller>(StringComparer.Ordinal));

    private readonly IReadOnlyDictionary<string, BlockedSeller> bySeller;

    internal BlockedSellers(IReadOnlyDictionary<string, BlockedSeller> bySeller) => this.bySeller = bySeller;

    public IReadOnlyCollection<BlockedSeller> All => bySeller.Values.OrderBy(b => b.Seller, StringComparer.Ordinal).ToList();

    public BlockedSeller? Find(string sellerPubKey) => bySeller.GetValueOrDefault(sellerPubKey.ToLowerInvariant());
}

/// <summary>
/// The buyer's standing of sellers, kept beside the purchase ledger. A seller is blocked when the ledger
/// holds a proven fraud of theirs (paid, then content that did not hash, a refusal, or no delivery within
/// the retry policy) that the user has not forgiven, or when the user blocked them
/// (<c>dsrs sellers block</c>), or when the project lists them (DsrsBlockedSellers). The user's decisions
/// live in <c>$DSRS_HOME/ledger/sellers/&lt;pubkey&gt;.json</c>; frauds are read from the ledger itself, so
/// a fraud recorded by any process blocks the seller for every later build, update and agent.
/// </summary>
public sealed class SellerStanding
{
    public const string FromFraud = "fraud";
    public const string FromUser = "user";
    public const string FromProject = "project";

    private readonly string home;

    private SellerStanding(string home)
    {
        this.home = home;
        Directory = Path.Combine(home, "ledger", "sellers");
    }

    public string Directory { get; }

    public static SellerStanding ForHome(string home) => new(home);

    /// <summary>Who is blocked now (ledger frauds not forgiven, the user's blocks, and the project's list).</summary>
    public BlockedSellers Load(IEnumerable<string>? projectBlocked = null)
    {
        var result = new Dictionary<string, BlockedSeller>(StringComparer.Ordinal);
        foreach (var seller in projectBlocked ?? [])
        {
            result[seller] = new BlockedSeller(seller, FromProject, "DsrsBlockedSellers", null);
        }

        var decisions = new Dictionary<string, Decision>(StringComparer.Ordinal);
        Decision DecisionFor(string seller) => decisions.TryGetValue(seller, out var d) ? d : decisions[seller] = ReadDecision(seller);
        foreach (var fraud in PurchaseLedger.ForHome(home).List().Where(r => r.Fraud && r.Seller is not null).OrderBy(r => r.CreatedAt))
        {
            var seller = fraud.Seller!.ToLowerInvariant();
            if (!result.ContainsKey(seller) && !DecisionFor(seller).Forgiven.Contains(fraud.PaymentHash))
            {
                result[seller] = new BlockedSeller(seller, FromFraud, fraud.FraudReason ?? "fraud", fraud.PaymentHash) { UndeliveredCompiledId = fraud.IsUndeliveredFraud ? fraud.CompiledId : null };
            }
        }

        if (System.IO.Directory.Exists(Directory))
        {
            foreach (var file in System.IO.Directory.EnumerateFiles(Directory, "*.json"))
            {
                var seller = Path.GetFileNameWithoutExtension(file);
                if (IsPubKey(seller) && DecisionFor(seller) is { BlockedReason: { } reason } && !result.ContainsKey(seller))
                {
                    result[seller] = new BlockedSeller(seller, FromUser, reason, null);
                }
            }
        }

        return new BlockedSellers(result);
    }

    /// <summary>Blocks a seller by the user's decision, until <see cref="Unblock"/>.</summary>
    public void Block(string sellerPubKey, string reason)
    {
        var seller = Normalize(sellerPubKey);
        Write(seller, ReadDecision(seller) with { BlockedReason = reason.Length == 0 ? "blocked by the user" : reason });
    }

    /// <summary>Clears the user's block and forgives the seller's frauds so far; returns how many frauds were forgiven.</summary>
    public int Unblock(string sellerPubKey)
    {
        var seller = Normalize(sellerPubKey);
        var frauds = PurchaseLedger.ForHome(home).List().Where(r => r.Fraud && string.Equals(r.Seller, seller, StringComparison.OrdinalIgnoreCase)).Select(r => r.PaymentHash);
        var decision = ReadDecision(seller);
        var forgiven = decision.Forgiven.Union(frauds, StringComparer.Ordinal).ToHashSet(StringComparer.Ordinal);
        Write(seller, new Decision(null, forgiven));
        return forgiven.Count - decision.Forgiven.Count;
    }

    /// <summary>A seller given as 64 hex, npub, nprofile or nostr: URI (<see cref="NostrPublicKey"/>), as lowercase hex; DSRS0546 otherwise.</summary>
    public static string Normalize(string text) =>
        NostrPublicKey.TryParse(text, out var key, out var error) ? key.Hex : throw new DsrsException(MarketErrorCodes.InvalidSeller, "the seller " + error);

    /// <summary>A project's list (DsrsBlockedSellers): npubs or hex keys separated by ';', ',' or white space.</summary>
    public static IReadOnlyList<string> ParseList(string? text) =>
        (text ?? string.Empty).Split([';', ',', ' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries).Select(Normalize).Distinct(StringComparer.Ordinal).ToList();

    private static bool IsPubKey(string text) => Hex.IsLowerHex(text, 32);

    private Decision ReadDecision(string seller)
    {
        var path = Path.Combine(Directory, seller + ".json");
        if (!File.Exists(path))
        {
            return Decision.Empty;
        }

        try
        {
            var o = JsonParser.Parse(File.ReadAllText(path)) as JsonObject;
            var forgiven = o?["forgiven"] is JsonArray list ? list.Select(v => v.AsString()).OfType<string>().ToHashSet(StringComparer.Ordinal) : new HashSet<string>(StringComparer.Ordinal);
            return new Decision(o?.GetString("blocked"), forgiven);
        }
        catch (DsrsException)
        {
            // An unreadable decision must not unblock anyone: treat it as the user's block.
            return Decision.Empty with { BlockedReason = $"the standing file {path} is unreadable" };
        }
    }

    private void Write(string seller, Decision decision)
    {
        var o = new JsonObject().Add("seller", seller);
        if (decision.BlockedReason is not null)
        {
            o.Add("blocked", decision.BlockedReason);
        }

        o.Add("forgiven", JsonArray.OfStrings(decision.Forgiven.Order(StringComparer.Ordinal)));
        AtomicFile.WriteAllText(Path.Combine(Directory, seller + ".json"), JsonWriter.WriteFile(o), ownerOnly: true);
    }

    private sealed record Decision(string? BlockedReason, IReadOnlySet<string> Forgiven)
    {
        public static readonly Decision Empty = new(null, new HashSet<string>(StringComparer.Ordinal));
    }
}
