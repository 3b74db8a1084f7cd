using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using ManifestBuild.Format;

namespace ManifestBuild.Agent.Domains;

/// <summary>The bounds of one scan: a hostile tree costs at most this much.</summary>
public sealed record DomainDetectorOptions
{
    /// <summary>Entries (files and folders) looked at before the scan stops and says it was truncated.</summary>
    public int MaxEntries { get; init; } = 20_000;

    public int MaxDepth { get; init; } = 24;

    /// <summary>Bytes read from one build or source file (a 1 GB requirements.txt costs this much).</summary>
    public int MaxBytesPerFile { get; init; } = 256 * 1024;

    /// <summary>Bytes read in the whole scan.</summary>
    public long MaxBytesTotal { get; init; } = 16L * 1024 * 1024;

    /// <summary>C and C++ sources read for #include markers.</summary>
    public int MaxSourcesRead { get; init; } = 500;

    /// <summary>The least score a domain needs to be reported (one file of a language is noise).</summary>
    public int MinScore { get; init; } = 3;

    public DomainRules Rules { get; init; } = DomainRules.Default;
}

/// <summary>A detected domain tag, its score and why (sorted by score, then tag).</summary>
public sealed record DetectedDomain(string Tag, int Score, IReadOnlyList<string> Evidence);

/// <summary>What a scan found, and whether a limit cut it short.</summary>
public sealed record DomainReport(IReadOnlyList<DetectedDomain> Domains, int EntriesScanned, string? TruncatedBy)
{
    public IReadOnlyList<string> Tags => [.. Domains.Select(d => d.Tag)];
}

/// <summary>
/// Finds the domain tags of a repository from its files: languages from extensions and build files,
/// domains from dependencies, marker files and C/C++ headers, all through one table
/// (<see cref="DomainRules"/>). Bounded (entries, depth, bytes), deterministic (sorted walk and
/// output), and safe on hostile trees: symbolic links are never followed, vendored and build output
/// folders and what the root <c>.gitignore</c> names are skipped.
/// </summary>
public static partial class DomainDetector
{
    private const int MarkerWeight = 10;
    private const int DependencyWeight = 20;
    private const int HeaderWeight = 10;

    private static readonly HashSet<string> SkippedFolders = new(StringComparer.Ordinal)
    {
        ".git", ".hg", ".svn", "bin", "obj", "node_modules", "vendor", "third_party", "third-party", "external", "target", "dist",
        "build", "out", ".venv", "venv", "__pycache__", ".tox", ".mypy_cache", ".pytest_cache", "Pods", ".idea", ".vs", ".gradle",
    };

    private static readonly HashSet<string> SourceExtensions = new(StringComparer.OrdinalIgnoreCase) { ".c", ".h", ".cpp", ".cc", ".cxx", ".hpp", ".hh" };

    public static DomainReport Detect(string root, DomainDetectorOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new DomainDetectorOptions();
        var top = new DirectoryInfo(Path.GetFullPath(root));
        if (!top.Exists)
        {
            throw new DsrsException(AgentErrorCodes.ScanRootMissing, $"{root}: no such directory to scan");
        }

        var scan = new Scan(options, GitIgnore.Load(top.FullName), cancellationToken);
        scan.Walk(top, "", 0);
        return scan.Report();
    }

    private sealed class Scan(DomainDetectorOptions options, GitIgnore ignore, CancellationToken ct)
    {
        private readonly Dictionary<string, int> scores = new(StringComparer.Ordinal);
        private readonly Dictionary<string, SortedDictionary<string, int>> evidence = new(StringComparer.Ordinal);
        private int entries;
        private long bytesRead;
        private int sourcesRead;
        private string? truncatedBy;

        public void Walk(DirectoryInfo dir, string relative, int depth)
        {
            if (depth > options.MaxDepth)
            {
                truncatedBy ??= $"depth over {options.MaxDepth}";
                return;
            }

            FileSystemInfo[] children;
            try
            {
                children = dir.GetFileSystemInfos();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return; // unreadable: nothing to learn there
            }

            foreach (var child in children.OrderBy(c => c.Name, StringComparer.Ordinal))
            {
                ct.ThrowIfCancellationRequested();
                if (++entries > options.MaxEntries)
                {
                    truncatedBy ??= $"more than {options.MaxEntries.ToString("N0", CultureInfo.InvariantCulture)} entries";
                    return;
                }

                // Never follow a link: a loop, or a way out of the repository.
                if (child.LinkTarget is not null || child.Attributes.HasFlag(FileAttributes.ReparsePoint))
                {
                    continue;
                }

                var path = relative.Length == 0 ? child.Name : relative + "/" + child.Name;
                if (child is DirectoryInfo sub)
                {
                    if (!SkippedFolders.Contains(sub.Name) && !ignore.Ignores(path, directory: true))
                    {
                        Walk(sub, path, depth + 1);
                    }
                }
                else if (child is FileInfo file && !ignore.Ignores(path, directory: false))
                {
                    Look(file, path);
                }

                if (truncatedBy is not null && entries > options.MaxEntries)
                {
                    return;
                }
            }
        }

        public DomainReport Report()
        {
            var domains = scores.Where(s => s.Value >= options.MinScore)
                .OrderByDescending(s => s.Value).ThenBy(s => s.Key, StringComparer.Ordinal)
                .Select(s => new DetectedDomain(s.Key, s.Value, [.. evidence[s.Key].Select(e => e.Value > 1 ? $"{e.Key} (x{e.Value})" : e.Key)]))
                .ToList();
            return new DomainReport(domains, Math.Min(entries, options.MaxEntries), truncatedBy);
        }

        private void Look(FileInfo file, string path)
        {
            var extension = file.Extension;
            foreach (var rule in options.Rules.ForExtension(extension))
            {
                Score(rule.Tag, 1, extension + " files");
            }

            foreach (var rule in options.Rules.ForFile(path))
            {
                Score(rule.Tag, MarkerWeight, path);
            }

            if (DependencyReader.IsBuildFile(file.Name) && ReadBounded(file) is { } text)
            {
                foreach (var dependency in DependencyReader.Read(file.Name, text).Distinct(StringComparer.OrdinalIgnoreCase))
                {
                    foreach (var rule in options.Rules.ForDependency(dependency))
                    {
                        Score(rule.Tag, DependencyWeight, $"{path}: {dependency}");
                    }
                }
            }

            if (options.Rules.WantsHeaders && SourceExtensions.Contains(extension) && sourcesRead < options.MaxSourcesRead)
            {
                sourcesRead++;
                foreach (Match m in Include().Matches(ReadBounded(file) ?? ""))
                {
                    foreach (var rule in options.Rules.ForHeader(m.Groups[1].Value))
                    {
                        Score(rule.Tag, HeaderWeight, $"{path}: #include {m.Groups[1].Value}");
                    }
                }
            }
        }

        private void Score(string tag, int weight, string why)
        {
            scores[tag] = scores.GetValueOrDefault(tag) + weight;
            if (!evidence.TryGetValue(tag, out var reasons))
            {
                evidence[tag] = reasons = new SortedDictionary<string, int>(StringComparer.Ordinal);
            }

            reasons[why] = reasons.GetValueOrDefault(why) + 1;
        }

        // At most MaxBytesPerFile from one file and MaxBytesTotal from the scan, as UTF-8 (invalid bytes replaced).
        private string? ReadBounded(FileInfo file)
        {
            var budget = (int)Math.Min(options.MaxBytesPerFile, options.MaxBytesTotal - bytesRead);
            if (budget <= 0)
            {
                truncatedBy ??= $"more than {options.MaxBytesTotal.ToString("N0", CultureInfo.InvariantCulture)} bytes read";
                return null;
            }

            try
            {
                using var stream = new FileStream(file.FullName, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 4096, FileOptions.SequentialScan);
                var buffer = new byte[Math.Min(budget, Math.Max(0, stream.Length))];
                var read = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
                bytesRead += read;
                return Encoding.UTF8.GetString(buffer, 0, read);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return null;
            }
        }
    }

    [GeneratedRegex(@"^\s*#\s*include\s*[<""]([^>""]+)[>""]", RegexOptions.Multiline)]
    private static partial Regex Include();
}
