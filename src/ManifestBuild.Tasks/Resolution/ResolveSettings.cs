using System.Globalization;
using ManifestBuild.Format;
using ManifestBuild.Nostr;
using ManifestBuild.Nostr.Relays;

namespace ManifestBuild.Tasks.Resolution;

/// <summary>The Dsrs* properties of one project's build, parsed and checked.</summary>
public sealed record ResolveSettings
{
    public IReadOnlyList<Uri> Relays { get; init; } = [];

    public long BudgetMsat { get; init; }

    public long MaxFeeMsat { get; init; }

    /// <summary>Sellers the project never pays (DsrsBlockedSellers, hex).</summary>
    public IReadOnlyList<string> BlockedSellers { get; init; } = [];

    public required string LockFilePath { get; init; }

    /// <summary>Drop lockfile entries of items no longer declared (a project's own lockfile, not a shared one).</summary>
    public bool PruneLockFile { get; init; }

    public bool LockedMode { get; init; }

    /// <summary>DSRS_NO_PAY is on: the build's budget is 0 and an item that must be paid is refused with DSRS0057.</summary>
    public bool NoPay { get; init; }

    /// <summary>IDE build: lockfile, cache and local files only; never a socket, never a payment, never a write but obj/.</summary>
    public bool DesignTime { get; init; }

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// DsrsCheckOutdated: after resolving, search the relays for each item its lock satisfied and say when a
    /// newer or higher-ranked version is listed. Searches only; the lock never moves (that is `dsrs update`).
    /// Off by default, so a satisfied build stays offline.
    /// </summary>
    public bool CheckOutdated { get; init; }

    /// <summary>Items to resolve again even though their lock entry satisfies them (`dsrs update`); never in locked mode.</summary>
    public IReadOnlySet<string> ResolveAgain { get; init; } = new HashSet<string>();

    /// <summary>obj/dsrs/: where the verified JSON handed to the generator is written.</summary>
    public required string IntermediateDirectory { get; init; }

    /// <summary>$DSRS_HOME (cache, ledger, receipts, config).</summary>
    public required string Home { get; init; }

    /// <summary>The environment as the build sees it (DSRS_NODE, DSRS_RECEIPTS...).</summary>
    public Func<string, string?> Environment { get; init; } = System.Environment.GetEnvironmentVariable;

    public static IReadOnlyList<Uri> ParseRelays(string? text)
    {
        var relays = new List<Uri>();
        foreach (var part in (text ?? string.Empty).Split([';', ',', ' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries))
        {
            Uri uri;
            try
            {
                uri = RelayUrl.Parse(part);
            }
            catch (DsrsException e)
            {
                // Credentials keep their own code (DSRS0341); any other malformed URL is a bad property value.
                throw new DsrsException(e.Code == NostrErrorCodes.RelayUrlCredentials ? e.Code : BuildErrorCodes.InvalidProperty, "DsrsRelays: " + e.Message);
            }

            if (!relays.Contains(uri))
            {
                relays.Add(uri);
            }
        }

        return relays;
    }

    public static long ParseNonNegative(string property, string? text, long fallback)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return fallback;
        }

        if (!long.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            throw new DsrsException(BuildErrorCodes.InvalidProperty, $"{property}: '{text}' is not a non-negative whole number");
        }

        return value;
    }
}
