using System.IO.Compression;
using System.Text;

namespace ManifestBuild.Tasks.Tests.Support;

/// <summary>Reads a .binlog (a gzip stream of MSBuild's binary events) so a test can search its strings.</summary>
public static class BinaryLog
{
    public static string ReadText(string path)
    {
        using var file = File.OpenRead(path);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var memory = new MemoryStream();
        gzip.CopyTo(memory);
        // Strings are UTF-8 with length prefixes; Latin-1 keeps every byte so ASCII secrets stay searchable.
        return Encoding.Latin1.GetString(memory.ToArray());
    }
}
