using ManifestBuild.Format;

namespace ManifestBuild.Tasks.Resolution;

/// <summary>
/// A named lock shared by every process of the machine (parallel project builds, several MSBuild
/// nodes): an exclusively opened file in $DSRS_HOME/locks. The OS releases it if the process dies.
/// </summary>
public static class CrossProcessLock
{
    public static async Task<IDisposable> AcquireAsync(string home, string name, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var folder = Path.Combine(home, "locks");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, name + ".lock");
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                // Held by another build process: poll briefly (there is no cross-platform file-lock wait).
                await Task.Delay(50, cancellationToken).ConfigureAwait(false);
            }
            catch (IOException e)
            {
                throw new DsrsException(FormatErrorCodes.LockFileIo, $"another build held '{path}' for more than {timeout.TotalSeconds:0} s: {e.Message}");
            }
        }
    }
}
