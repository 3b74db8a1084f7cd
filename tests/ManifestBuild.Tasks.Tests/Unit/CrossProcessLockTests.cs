using ManifestBuild.Format;
using ManifestBuild.Tasks.Resolution;
using ManifestBuild.TestSupport;

namespace ManifestBuild.Tasks.Tests.Unit;

public sealed class CrossProcessLockTests
{
    [Fact]
    public async Task ALockHeldTooLongByAnotherBuildHasItsOwnCodeNotLockfileIo()
    {
        using var home = new TempDirectory("dsrs-cross-lock");
        using var held = await CrossProcessLock.AcquireAsync(home.Path, "resolve", TimeSpan.FromSeconds(10), CancellationToken.None);

        // A second holder (another build) waits its whole, short, timeout and gives up.
        var e = await Assert.ThrowsAsync<DsrsException>(() => CrossProcessLock.AcquireAsync(home.Path, "resolve", TimeSpan.FromMilliseconds(200), CancellationToken.None));

        Assert.Equal(FormatErrorCodes.LockWaitTimeout, e.Code);
        Assert.NotEqual(FormatErrorCodes.LockFileIo, e.Code);
        Assert.Contains("resolve.lock", e.Message, StringComparison.Ordinal);
    }
}
