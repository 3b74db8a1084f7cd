using ManifestBuild.Format;
using ManifestBuild.Format.Json;

namespace ManifestBuild.Market.Redaction;

/// <summary>
/// What the seller knows that the patterns cannot: names that must never leave (customers, projects),
/// URLs that are private although their host looks public, hosts that are public although not on
/// <see cref="WellKnownHosts"/>, and the hosts of the seller's own git remotes. <c>dsrs redact</c> and
/// <c>dsrs publish</c> read the same policy, so what one removes the other checks.
/// </summary>
public sealed record RedactionPolicy
{
    /// <summary>The file under <c>$DSRS_HOME</c> that holds the seller's standing policy.</summary>
    public const string FileName = "redaction.json";

    public static readonly RedactionPolicy Empty = new();

    /// <summary>Names redacted wherever they occur as a word, case-insensitively (the seller's deny-list).</summary>
    public IReadOnlyList<string> DenyNames { get; init; } = [];

    /// <summary>URL prefixes that are private whatever their host (e.g. a private space on a public wiki).</summary>
    public IReadOnlyList<string> PrivateUrls { get; init; } = [];

    /// <summary>Hosts that are private although nothing in their name says so (the seller's git servers).</summary>
    public IReadOnlyList<string> PrivateHosts { get; init; } = [];

    /// <summary>Hosts added to <see cref="WellKnownHosts"/> by the seller.</summary>
    public IReadOnlyList<string> PublicHosts { get; init; } = [];

    /// <summary>Repository and organisation names taken from the seller's git remotes on private hosts.</summary>
    public IReadOnlyList<string> RemoteNames { get; init; } = [];

    /// <summary>Whether redaction treats <paramref name="url"/> as private under this policy (anything not well-known public is).</summary>
    public bool IsPrivateUrl(string url) => RedactionRules.IsPrivateUrl(url, this);

    /// <summary>Both policies at once (the file, then the command line, then the git remotes).</summary>
    public RedactionPolicy Merge(RedactionPolicy other) => new()
    {
        DenyNames = [.. DenyNames.Concat(other.DenyNames).Distinct(StringComparer.OrdinalIgnoreCase)],
        PrivateUrls = [.. PrivateUrls.Concat(other.PrivateUrls).Distinct(StringComparer.Ordinal)],
        PrivateHosts = [.. PrivateHosts.Concat(other.PrivateHosts).Distinct(StringComparer.OrdinalIgnoreCase)],
        PublicHosts = [.. PublicHosts.Concat(other.PublicHosts).Distinct(StringComparer.OrdinalIgnoreCase)],
        RemoteNames = [.. RemoteNames.Concat(other.RemoteNames).Distinct(StringComparer.OrdinalIgnoreCase)],
    };

    /// <summary>
    /// The policy <c>dsrs redact</c> and <c>dsrs publish</c> apply: the seller's file under
    /// <paramref name="home"/>, what the command line adds, and the git remotes of each directory given
    /// (the input's folder and the working directory: whatever repository the data came from).
    /// </summary>
    public static RedactionPolicy ForSeller(string home, RedactionPolicy commandLine, params string[] repositoryDirectories) =>
        repositoryDirectories.Distinct(StringComparer.Ordinal).Aggregate(
            LoadFile(Path.Combine(home, FileName)).Merge(commandLine),
            (policy, dir) => policy.Merge(FromGitRemotes(dir)));

    /// <summary>
    /// Reads <c>$DSRS_HOME/redaction.json</c> (<c>{"deny":[...],"private_urls":[...],"private_hosts":[...],"public_hosts":[...]}</c>);
    /// no file is an empty policy, a malformed one is refused rather than ignored (ignoring it would leak).
    /// </summary>
    public static RedactionPolicy LoadFile(string path)
    {
        if (!File.Exists(path))
        {
            return Empty;
        }

        JsonObject json;
        try
        {
            json = JsonParser.Parse(File.ReadAllText(path)) as JsonObject
                ?? throw new DsrsException(MarketErrorCodes.BadRedactionPolicy, $"{path}: the redaction policy must be a JSON object");
        }
        catch (DsrsException e) when (e.Code != MarketErrorCodes.BadRedactionPolicy)
        {
            throw new DsrsException(MarketErrorCodes.BadRedactionPolicy, $"{path}: not valid JSON: {e.Message}");
        }

        return new RedactionPolicy
        {
            DenyNames = Strings(json, "deny", path),
            PrivateUrls = Strings(json, "private_urls", path),
            PrivateHosts = Strings(json, "private_hosts", path),
            PublicHosts = Strings(json, "public_hosts", path),
        };
    }

    /// <summary>
    /// The hosts and names of the git remotes of the repository that holds <paramref name="directory"/>
    /// (found by walking up to <c>.git</c>). Remotes on public code hosts add nothing: their names may be
    /// public and are redacted as repository URLs where they appear whole.
    /// </summary>
    public static RedactionPolicy FromGitRemotes(string directory)
    {
        var config = FindGitConfig(directory);
        if (config is null)
        {
            return Empty;
        }

        var hosts = new List<string>();
        var names = new List<string>();
        foreach (var raw in File.ReadLines(config))
        {
            var line = raw.Trim();
            if (!line.StartsWith("url", StringComparison.Ordinal) || line.IndexOf('=') is var eq && eq < 0)
            {
                continue;
            }

            if (GitRemote.TryParse(line[(eq + 1)..].Trim(), out var host, out var path) && !WellKnownHosts.IsPublic(host))
            {
                hosts.Add(host);
                names.AddRange(NameLearner.NamesFromUrlPath(path));
            }
        }

        return new RedactionPolicy { PrivateHosts = hosts, RemoteNames = names };
    }

    private static string? FindGitConfig(string directory)
    {
        for (var dir = new DirectoryInfo(Path.GetFullPath(directory)); dir is not null; dir = dir.Parent)
        {
            var dotGit = Path.Combine(dir.FullName, ".git");
            if (File.Exists(Path.Combine(dotGit, "config")))
            {
                return Path.Combine(dotGit, "config");
            }

            // A worktree's .git is a file "gitdir: <main>/.git/worktrees/<name>"; the remotes live in the main config.
            if (File.Exists(dotGit) && File.ReadAllText(dotGit).Trim() is var pointer && pointer.StartsWith("gitdir:", StringComparison.Ordinal))
            {
                var gitDir = Path.GetFullPath(pointer["gitdir:".Length..].Trim(), dir.FullName);
                var common = Path.Combine(gitDir, "commondir");
                var mainGit = File.Exists(common) ? Path.GetFullPath(File.ReadAllText(common).Trim(), gitDir) : gitDir;
                return File.Exists(Path.Combine(mainGit, "config")) ? Path.Combine(mainGit, "config") : null;
            }
        }

        return null;
    }

    private static IReadOnlyList<string> Strings(JsonObject json, string member, string path)
    {
        if (json[member] is null)
        {
            return [];
        }

        if (json[member] is not JsonArray array || array.Any(v => v.AsString() is not { Length: > 0 }))
        {
            throw new DsrsException(MarketErrorCodes.BadRedactionPolicy, $"{path}: \"{member}\" must be a list of non-empty strings");
        }

        return [.. array.Select(v => v.AsString()!)];
    }
}

/// <summary>The host and path of a git remote URL: <c>https://host/a/b.git</c>, <c>ssh://git@host:22/a/b</c>, <c>git@host:a/b.git</c>.</summary>
internal static class GitRemote
{
    public static bool TryParse(string url, out string host, out string path)
    {
        host = path = "";
        if (url.Contains("://", StringComparison.Ordinal))
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
            {
                return false;
            }

            (host, path) = (uri.Host, uri.AbsolutePath);
            return true;
        }

        // scp-like: [user@]host:path
        var colon = url.IndexOf(':');
        if (colon <= 0)
        {
            return false;
        }

        var authority = url[..colon];
        host = authority[(authority.LastIndexOf('@') + 1)..];
        path = url[(colon + 1)..];
        return host.Length > 0;
    }
}
