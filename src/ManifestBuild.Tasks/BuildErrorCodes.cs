namespace ManifestBuild.Tasks;

/// <summary>The build's codes (DSRS0001-0099). Stable once released; docs/msbuild-reference.md lists them.</summary>
public static class BuildErrorCodes
{
    /// <summary>Resolution failed with an unexpected error (a bug or an environment fault); the message names it.</summary>
    public const string Unexpected = "DSRS0001";

    /// <summary>This MSBuild host cannot run the tasks (Visual Studio before MSBuild 18 / .NET Framework).</summary>
    public const string UnsupportedHost = "DSRS0002";

    /// <summary>A DsrsManifest item's name is not a valid C# identifier.</summary>
    public const string InvalidItemName = "DSRS0010";

    /// <summary>A numeric item metadata (MinAccuracy, MaxPriceMsat) is not a number in range.</summary>
    public const string InvalidItemNumber = "DSRS0011";

    /// <summary>The Seller metadata is neither an npub nor 64 hex digits.</summary>
    public const string InvalidSeller = "DSRS0012";

    /// <summary>The CompiledId metadata is not 64 lowercase hex digits.</summary>
    public const string InvalidCompiledIdPin = "DSRS0013";

    /// <summary>An item names neither Path, Family nor CompiledId: nothing to resolve it by.</summary>
    public const string NothingToResolveBy = "DSRS0014";

    /// <summary>A Dsrs* property (budget, fee, timeout, relays) has an invalid value.</summary>
    public const string InvalidProperty = "DSRS0015";

    /// <summary>Two DsrsManifest items have the same name.</summary>
    public const string DuplicateItem = "DSRS0016";

    /// <summary>The local manifest file named by Path does not exist or cannot be read.</summary>
    public const string LocalFileMissing = "DSRS0020";

    /// <summary>The local manifest's compiled_id differs from the item's CompiledId pin.</summary>
    public const string LocalPinMismatch = "DSRS0021";

    /// <summary>Locked mode: the declared items no longer match the lockfile (added, or pin/seller/price changed).</summary>
    public const string LockedDeclarationsChanged = "DSRS0030";

    /// <summary>Locked mode (or any restore): content does not hash to the locked compiled_id.</summary>
    public const string LockedContentMismatch = "DSRS0031";

    /// <summary>Locked mode: the locked content is not cached, not listed free and has no stored receipt.</summary>
    public const string LockedContentUnavailable = "DSRS0032";

    /// <summary>A manifest must come from the market but DsrsRelays is empty.</summary>
    public const string NoRelays = "DSRS0040";

    /// <summary>No configured relay answered the search (all down, refused or timed out).</summary>
    public const string RelaysUnreachable = "DSRS0041";

    /// <summary>Resolution did not finish within DsrsResolveTimeout.</summary>
    public const string ResolveTimeout = "DSRS0043";

    // DSRS0044 (over budget) is retired: every over-budget refusal is the payment guard's DSRS0473.

    /// <summary>A hand-over file in obj/ is missing or malformed (run a full build again).</summary>
    public const string HandOverCorrupt = "DSRS0050";

    /// <summary>Content hashes to the lock entry's compiled_id but declares another signature_name than the entry.</summary>
    public const string LockedSignatureMismatch = "DSRS0051";

    /// <summary>The lock entry's address is not the listing of its compiled_id.</summary>
    public const string LockedAddressMismatch = "DSRS0052";

    /// <summary>The lock entry's address names another seller than its seller member.</summary>
    public const string LockedSellerMismatch = "DSRS0053";

    /// <summary>A DsrsBundle item is malformed: no Name or BundleId, a bad value, or a name that is not a class-name prefix.</summary>
    public const string InvalidBundleItem = "DSRS0080";

    /// <summary>A bundle member's generated class name collides with another item's.</summary>
    public const string BundleMemberNameCollision = "DSRS0081";

    /// <summary>A locked bundle member is not in the cache and cannot be restored with the bundle's receipt; locked mode never pays.</summary>
    public const string LockedBundleUnavailable = "DSRS0082";

    /// <summary>Not a failure: this build bought a manifest (a warning so that every logger, the terminal logger too, shows it).</summary>
    public const string ManifestBought = "DSRS0055";

    /// <summary>Not a failure: the summary line of a build that paid (a warning, like DSRS0055, so the terminal logger shows it).</summary>
    public const string PaidBuildSummary = "DSRS0056";

    /// <summary>The no-pay switch (DSRS_NO_PAY) is on and the item would have to be paid: nothing was paid.</summary>
    public const string NoPay = "DSRS0057";

    /// <summary>A DsrsDataset item's metadata is not valid (no Family, or manifest-only metadata such as Path).</summary>
    public const string InvalidDatasetItem = "DSRS0091";

    /// <summary>A locked DsrsDataset is not in the cache, not listed free and has no receipt: locked mode never pays.</summary>
    public const string LockedDatasetUnavailable = "DSRS0092";

    /// <summary>A DsrsDataset is not in the lockfile (or no longer satisfies it) and locked mode never resolves again.</summary>
    public const string LockedDatasetChanged = "DSRS0093";

    /// <summary>The dataset hand-over file in obj/dsrs is missing or names a missing file: build again.</summary>
    public const string DatasetHandOverCorrupt = "DSRS0094";
}
