using System.Globalization;

namespace ManifestBuild.Format.Caching;

/// <summary>
/// The file side of a content-addressed cache entry, shared by the manifest and the dataset cache:
/// reading an entry while writers may replace it, moving a corrupt one to quarantine, and the
/// refusal that says so. Each cache keeps its own verification (what makes an entry valid differs).
/// </summary>
internal static class CacheEntryFile
{
    /// <summary>The entry's bytes, or null when there is none; <paramref name="entry"/> names it in a refusal ("cache entry").</summary>
    public static byte[]? ReadShared(string path, string entry)
    {
        try
        {
            // Share everything so a concurrent writer's rename or a quarantine never fails because of us.
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var memory = new MemoryStream();
            stream.CopyTo(memory);
            return memory.ToArray();
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DsrsException(FormatErrorCodes.CacheIo, "cannot read " + entry + " " + path + ": " + e.Message);
        }
    }

    /// <summary>Moves a corrupt entry aside and says so; null as the target when another process already moved it.</summary>
    public static DsrsException Quarantine(string path, string id, string quarantineDirectory, string entry, string reason)
    {
        var moved = Move(path, id, quarantineDirectory, entry);
        return new DsrsException(
            FormatErrorCodes.CacheEntryCorrupt,
            entry + " " + path + " is corrupt (" + reason + ")" + (moved is null ? "; another process already moved it" : "; moved to " + moved) + ", it will be fetched again");
    }

    private static string? Move(string path, string id, string quarantineDirectory, string entry)
    {
        try
        {
            Directory.CreateDirectory(quarantineDirectory);
            var target = Path.Combine(quarantineDirectory, id + "." + DateTime.UtcNow.ToString("yyyyMMddTHHmmssZ", CultureInfo.InvariantCulture) + "." + Guid.NewGuid().ToString("N")[..8] + ".json");
            File.Move(path, target);
            return target;
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DsrsException(FormatErrorCodes.CacheIo, entry + " " + path + " is corrupt and cannot be moved to quarantine: " + e.Message);
        }
    }
}
