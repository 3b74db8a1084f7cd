using ManifestBuild.TestSupport;

namespace ManifestBuild.Format.Tests;

/// <summary>The one file-replacing primitive every part uses (cache, lockfile, ledger, receipts, keys).</summary>
public sealed class AtomicFileTests
{
    [Fact]
    public void OwnerOnlyFilesAreCreatedReadableByTheOwnerAlone()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("receipts", "r.json");
        AtomicFile.WriteAllText(path, "{}\n", ownerOnly: true);
        Assert.Equal("{}\n", File.ReadAllText(path));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }
    }

    [Fact]
    public async Task ACancelledWriteLeavesTheOldContentAndNoTemporaryFile()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("dsrs.lock.json", "old\n");
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => AtomicFile.WriteAllTextAsync(path, "new\n", cancelled.Token));
        Assert.Equal("old\n", File.ReadAllText(path));
        Assert.Equal(["dsrs.lock.json"], Directory.GetFiles(dir.Path).Select(Path.GetFileName));
    }

    [Fact]
    public async Task WriteIfChangedLeavesAnIdenticalFileAlone()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("handover.tsv", "a\tb\n");
        var before = new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(path, before);
        Assert.False(await AtomicFile.WriteIfChangedAsync(path, "a\tb\n", CancellationToken.None));
        Assert.Equal(before, File.GetLastWriteTimeUtc(path));
        Assert.True(await AtomicFile.WriteIfChangedAsync(path, "a\tc\n", CancellationToken.None));
        Assert.Equal("a\tc\n", File.ReadAllText(path));
    }
}
