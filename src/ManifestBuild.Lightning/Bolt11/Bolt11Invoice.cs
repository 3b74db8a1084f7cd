namespace ManifestBuild.Lightning.Bolt11;

/// <summary>A decoded, signature-checked BOLT #11 invoice. Hex values are lowercase.</summary>
public sealed record Bolt11Invoice
{
    /// <summary>The invoice text as given (trimmed, without a "lightning:" prefix).</summary>
    public required string Bolt11 { get; init; }

    /// <summary>"bitcoin", "testnet", "signet" or "regtest" (the names NodeInfo uses).</summary>
    public required string Network { get; init; }

    /// <summary>The currency prefix: lnbc, lntb, lntbs or lnbcrt.</summary>
    public required string Prefix { get; init; }

    /// <summary>Millisatoshis requested; null for an "any amount" invoice.</summary>
    public long? AmountMsat { get; init; }

    public required DateTimeOffset Timestamp { get; init; }

    /// <summary>The `x` field, 3600 seconds when absent.</summary>
    public required TimeSpan Expiry { get; init; }

    public DateTimeOffset ExpiresAt => Timestamp + Expiry;

    public required string PaymentHash { get; init; }

    public string? PaymentSecret { get; init; }

    public string? Description { get; init; }

    public string? DescriptionHash { get; init; }

    /// <summary>The payee's node id (33-byte compressed key), from `n` or recovered from the signature.</summary>
    public required string Payee { get; init; }

    /// <summary>True when the payee came from an `n` field (and the signature was verified against it).</summary>
    public bool PayeeFromField { get; init; }

    /// <summary>The `c` field, 18 when absent.</summary>
    public int MinFinalCltvExpiry { get; init; } = 18;

    /// <summary>The set feature bits of the `9` field, ascending.</summary>
    public IReadOnlyList<int> Features { get; init; } = [];

    /// <summary>One list of hops per `r` field.</summary>
    public IReadOnlyList<IReadOnlyList<RouteHintHop>> RouteHints { get; init; } = [];

    public IReadOnlyList<FallbackAddress> Fallbacks { get; init; } = [];

    /// <summary>The `m` field (payment metadata), hex.</summary>
    public string? Metadata { get; init; }

    /// <summary>The 64-byte compact signature (r || s), hex, and its recovery id.</summary>
    public required string Signature { get; init; }

    public int RecoveryId { get; init; }

    public bool IsExpired(DateTimeOffset now) => now >= ExpiresAt;
}

/// <summary>One hop of an `r` field (BOLT #7 channel_update values).</summary>
public sealed record RouteHintHop(string Pubkey, string ShortChannelId, uint FeeBaseMsat, uint FeeProportionalMillionths, ushort CltvExpiryDelta);

/// <summary>An `f` field: version 0-16 (witness), 17 (P2PKH) or 18 (P2SH), the program hex, and the address it spells.</summary>
public sealed record FallbackAddress(int Version, string Program, string? Address);
