using System.Text.RegularExpressions;

namespace ManifestBuild.Market.Redaction;

/// <summary>
/// The patterns behind the redactor and the secret scanner, in the order they apply: the most
/// specific first, so a token inside a URL is a secret, a URL is not also a path, and so on.
/// </summary>
internal static class RedactionRules
{
    private const RegexOptions Options = RegexOptions.CultureInvariant | RegexOptions.Compiled;

    /// <param name="Accept">A second opinion on a match (is this URL private under the policy?); null accepts every match.</param>
    public sealed record Rule(RedactionKind Kind, Regex Pattern, string Group = "v", Func<string, RedactionPolicy, bool>? Accept = null);

    /// <summary>Secret formats: a match anywhere is a leak.</summary>
    public static readonly Rule[] Secrets =
    [
        new(RedactionKind.Secret, new Regex(@"(?<v>-----BEGIN [A-Z0-9 ]+-----[\s\S]*?-----END [A-Z0-9 ]+-----)", Options)),
        new(RedactionKind.Secret, new Regex(@"(?<v>\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,})", Options)),
        new(RedactionKind.Secret, new Regex(@"(?<v>\bsk-(?:proj-|ant-)?[A-Za-z0-9_-]{20,})", Options)),
        new(RedactionKind.Secret, new Regex(@"(?<v>\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{22,}))", Options)),
        new(RedactionKind.Secret, new Regex(@"(?<v>\b(?:AKIA|ASIA|AGPA|AIDA|AROA)[0-9A-Z]{16}\b)", Options)),
        new(RedactionKind.Secret, new Regex(@"(?<v>\bxox[abposr]-[A-Za-z0-9-]{10,})", Options)),
        new(RedactionKind.Secret, new Regex(@"(?<v>\bAIza[0-9A-Za-z_-]{35})", Options)),
        new(RedactionKind.Secret, new Regex(@"(?<v>\b[rs]k_(?:live|test)_[0-9A-Za-z]{16,})", Options)),
        new(RedactionKind.Secret, new Regex(@"(?<v>\bglpat-[0-9A-Za-z_-]{20,})", Options)),
        new(RedactionKind.Secret, new Regex(@"(?i:bearer)\s+(?<v>[A-Za-z0-9._~+/-]{20,}=*)", Options)),
        new(RedactionKind.Secret, new Regex(@"(?i:\b(?:[a-z0-9]+[_-])*(?:api[_-]?key|secret|secret[_-]?key|access[_-]?key|token|auth[_-]?token|password|passwd|pwd|private[_-]?key|client[_-]?secret)\b[""']?\s*[:=]\s*[""']?)(?<v>[^\s""',;]{8,})", Options)),
        new(RedactionKind.Secret, new Regex(@"(?<v>\b[0-9a-fA-F]{40,}\b)", Options)),
        new(RedactionKind.Secret, new Regex(@"(?<v>(?<![A-Za-z0-9+/_-])[A-Za-z0-9+/_-]{40,}={0,2})", Options), Accept: (value, _) => LooksRandom(value)),
    ];

    /// <summary>An scp-style git remote (git@host:owner/repo): a repository reference, and a private host unless the host is public.</summary>
    public static readonly Rule GitRemote = new(RedactionKind.Repo, new Regex(@"(?<v>\bgit@[A-Za-z0-9.-]+:[\w.-]+/[\w.-]+)", Options));

    /// <summary>
    /// Everything else paths mode removes, after the secrets. Whole locations first (a remote, a URL with
    /// its user-info), so an address inside one is not taken for an e-mail and the rest left behind.
    /// </summary>
    public static readonly Rule[] Locations =
    [
        GitRemote,
        new(RedactionKind.Repo, new Regex(@"(?<v>(?:https?://)?(?:www\.)?(?:github\.com|gitlab\.com|bitbucket\.org|codeberg\.org|dev\.azure\.com)/[\w.-]+/[\w.-]+[^\s""'<>)\]]*)", Options)),
        new(RedactionKind.Url, new Regex(@"(?<v>\b[a-z][a-z0-9+.-]*://[^\s""'<>)\]]+)", Options | RegexOptions.IgnoreCase), Accept: IsPrivateUrl),
        new(RedactionKind.Email, new Regex(@"(?<v>\b[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b)", Options)),
        new(RedactionKind.Host, new Regex(@"(?<v>\b(?:10\.\d{1,3}|192\.168|172\.(?:1[6-9]|2\d|3[01])|169\.254)\.\d{1,3}\.\d{1,3}\b)", Options)),
        // A host named as internal in any label (git.internal.acme.com, build.corp, nas.lan), mentioned without a scheme.
        new(RedactionKind.Host, new Regex(@"(?<![\w.@/-])(?<v>(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+(?:internal|intranet|corp|lan|local|localdomain|private)(?:\.[a-z0-9-]+)*)(?![\w-])", Options | RegexOptions.IgnoreCase)),
        new(RedactionKind.Path, new Regex(@"(?<v>\b[A-Za-z]:\\{1,2}(?:[^\\\s""'<>|*?]+(?:\\{1,2})?)+)", Options)),
        new(RedactionKind.Path, new Regex(@"(?<v>(?<![\w.:/-])(?:~|\.{1,2})?/(?:[\w@.+-]+/)+[\w@.+-]*)", Options)),
        new(RedactionKind.Path, new Regex(@"(?<v>(?<![\w.:/@-])(?:[\w.-]+/)+[\w-]+\.[A-Za-z][A-Za-z0-9]{0,7}\b)", Options)),
        new(RedactionKind.User, new Regex(@"(?<![\w.])@(?<v>[A-Za-z0-9][A-Za-z0-9_-]{1,38})\b", Options)),
        new(RedactionKind.User, new Regex(@"(?i:\b(?:user(?:name)?|login|author|owner)\b\s*[:=]\s*[""']?)(?<v>[A-Za-z0-9._-]{2,})", Options)),
    ];

    public static readonly Rule[] Identifiers =
    [
        new(RedactionKind.Ident, new Regex(@"(?<v>\b[A-Za-z_]\w*(?:::[A-Za-z_]\w*)+\b)", Options)),
        new(RedactionKind.Ident, new Regex(@"(?<v>\b[a-z_][a-z0-9_]*(?:\.[a-z_][A-Za-z0-9_]*){2,}\b)", Options)),
        new(RedactionKind.Ident, new Regex(@"(?<v>\b[a-z]+[A-Z][A-Za-z0-9]*\b)", Options)),
        new(RedactionKind.Ident, new Regex(@"(?<v>\b[A-Z][a-z0-9]+[A-Z][A-Za-z0-9]*\b)", Options)),
        new(RedactionKind.Ident, new Regex(@"(?<v>\b_*[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b)", Options)),
        new(RedactionKind.Ident, new Regex(@"(?<v>\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b)", Options)),
    ];

    public static readonly Rule[] Code =
    [
        new(RedactionKind.Code, new Regex(@"(?<v>```[\s\S]*?```)", Options)),
        new(RedactionKind.Code, new Regex(@"(?<v>`[^`\n]+`)", Options)),
        new(RedactionKind.Code, new Regex(@"(?<v>\b[A-Z][A-Z0-9]{1,9}-\d{1,6}\b)", Options)),
    ];

    /// <summary>A placeholder already written: later rules never match inside one.</summary>
    public static readonly Regex Placeholder = new(@"<(?:SECRET|EMAIL|URL|REPO|PATH|HOST|USER|IDENT|CODE|NAME)_\d+>", Options);

    private static readonly string[] PrivateSuffixes = [".internal", ".local", ".localdomain", ".corp", ".lan", ".intranet", ".home", ".private", ".test", ".example", ".invalid", ".localhost"];

    // Labels that mark a host as internal wherever they stand (git.internal.acme.com, wiki.corp).
    private static readonly HashSet<string> PrivateLabels = new(StringComparer.Ordinal) { "internal", "intranet", "corp", "lan", "local", "localdomain", "private" };

    /// <summary>
    /// Private unless proven public: a URL is kept only when its host is a well-known public host
    /// (<see cref="WellKnownHosts"/> plus the policy's public hosts) and nothing else marks it private
    /// (credentials, an internal label or suffix, the seller's private hosts and URL prefixes, an IP).
    /// </summary>
    public static bool IsPrivateUrl(string url, RedactionPolicy policy)
    {
        var trimmed = url.TrimEnd('.', ',', ';', ':');
        if (!Uri.TryCreate(trimmed, UriKind.Absolute, out var uri))
        {
            return true; // cannot tell: err on the side of not leaking
        }

        if (!string.IsNullOrEmpty(uri.UserInfo) || policy.PrivateUrls.Any(p => trimmed.StartsWith(p, StringComparison.OrdinalIgnoreCase)))
        {
            return true;
        }

        var host = uri.Host.ToLowerInvariant().TrimEnd('.');
        if (host is "localhost" || !host.Contains('.', StringComparison.Ordinal) || PrivateSuffixes.Any(s => host.EndsWith(s, StringComparison.Ordinal))
            || host.Split('.').Any(PrivateLabels.Contains)
            || policy.PrivateHosts.Any(h => host == h.ToLowerInvariant() || host.EndsWith("." + h.ToLowerInvariant(), StringComparison.Ordinal)))
        {
            return true;
        }

        if (System.Net.IPAddress.TryParse(host.Trim('[', ']'), out _))
        {
            return true; // an address is nobody's public documentation
        }

        return !WellKnownHosts.IsPublic(host, policy.PublicHosts);
    }

    /// <summary>Long base64-ish runs count as secrets only when they mix classes and carry high entropy (not prose or paths).</summary>
    private static bool LooksRandom(string value)
    {
        var core = value.TrimEnd('=');
        if (core.Count(c => c == '/') > core.Length / 8)
        {
            return false; // path-like
        }

        bool upper = core.Any(char.IsAsciiLetterUpper), lower = core.Any(char.IsAsciiLetterLower), digit = core.Any(char.IsAsciiDigit);
        if (!(upper && lower && digit))
        {
            return false;
        }

        var entropy = 0.0;
        foreach (var group in core.GroupBy(c => c))
        {
            var p = (double)group.Count() / core.Length;
            entropy -= p * Math.Log2(p);
        }

        return entropy >= 4.0;
    }
}
