using ManifestBuild.TestSupport;

namespace ManifestBuild.Format.Tests;

/// <summary>Folders holding receipts, payment records and keys are created owner-only (docs/security.md).</summary>
public sealed class PrivateDirectoryTests
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    [Fact]
    public async Task OwnerOnlyFilesAndFileLocksCreateEveryMissingFolderOwnerOnly()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        using var dir = new TempDirectory();
        AtomicFile.WriteAllText(dir.Combine("home", "receipts", "r.json"), "{}\n", ownerOnly: true);
        using (await FileLock.TryAcquireAsync(dir.Combine("home", "ledger", "locks", "x.lock"), TimeSpan.FromSeconds(5), CancellationToken.None))
        {
        }

        AtomicFile.WriteAllText(dir.Combine("home", "cache", "c.json"), "{}\n");

        foreach (var folder in new[] { "home", "home/receipts", "home/ledger", "home/ledger/locks" })
        {
            Assert.Equal(OwnerOnly, File.GetUnixFileMode(dir.Combine(folder.Split('/'))));
        }

        Assert.NotEqual(OwnerOnly, File.GetUnixFileMode(dir.Combine("home", "cache")));
    }
}
