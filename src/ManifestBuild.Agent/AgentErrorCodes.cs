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

    /// <summary>AgentMarketOptions or an AgentQuery is not usable (no relay, a negative limit, a period of zero).</summary>
    public const string InvalidAgentOptions = "DSRS1253";

    /// <summary>The no-pay switch (DSRS_NO_PAY=1 or AgentMarketOptions.NoPay) is on and the manifest would have to be paid.</summary>
    public const string NoPay = "DSRS1254";

    /// <summary>The purchase policy skipped the selected listing (its reason is in the message).</summary>
    public const string PolicySkipped = "DSRS1255";

    /// <summary>The price does not fit in what is left of the per-period budget of this DSRS_HOME.</summary>
    public const string OverPeriodBudget = "DSRS1256";

    /// <summary>The price is above the agent's per-purchase maximum.</summary>
    public const string OverPurchaseMaximum = "DSRS1257";

    /// <summary>No relay answered the agent's search.</summary>
    public const string RelaysUnreachable = "DSRS1258";

    /// <summary>Another process held the home's budget lock for longer than the lock timeout.</summary>
    public const string BudgetLockTimeout = "DSRS1259";

    /// <summary>A version that arrived on a followed line has another field schema or signature than the one in use: refused, the one in use stays.</summary>
    public const string LineVersionRefused = "DSRS1260";

    /// <summary>A version that arrived on a followed line could not be downloaded with the subscription (it expired before the version: subscribe again to renew; or the seller refused).</summary>
    public const string LineVersionNotDelivered = "DSRS1261";

    /// <summary>A line is followed without a held subscription to it from that seller: subscribe first.</summary>
    public const string NotSubscribed = "DSRS1262";
}
