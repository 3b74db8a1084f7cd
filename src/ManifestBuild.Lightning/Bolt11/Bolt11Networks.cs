namespace ManifestBuild.Lightning.Bolt11;

/// <summary>The currency prefixes BOLT #11 defines and the chain parameters of their fallback addresses.</summary>
public static class Bolt11Networks
{
    public const string Bitcoin = "bitcoin";
    public const string Testnet = "testnet";
    public const string Signet = "signet";
    public const string Regtest = "regtest";

    // Longest prefixes first: "lnbcrt" must not be read as "lnbc" and "lntbs" not as "lntb".
    private static readonly (string Prefix, string Network, string SegwitHrp, byte P2pkh, byte P2sh)[] Table =
    [
        ("lnbcrt", Regtest, "bcrt", 0x6f, 0xc4),
        ("lntbs", Signet, "tb", 0x6f, 0xc4),
        ("lntb", Testnet, "tb", 0x6f, 0xc4),
        ("lnbc", Bitcoin, "bc", 0x00, 0x05),
    ];

    /// <summary>Splits an hrp into (prefix, network, amount text); null when no known prefix matches.</summary>
    internal static (string Prefix, string Network, string Amount)? Match(string hrp)
    {
        foreach (var row in Table)
        {
            if (hrp.StartsWith(row.Prefix, StringComparison.Ordinal))
            {
                var rest = hrp[row.Prefix.Length..];
                if (rest.Length == 0 || char.IsAsciiDigit(rest[0]))
                {
                    return (row.Prefix, row.Network, rest);
                }
            }
        }

        return null;
    }

    /// <summary>The invoice prefix of a network name ("bitcoin", "mainnet", "testnet", "signet", "regtest").</summary>
    public static string PrefixOf(string network) => Normalize(network) switch
    {
        Bitcoin => "lnbc",
        Testnet => "lntb",
        Signet => "lntbs",
        Regtest => "lnbcrt",
        _ => throw new ArgumentException($"unknown network '{network}'", nameof(network)),
    };

    /// <summary>Maps common spellings ("mainnet", "main", "testnet3") to the BOLT #11 names; unknown names pass through lowercased.</summary>
    public static string Normalize(string network) => network.Trim().ToLowerInvariant() switch
    {
        "bitcoin" or "mainnet" or "main" or "bc" => Bitcoin,
        "testnet" or "testnet3" or "testnet4" or "test" => Testnet,
        "signet" => Signet,
        "regtest" => Regtest,
        var other => other,
    };

    internal static (string SegwitHrp, byte P2pkh, byte P2sh) AddressParameters(string network)
    {
        foreach (var row in Table)
        {
            if (row.Network == network)
            {
                return (row.SegwitHrp, row.P2pkh, row.P2sh);
            }
        }

        throw new ArgumentException($"unknown network '{network}'", nameof(network));
    }
}
