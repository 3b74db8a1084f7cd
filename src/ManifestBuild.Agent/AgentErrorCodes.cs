namespace ManifestBuild.Agent;

/// <summary>The codes of the agent library (DSRS1250-1299): domain detection and buying at run time.</summary>
public static class AgentErrorCodes
{
    /// <summary>A domain table is not {"rules":[{tag, extensions?, files?, dependencies?, headers?}]}.</summary>
    public const string BadDomainTable = "DSRS1250";

    /// <summary>The directory to scan does not exist or is not a directory.</summary>
    public const string ScanRootMissing = "DSRS1251";

    /// <summary>A project file to add items to cannot be read as an MSBuild XML project.</summary>
    public const string ProjectUnreadable = "DSRS1252";
}
