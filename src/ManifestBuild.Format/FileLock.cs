namespace ManifestBuild.Format;

/// <summary>
/// An exclusive OS file lock (FileShare.None: flock on Unix, a share-mode lock on Windows), held
/// across processes and released by the OS when the holder dies, even by SIGKILL.
/// </summary>
public sealed class FileLock : IDisposable
{
    private readonly FileStream stream;

    private FileLock(FileStream stream) => this.stream = stream;

    /// <summary>Waits for the lock up to the timeout; returns null when it stayed taken.</summary>
    public static async Task<FileLock?> TryAcquireAsync(string path, TimeSpan timeout, CancellationToken cancellationToken)
    {
        // Lock folders live next to what they guard (ledger/locks, $DSRS_HOME/locks): owner-only, so that
        // taking the first purchase lock does not create ledger/ readable by others.
        PrivateDirectory.Create(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var deadline = DateTime.UtcNow + timeout;
        var delay = 5;
        while (true)
        {
            try
            {
                return new FileLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                // Held by another process (or another purchase in this one): back off, bounded.
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                delay = Math.Min(delay * 2, 100);
            }
            catch (IOException)
            {
                return null;
            }
        }
    }

    public void Dispose() => stream.Dispose();
}
