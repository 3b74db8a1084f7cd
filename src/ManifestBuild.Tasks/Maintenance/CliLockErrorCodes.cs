namespace ManifestBuild.Tasks.Maintenance;

/// <summary>Codes of `dsrs lock | restore | outdated | update` (DSRS0910-0929); docs/msbuild-reference.md lists them.</summary>
public static class CliLockErrorCodes
{
    /// <summary>The project file cannot be read as MSBuild XML.</summary>
    public const string ProjectUnreadable = "DSRS0910";

    /// <summary>A DsrsManifest item needs MSBuild evaluation (a condition, a property, several names); build instead.</summary>
    public const string ProjectNotReadableWithoutMsBuild = "DSRS0911";

    /// <summary>No project was given and the current folder holds none or several.</summary>
    public const string NoProject = "DSRS0912";

    /// <summary>`dsrs update` named an item the project does not declare.</summary>
    public const string UnknownItem = "DSRS0913";
}
