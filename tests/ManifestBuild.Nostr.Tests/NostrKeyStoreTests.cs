using ManifestBuild.Format;
using ManifestBuild.TestSupport;

namespace ManifestBuild.Nostr.Tests;

public class NostrKeyStoreTests
{
    [Fact]
    public void SavesOwnerOnlyAndLoadsTheSameKey()
    {
        using var home = new TempDirectory("nostr-keys");
        Assert.Null(NostrKeyStore.LoadOrNull(home.Path));
        Assert.Equal(NostrErrorCodes.KeyNotFound, Assert.Throws<DsrsException>(() => NostrKeyStore.Load(home.Path)).Code);

        var key = NostrKeyPair.Generate();
        var path = NostrKeyStore.Save(home.Path, key);
        Assert.Equal(NostrKeyStore.KeyPath(home.Path), path);
        Assert.Equal(key.PublicKeyHex, NostrKeyStore.Load(home.Path).PublicKeyHex);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(path)!));
        }

        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(path)!, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public void RefusesToOverwriteWithoutForce()
    {
        using var home = new TempDirectory("nostr-keys");
        var first = NostrKeyPair.Generate();
        NostrKeyStore.Save(home.Path, first);
        var e = Assert.Throws<DsrsException>(() => NostrKeyStore.Save(home.Path, NostrKeyPair.Generate()));
        Assert.Equal(NostrErrorCodes.KeyExists, e.Code);
        Assert.Equal(first.PublicKeyHex, NostrKeyStore.Load(home.Path).PublicKeyHex);

        var second = NostrKeyPair.Generate();
        NostrKeyStore.Save(home.Path, second, overwrite: true);
        Assert.Equal(second.PublicKeyHex, NostrKeyStore.Load(home.Path).PublicKeyHex);
    }

    [Fact]
    public void RefusesAKeyFileOthersCanRead()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        using var home = new TempDirectory("nostr-keys");
        var path = NostrKeyStore.Save(home.Path, NostrKeyPair.Generate());
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
        var e = Assert.Throws<DsrsException>(() => NostrKeyStore.Load(home.Path));
        Assert.Equal(NostrErrorCodes.KeyStorePermissions, e.Code);
        Assert.Contains("chmod 600", e.Message);
    }

    [Fact]
    public void DamagedFilesAreReportedWithoutTheSecret()
    {
        using var home = new TempDirectory("nostr-keys");
        var key = NostrKeyPair.Generate();
        var path = NostrKeyStore.Save(home.Path, key);

        File.WriteAllText(path, "{ not json");
        Assert.Equal(NostrErrorCodes.KeyStoreCorrupt, Assert.Throws<DsrsException>(() => NostrKeyStore.Load(home.Path)).Code);

        var mismatched = $"{{\"secret_key\":\"{key.ExportSecretHex()}\",\"public_key\":\"{NostrKeyPair.Generate().PublicKeyHex}\"}}";
        File.WriteAllText(path, mismatched);
        var e = Assert.Throws<DsrsException>(() => NostrKeyStore.Load(home.Path));
        Assert.Equal(NostrErrorCodes.KeyStoreCorrupt, e.Code);
        Assert.DoesNotContain(key.ExportSecretHex(), e.Message);

        File.WriteAllText(path, $"{{\"secret_key\":\"{new string('0', 64)}\"}}");
        Assert.Equal(NostrErrorCodes.KeyStoreCorrupt, Assert.Throws<DsrsException>(() => NostrKeyStore.Load(home.Path)).Code);
    }
}
