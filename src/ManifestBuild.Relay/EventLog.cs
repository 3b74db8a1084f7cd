using System.Text;
using ManifestBuild.Format;

namespace ManifestBuild.Relay;

/// <summary>
/// The relay's data file: one accepted event's JSON per line, appended as events arrive and
/// replayed through the store at start (replacement and deletion re-apply themselves). The file
/// is held open exclusively, so two relays never write one directory. A line cut short by a crash
/// is skipped on replay and the file is truncated back to its last complete line.
/// </summary>
internal sealed class EventLog : IDisposable
{
    public const string FileName = "events.jsonl";

    private readonly FileStream stream;
    private readonly object writeGate = new();
    private bool disposed;

    private EventLog(string path, FileStream stream)
    {
        Path = path;
        this.stream = stream;
    }

    public string Path { get; }

    /// <summary>Opens (creating if needed) the data file in <paramref name="directory"/> and reads every complete line.</summary>
    public static EventLog Open(string directory, out List<string> lines)
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetFullPath(directory), FileName);
        FileStream stream;
        try
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
            stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1 << 16);
        }
        catch (IOException e)
        {
            throw new DsrsException(RelayErrorCodes.DataDirectoryUnavailable, $"cannot open the relay data file {path}: {e.Message} (is another relay using this directory?)", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new DsrsException(RelayErrorCodes.DataDirectoryUnavailable, $"cannot open the relay data file {path}: permission denied", e);
        }

        try
        {
            lines = ReadCompleteLines(stream, out var completeLength);
            if (completeLength < stream.Length)
            {
                // A crash mid-append left a partial line: drop it so the next append starts clean.
                stream.SetLength(completeLength);
            }

            stream.Seek(0, SeekOrigin.End);
            return new EventLog(path, stream);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>Appends one event line and hands it to the operating system before returning.</summary>
    public void Append(string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json + "\n");
        lock (writeGate)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            try
            {
                stream.Write(bytes);
                stream.Flush();
            }
            catch (IOException e)
            {
                throw new DsrsException(RelayErrorCodes.DataWriteFailed, $"cannot append to the relay data file {Path}: {e.Message}", e);
            }
        }
    }

    /// <summary>Replaces the file's content with exactly these lines (compaction after replay).</summary>
    public void Rewrite(IEnumerable<string> jsonLines)
    {
        lock (writeGate)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            try
            {
                stream.SetLength(0);
                using (var writer = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16, leaveOpen: true) { NewLine = "\n" })
                {
                    foreach (var line in jsonLines)
                    {
                        writer.WriteLine(line);
                    }
                }

                stream.Flush(flushToDisk: true);
            }
            catch (IOException e)
            {
                throw new DsrsException(RelayErrorCodes.DataWriteFailed, $"cannot compact the relay data file {Path}: {e.Message}", e);
            }
        }
    }

    public void Dispose()
    {
        lock (writeGate)
        {
            if (disposed)
            {
                return;
            }

            disposed = true;
            stream.Dispose();
        }
    }

    private static List<string> ReadCompleteLines(FileStream stream, out long completeLength)
    {
        stream.Seek(0, SeekOrigin.Begin);
        var lines = new List<string>();
        completeLength = 0;
        var buffer = new byte[1 << 16];
        var pending = new MemoryStream();
        long position = 0;
        int read;
        while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            var start = 0;
            for (var i = 0; i < read; i++)
            {
                if (buffer[i] != (byte)'\n')
                {
                    continue;
                }

                pending.Write(buffer, start, i - start);
                var line = Encoding.UTF8.GetString(pending.GetBuffer(), 0, (int)pending.Length);
                if (line.Length > 0)
                {
                    lines.Add(line);
                }

                pending.SetLength(0);
                start = i + 1;
                completeLength = position + i + 1;
            }

            pending.Write(buffer, start, read - start);
            position += read;
        }

        return lines;
    }
}
