namespace ManifestBuild.Format;

/// <summary>
/// Creates folders that hold secrets or payment records (receipts/, ledger/, l402/, keys/ under
/// $DSRS_HOME) owner-only, 0700 on Unix, as docs/security.md promises; the process umask would
/// otherwise make them 0755. Every folder it creates on the way is owner-only (.NET applies a create
/// mode to the last one only); folders that already exist keep their mode.
/// </summary>
public static class PrivateDirectory
{
    public const UnixFileMode Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    public static void Create(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
        }
        else
        {
            var full = Path.GetFullPath(path);
            var parent = Path.GetDirectoryName(full);
            if (parent is not null && !Directory.Exists(parent))
            {
                Create(parent);
            }

            Directory.CreateDirectory(full, Mode);
        }
    }
}
