using ManifestBuild.Format.Locking;

namespace ManifestBuild.Tasks.Resolution;

/// <summary>How one item will be resolved, decided once before anything runs.</summary>
public enum ResolveStep
{
    /// <summary>A local file (Path).</summary>
    Local,

    /// <summary>The lock entry satisfies the item: its content from the cache, else restored.</summary>
    UseLock,

    /// <summary>Search, select and (within the budget) buy; outside locked and design-time builds only.</summary>
    Acquire,

    /// <summary>A design-time build with no usable lock entry: nothing is handed over, nothing fetched.</summary>
    SkipInDesignTime,

    /// <summary>A locked build whose declaration the lock no longer satisfies: DSRS0030.</summary>
    Refuse,
}

/// <param name="Why">Why the lock entry is not used (not locked, or the constraint it misses); null when it is.</param>
public sealed record ItemPlan(DeclaredManifest Item, LockEntry? Locked, ResolveStep Step, string? Why)
{
    /// <summary>True when executing this plan searches the relays first (what the build prefetches).</summary>
    public bool Searches => Step == ResolveStep.Acquire;
}
