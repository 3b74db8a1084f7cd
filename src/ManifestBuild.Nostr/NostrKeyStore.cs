using System.Text.Json;
using System.Text.Json.Nodes;
using ManifestBuild.Format;

namespace ManifestBuild.Nostr;

/// <summary>
/// The user's Nostr key in <c>$DSRS_HOME/keys/nostr.json</c>: the folder is owner-only (0700) and the
/// file owner-only (0600), created with those modes rather than fixed afterwards. A key file that
/// others can read is refused, as ssh refuses a world-readable private key.
/// </summary>
public static class NostrKeyStore
{
    public const string FolderName = "keys";
    public const string FileName = "nostr.json";

    private const UnixFileMode FolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OthersMask = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    public static string KeyPath(string home) => Path.Combine(home, FolderName, FileName);

    public static bool Exists(string home) => File.Exists(KeyPath(home));

    /// <summary>The stored key; DSRS0320 when there is none.</summary>
    public static NostrKeyPair Load(string home) =>
        LoadOrNull(home) ?? throw new DsrsException(NostrErrorCodes.KeyNotFound, $"no Nostr key in {KeyPath(home)}; create one with `dsrs key new` or `dsrs key import`");

    /// <summary>The stored key, or null when there is none; a damaged or exposed file is still an error.</summary>
    public static NostrKeyPair? LoadOrNull(string home)
    {
        var path = KeyPath(home);
        if (!File.Exists(path))
        {
            return null;
        }

        if (!OperatingSystem.IsWindows())
        {
            var mode = File.GetUnixFileMode(path);
            if ((mode & OthersMask) != 0)
            {
                throw new DsrsException(NostrErrorCodes.KeyStorePermissions, $"{path} is accessible to other users (mode {Convert.ToString((int)mode, 8)}); run `chmod 600 {path}`");
            }
        }

        string? secretHex;
        string? publicHex;
        try
        {
            var node = JsonNode.Parse(File.ReadAllText(path)) as JsonObject;
            secretHex = (string?)node?["secret_key"];
            publicHex = (string?)node?["public_key"];
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            throw new DsrsException(NostrErrorCodes.KeyStoreCorrupt, $"{path} is not a valid key file (JSON with secret_key and public_key)");
        }

        if (secretHex is null)
        {
            throw new DsrsException(NostrErrorCodes.KeyStoreCorrupt, $"{path} has no secret_key");
        }

        NostrKeyPair key;
        try
        {
            key = NostrKeyPair.FromSecretHex(secretHex);
        }
        catch (DsrsException)
        {
            throw new DsrsException(NostrErrorCodes.KeyStoreCorrupt, $"{path} holds a secret_key that is not a valid secp256k1 key");
        }

        if (publicHex is not null && !string.Equals(publicHex, key.PublicKeyHex, StringComparison.OrdinalIgnoreCase))
        {
            throw new DsrsException(NostrErrorCodes.KeyStoreCorrupt, $"{path}: public_key does not belong to secret_key");
        }

        return key;
    }

    /// <summary>Stores the key; refuses to replace an existing one unless <paramref name="overwrite"/>.</summary>
    public static string Save(string home, NostrKeyPair key, bool overwrite = false)
    {
        var folder = Path.Combine(home, FolderName);
        var path = KeyPath(home);
        if (File.Exists(path) && !overwrite)
        {
            throw new DsrsException(NostrErrorCodes.KeyExists, $"a Nostr key already exists in {path}; use --force to replace it (the old key is lost)");
        }

        CreateOwnerOnlyFolder(home);
        CreateOwnerOnlyFolder(folder);
        var json = new JsonObject
        {
            ["version"] = 1,
            ["public_key"] = key.PublicKeyHex,
            ["npub"] = Nip19.EncodeNpub(key.PublicKeyHex),
            ["secret_key"] = key.ExportSecretHex(),
            ["created_at"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
        }.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";

        // Write a new owner-only file and move it into place, so a crash never leaves half a key.
        var temp = Path.Combine(folder, $".{FileName}.{Guid.NewGuid():N}.tmp");
        var options = new FileStreamOptions { Mode = System.IO.FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = FileMode;
        }

        try
        {
            using (var stream = new FileStream(temp, options))
            using (var writer = new StreamWriter(stream))
            {
                writer.Write(json);
            }

            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }

        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, FileMode);
        }

        return path;
    }

    private static void CreateOwnerOnlyFolder(string folder)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(folder);
            return;
        }

        if (!Directory.Exists(folder))
        {
            Directory.CreateDirectory(folder, FolderMode);
        }

        // The keys folder itself must be private; $DSRS_HOME is left as the user made it unless we created it.
        if (Path.GetFileName(folder) == FolderName)
        {
            File.SetUnixFileMode(folder, FolderMode);
        }
    }
}
