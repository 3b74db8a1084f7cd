using System.Security.Cryptography;
using ManifestBuild.Format;

namespace ManifestBuild.Market.L402;

/// <summary>
/// The seller's macaroon root key: 32 random bytes in <c>$DSRS_HOME/l402/root.key</c>, created on
/// first use with owner-only permissions. Whoever holds it can mint tokens, so it never leaves the home.
/// </summary>
public static class L402RootKey
{
    public static string PathIn(string home) => Path.Combine(home, "l402", "root.key");

    public static byte[] LoadOrCreate(string home)
    {
        var path = PathIn(home);
        if (File.Exists(path))
        {
            var bytes = File.ReadAllBytes(path);
            return bytes.Length == 32
                ? bytes
                : throw new DsrsException(MarketErrorCodes.RootKeyUnreadable, $"the L402 root key file {path} is not 32 bytes");
        }

        PrivateDirectory.Create(Path.GetDirectoryName(path)!);
        var key = RandomNumberGenerator.GetBytes(32);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        try
        {
            using var stream = new FileStream(path, options);
            stream.Write(key);
            return key;
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another process created it first: use theirs.
            return LoadOrCreate(home);
        }
    }
}
