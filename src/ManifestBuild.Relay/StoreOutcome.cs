namespace ManifestBuild.Relay;

/// <summary>What the store did with an event offered to it.</summary>
internal enum StoreOutcome
{
    /// <summary>Stored (and possibly replaced an older version); broadcast it.</summary>
    Stored,

    /// <summary>Ephemeral: not stored, but broadcast.</summary>
    Ephemeral,

    /// <summary>The same id is already stored.</summary>
    Duplicate,

    /// <summary>A newer version of this replaceable/addressable event is stored.</summary>
    Superseded,

    /// <summary>The author deleted this event (NIP-09) before it arrived.</summary>
    Deleted,
}
