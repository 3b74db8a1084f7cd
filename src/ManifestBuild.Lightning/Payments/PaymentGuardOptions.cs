namespace ManifestBuild.Lightning.Payments;

/// <summary>Tunables of the payment guard; the defaults suit a build paying through a real node.</summary>
public sealed class PaymentGuardOptions
{
    /// <summary>An invoice expiring sooner than this is refused (a payment takes time to route).</summary>
    public TimeSpan ExpirySafetyMargin { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>How long to keep tracking an in-flight payment before giving up for this run (it is never re-sent).</summary>
    public TimeSpan PendingWait { get; init; } = TimeSpan.FromSeconds(60);

    public TimeSpan PendingPollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a second buyer of the same manifest waits for the first.</summary>
    public TimeSpan LockTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The absolute fee cap when the request gives none: 1% of the amount, at least 5 sat.</summary>
    public Func<long, long> DefaultFeeCap { get; init; } = amountMsat => Math.Max(5_000, amountMsat / 100);

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Called at each durable step (tests use it to kill the process exactly there).</summary>
    public Func<PurchaseStep, CancellationToken, Task>? OnStep { get; init; }
}
