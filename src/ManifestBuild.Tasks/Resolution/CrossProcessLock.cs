using ManifestBuild.Format;

namespace ManifestBuild.Tasks.Resolution;

/// <summary>
/// A named lock shared by every process of the machine (parallel project builds, several MSBuild
/// nodes): a <see cref="FileLock"/> on $DSRS_HOME/locks/NAME.lock, released by the OS if the process dies.
/// </summary>
public static class CrossProcessLock
{
    public static async Task<IDisposable> AcquireAsync(string home, string name, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var path = Path.Combine(home, "locks", name + ".lock");
        return await FileLock.TryAcquireAsync(path, timeout, cancellationToken).ConfigureAwait(false)
            ?? throw new DsrsException(FormatErrorCodes.LockWaitTimeout, $"another build held '{path}' for more than {timeout.TotalSeconds:0} s");
    }
}
