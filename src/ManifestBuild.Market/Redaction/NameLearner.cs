using System.Text.RegularExpressions;

namespace ManifestBuild.Market.Redaction;

/// <summary>
/// Learns the names a private location gives away, so that they are redacted everywhere else too: the
/// organisation and repository in <c>https://git.acme-internal.com/payments/ledger-core</c>, the company
/// in the host's own name, the project directory in <c>/home/alice/work/ledger-core/src</c>. A name
/// learned anywhere in a document applies to the whole document (the redactor reads it twice), together
/// with the seller's deny-list and the names of the seller's private git remotes.
/// </summary>
public sealed class NameLearner
{
    // The page part of a URL: what follows names a page, not an organisation or repository.
    private static readonly HashSet<string> PageWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "-", "tree", "blob", "raw", "commit", "commits", "compare", "pull", "pulls", "merge_requests", "issues", "issue", "wiki",
        "browse", "job", "jobs", "pipelines", "pipeline", "view", "edit", "releases", "tags", "branches", "d", "display", "pages",
    };

    // Path and host words that describe a layout, not a project: never learned.
    private static readonly HashSet<string> Generic = new(StringComparer.OrdinalIgnoreCase)
    {
        "src", "source", "sources", "lib", "libs", "app", "apps", "api", "bin", "obj", "build", "builds", "dist", "out", "target",
        "test", "tests", "spec", "specs", "doc", "docs", "home", "users", "user", "root", "work", "workspace", "workspaces",
        "project", "projects", "repo", "repos", "repositories", "code", "dev", "devel", "git", "gitlab", "github", "gitea", "scm",
        "svn", "hg", "tmp", "temp", "var", "opt", "srv", "usr", "local", "mnt", "media", "data", "www", "main", "master", "trunk",
        "tree", "blob", "raw", "commit", "commits", "pull", "pulls", "merge_requests", "issues", "issue", "wiki", "browse", "job",
        "jobs", "pipelines", "pipeline", "builds", "config", "configs", "scripts", "internal", "intranet", "corp", "lan", "private",
        "public", "shared", "common", "core", "utils", "util", "pkg", "cmd", "include", "vendor", "node_modules", "packages",
        "desktop", "documents", "downloads", "onedrive", "appdata", "program files", "com", "org", "net", "io", "http", "https",
        "ssh", "ci", "cd", "jenkins", "jira", "confluence", "artifacts", "artifactory", "registry", "mirror", "team", "teams",
        "group", "groups", "org", "orgs", "tickets", "ticket", "view", "edit", "files", "file", "src", "the", "and", "localdomain",
        "localhost", "home", "net", "cloud", "services", "service", "server", "servers", "staging", "prod", "production", "intra",
        "etc", "proc", "sys", "boot", "sbin", "run", "nix", "snap", "library", "applications", "system", "volumes", "lib64", "share",
        "man", "log", "logs", "cache", "node", "python", "python3", "site-packages", "dist-packages", "go", "cargo", "rustup", "npm",
        "yarn", "pnpm", "venv", ".venv", "env", "conda", "anaconda3", "miniconda3", "windows", "system32", "programdata", "developer", "example", "examples",
    };

    private readonly HashSet<string> names = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> hosts = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> protectedWords;
    private readonly RedactionPolicy policy;
    private Regex? namesPattern;
    private Regex? hostsPattern;

    public NameLearner(RedactionPolicy? policy = null, IEnumerable<string>? protectedWords = null)
    {
        this.policy = policy ?? RedactionPolicy.Empty;
        this.protectedWords = new HashSet<string>(protectedWords ?? [], StringComparer.OrdinalIgnoreCase);
        foreach (var name in this.policy.DenyNames)
        {
            names.Add(name.Trim()); // the deny-list is the seller's own word: no filtering
        }

        foreach (var name in this.policy.RemoteNames)
        {
            Add(name);
        }

        foreach (var host in this.policy.PrivateHosts)
        {
            hosts.Add(host.Trim().TrimEnd('.'));
        }

        foreach (var url in this.policy.PrivateUrls)
        {
            Observe(url);
        }
    }

    public RedactionPolicy Policy => policy;

    /// <summary>Everything that will be redacted as a name: learned, deny-listed and from git remotes.</summary>
    public IReadOnlyCollection<string> Names => names;

    /// <summary>Private hosts seen in private URLs, plus the seller's: redacted where they are mentioned bare.</summary>
    public IReadOnlyCollection<string> Hosts => hosts;

    /// <summary>Learns from every private URL, private git remote and path in <paramref name="text"/>.</summary>
    public void Observe(string text)
    {
        text = JsonEscapes.Normalise(text);
        foreach (var rule in RedactionRules.Locations)
        {
            if (rule.Kind is not (RedactionKind.Url or RedactionKind.Repo or RedactionKind.Path))
            {
                continue;
            }

            foreach (Match match in rule.Pattern.Matches(text))
            {
                var value = match.Groups[rule.Group].Value.TrimEnd('.', ',', ';', ':', '!', '?');
                if (rule.Kind == RedactionKind.Url && RedactionRules.IsPrivateUrl(value, policy))
                {
                    LearnUrl(value);
                }
                else if (ReferenceEquals(rule, RedactionRules.GitRemote)
                    && Redaction.GitRemote.TryParse(value, out var host, out var path) && !WellKnownHosts.IsPublic(host, policy.PublicHosts))
                {
                    LearnHost(host);
                    foreach (var name in NamesFromUrlPath(path))
                    {
                        Add(name);
                    }
                }
                else if (rule.Kind == RedactionKind.Path)
                {
                    LearnPath(value);
                }
            }
        }
    }

    /// <summary>A pattern matching any known name as a whole word (longest first), or null when none is known.</summary>
    public Regex? NamesPattern => namesPattern ??= WordPattern(names);

    /// <summary>A pattern matching any known private host, or null.</summary>
    public Regex? HostsPattern => hostsPattern ??= WordPattern(hosts);

    /// <summary>The organisation / group / repository segments at the start of a URL or remote path.</summary>
    internal static IEnumerable<string> NamesFromUrlPath(string path)
    {
        var taken = 0;
        foreach (var raw in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var segment = Uri.UnescapeDataString(raw);
            if (PageWords.Contains(segment) || taken == 3)
            {
                yield break; // pulls, blob, GitLab's "/-/": a page; three segments cover group/subgroup/project
            }

            if (segment.EndsWith(".git", StringComparison.OrdinalIgnoreCase))
            {
                segment = segment[..^4];
            }

            taken++;
            yield return segment; // Add() drops layout words (core, team, api) and numbers

        }
    }

    private void LearnUrl(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return;
        }

        if (uri.HostNameType == UriHostNameType.Dns)
        {
            LearnHost(uri.Host);
        }

        foreach (var name in NamesFromUrlPath(uri.AbsolutePath))
        {
            Add(name);
        }
    }

    // The host is private: its whole name is redacted where it appears bare, and its distinctive labels
    // (the company in git.acme-internal.com) are names.
    private void LearnHost(string host)
    {
        host = host.TrimEnd('.');
        if (host.Contains('.', StringComparison.Ordinal) && hosts.Add(host))
        {
            hostsPattern = null;
        }

        // Not the top-level label, and not the first of three or more (deploy.contoso.corp: "deploy" names
        // a service, "contoso" the company).
        var labels = host.Split('.');
        foreach (var label in labels.Skip(labels.Length >= 3 ? 1 : 0).Take(Math.Max(1, labels.Length - (labels.Length >= 3 ? 2 : 1))))
        {
            Add(label);
            foreach (var part in label.Split('-'))
            {
                Add(part);
            }
        }
    }

    // /home/alice/work/ledger-core/src/x.rs: the account and the first directory that is not layout.
    private void LearnPath(string path)
    {
        var windows = path.Length > 2 && path[1] == ':';
        if (!windows && !path.StartsWith('/') && !path.StartsWith("~/", StringComparison.Ordinal))
        {
            return; // relative paths (src/billing/x.rs) name layout, not projects
        }

        var segments = path.Split(windows ? ['\\', '/'] : ['/'], StringSplitOptions.RemoveEmptyEntries).Skip(windows ? 1 : 0).ToList();
        if (segments.Count > 0 && !path.EndsWith('/') && !path.EndsWith('\\'))
        {
            segments.RemoveAt(segments.Count - 1); // a file (or a leaf that may be one: /etc/passwd names no project)
        }

        for (var i = 0; i < segments.Count; i++)
        {
            if (segments[i] is "home" or "Users" && i + 1 < segments.Count)
            {
                Add(segments[i + 1]); // the account name
                i++;
                continue;
            }

            if (!segments[i].StartsWith('.') && Add(segments[i])) // .cache, .config: layout
            {
                return;
            }
        }
    }

    private bool Add(string candidate)
    {
        var name = candidate.Trim();
        if (name.Length < 3 || Generic.Contains(name) || protectedWords.Contains(name) || !name.Any(char.IsLetter)
            || name.Contains('<', StringComparison.Ordinal) || name.All(c => char.IsDigit(c) || c is '.' or '-' or '_'))
        {
            return false;
        }

        if (names.Add(name))
        {
            namesPattern = null;
        }

        return true;
    }

    private static Regex? WordPattern(IEnumerable<string> words)
    {
        var alternatives = words.Where(w => w.Length > 0).OrderByDescending(w => w.Length).ThenBy(w => w, StringComparer.Ordinal).Select(Regex.Escape).ToList();
        return alternatives.Count == 0
            ? null
            : new Regex(@"(?<![\p{L}\p{N}_])(?<v>" + string.Join("|", alternatives) + @")(?![\p{L}\p{N}_])", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);
    }
}

/// <summary>
/// Escapes that hide a location from the patterns when a string holds JSON text (<c>https:\/\/host</c>,
/// <c>\u0040</c>): decoded to the character they stand for. Quote and backslash escapes stay, so JSON text
/// inside the string stays valid.
/// </summary>
internal static class JsonEscapes
{
    private static readonly Regex Escaped = new(@"\\/|\\u00([2-7][0-9a-fA-F])", RegexOptions.CultureInvariant | RegexOptions.Compiled);

    public static string Normalise(string text)
    {
        if (!text.Contains('\\', StringComparison.Ordinal))
        {
            return text;
        }

        return Escaped.Replace(text, m =>
        {
            if (m.Value == "\\/")
            {
                return "/";
            }

            var c = (char)Convert.ToInt32(m.Groups[1].Value, 16);
            return c is '"' or '\\' or (char)0x7f ? m.Value : c.ToString();
        });
    }
}
