namespace ManifestBuild.Lightning.Nodes;

/// <summary>Time limits for talking to a node. Defaults suit a real node; tests shorten them.</summary>
public sealed record NodeOptions
{
    /// <summary>Limit for a call that is not a payment (info, lookup, invoice creation).</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long the node itself may keep trying a payment (LND timeout_seconds, CLN retry_for).</summary>
    public TimeSpan PaymentTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Extra time we wait beyond <see cref="PaymentTimeout"/> before calling the payment Pending.</summary>
    public TimeSpan PaymentGrace { get; init; } = TimeSpan.FromSeconds(15);

    public static NodeOptions Default { get; } = new();
}
