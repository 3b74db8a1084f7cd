namespace ManifestBuild.Relay;

/// <summary>Stable error codes of the embedded relay (DSRS0350-0399).</summary>
public static class RelayErrorCodes
{
    /// <summary>An option of the embedded relay is out of range (port, limits, host).</summary>
    public const string InvalidOptions = "DSRS0350";

    /// <summary>The relay could not listen on the requested address (port in use, no permission).</summary>
    public const string BindFailed = "DSRS0351";

    /// <summary>The data directory cannot be created, read or locked (another relay uses it).</summary>
    public const string DataDirectoryUnavailable = "DSRS0352";

    /// <summary>An accepted event could not be appended to the data file.</summary>
    public const string DataWriteFailed = "DSRS0353";
}
