namespace ManifestBuild.Agent.Market;

/// <summary>What an agent wants: the same filters a &lt;DsrsManifest&gt; item takes, plus what a right decision is worth to it.</summary>
public sealed record AgentQuery
{
    /// <summary>The signature family (the listing's `k` tag), e.g. "complexity".</summary>
    public required string Family { get; init; }

    /// <summary>Every one of these must be on the listing.</summary>
    public IReadOnlyList<string> Domains { get; init; } = [];

    public double? MinAccuracy { get; init; }

    public long? MaxPriceMsat { get; init; }

    /// <summary>Allowed sellers (hex pubkeys); empty allows any.</summary>
    public IReadOnlyList<string> Sellers { get; init; } = [];

    /// <summary>The caller's estimate of what a correct decision is worth, msat: the default policy buys only below it.</summary>
    public long? ValueEstimateMsat { get; init; }
}
