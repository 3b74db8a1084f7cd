namespace ManifestBuild.Format;

/// <summary>
/// The user-level folder that holds the cache, keys, the purchase ledger and config:
/// <c>$DSRS_HOME</c>, else <c>~/.dsrs</c>. Never inside a repository.
/// </summary>
public static class DsrsHome
{
    public const string Variable = "DSRS_HOME";

    /// <summary>Resolves the folder from an environment lookup (injectable so tests run in parallel).</summary>
    public static string Resolve(Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var configured = environment(Variable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return Path.GetFullPath(configured);
        }

        return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".dsrs");
    }
}
