using System.Runtime.InteropServices;
using System.Text;

namespace ManifestBuild.Format;

/// <summary>
/// The one way ManifestBuild replaces a file (cache entries, the lockfile, the build's hand-over,
/// the purchase ledger, dev-node records, keys): write a unique temp file beside the target, fsync it,
/// rename it over the target, fsync the folder. A reader, a cancelled build or a process killed at any
/// moment sees the old content or the new, never a part; after the call the new content is on disk.
/// </summary>
public static class AtomicFile
{
    private static readonly UTF8Encoding Utf8NoBom = new(false, true);

    /// <summary>Writes UTF-8 without a BOM. <paramref name="ownerOnly"/> creates the file 0600 (receipts, keys).</summary>
    public static void WriteAllText(string path, string text, bool ownerOnly = false) => WriteAllBytes(path, Utf8NoBom.GetBytes(text), ownerOnly);

    public static void WriteAllBytes(string path, byte[] bytes, bool ownerOnly = false)
    {
        var (full, temp) = Prepare(path, ownerOnly);
        try
        {
            using (var stream = CreateTemp(temp, ownerOnly))
            {
                stream.Write(bytes, 0, bytes.Length);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            DeleteIfLeft(temp);
        }

        SyncDirectory(Path.GetDirectoryName(full)!);
    }

    /// <summary>The same, cancellable up to the rename: a cancelled call leaves the target untouched and no temp file.</summary>
    public static async Task WriteAllTextAsync(string path, string text, CancellationToken cancellationToken, bool ownerOnly = false)
    {
        var (full, temp) = Prepare(path, ownerOnly);
        try
        {
            await using (var stream = CreateTemp(temp, ownerOnly))
            {
                await stream.WriteAsync(Utf8NoBom.GetBytes(text), cancellationToken).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }

            cancellationToken.ThrowIfCancellationRequested();
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            DeleteIfLeft(temp);
        }

        SyncDirectory(Path.GetDirectoryName(full)!);
    }

    /// <summary>Writes only when the content differs, so that timestamps (and MSBuild's Inputs/Outputs) stay put. True when it wrote.</summary>
    public static async Task<bool> WriteIfChangedAsync(string path, string text, CancellationToken cancellationToken)
    {
        if (File.Exists(path) && string.Equals(await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false), text, StringComparison.Ordinal))
        {
            return false;
        }

        await WriteAllTextAsync(path, text, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Appends one line and fsyncs it (append-only logs).</summary>
    public static void AppendLine(string path, string line)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        using var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
        stream.Write(Utf8NoBom.GetBytes(line + "\n"));
        stream.Flush(flushToDisk: true);
    }

    private static (string Full, string Temp) Prepare(string path, bool ownerOnly)
    {
        var full = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(full)!;

        // An owner-only file's folder is created owner-only too (receipts/, ledger/).
        if (ownerOnly)
        {
            PrivateDirectory.Create(directory);
        }
        else
        {
            Directory.CreateDirectory(directory);
        }

        return (full, Path.Combine(directory, "." + Path.GetFileName(full) + "." + Guid.NewGuid().ToString("N") + ".tmp"));
    }

    private static FileStream CreateTemp(string temp, bool ownerOnly)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (ownerOnly && !OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        return new FileStream(temp, options);
    }

    private static void DeleteIfLeft(string temp)
    {
        if (File.Exists(temp))
        {
            File.Delete(temp);
        }
    }

    /// <summary>Makes the rename durable: on Linux and macOS a folder's entries are durable only after fsync on the folder.</summary>
    private static void SyncDirectory(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var fd = NativeMethods.open(directory, 0 /* O_RDONLY */);
        if (fd < 0)
        {
            return;
        }

        try
        {
            NativeMethods.fsync(fd);
        }
        finally
        {
            NativeMethods.close(fd);
        }
    }

    private static class NativeMethods
    {
        [DllImport("libc", SetLastError = true)]
        public static extern int open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

        [DllImport("libc", SetLastError = true)]
        public static extern int fsync(int fd);

        [DllImport("libc", SetLastError = true)]
        public static extern int close(int fd);
    }
}
