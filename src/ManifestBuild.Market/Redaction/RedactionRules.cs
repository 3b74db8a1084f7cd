using System.Text.RegularExpressions;

namespace ManifestBuild.Market.Redaction;

/// <summary>
/// The patterns behind the redactor and the secret scanner, in the order they apply: the most
/// specific first, so a token inside a URL is a secret, a URL is not also a path, and so on.
/// </summary>
internal static class RedactionRules
{
    private const RegexOptions Options = RegexOptions.CultureInvariant | RegexOptions.Compiled;

    public sealed record Rule(RedactionKind Kind, Regex Pattern, string Group = "v", Func<string, bool>? Accept = null);

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
        new(RedactionKind.Secret, new Regex(@"(?i:\b(?:api[_-]?key|secret|secret[_-]?key|access[_-]?key|token|auth[_-]?token|password|passwd|pwd|private[_-]?key|client[_-]?secret)\b[""']?\s*[:=]\s*[""']?)(?<v>[^\s""',;]{8,})", Options)),
        new(RedactionKind.Secret, new Regex(@"(?<v>\b[0-9a-fA-F]{40,}\b)", Options)),
        new(RedactionKind.Secret, new Regex(@"(?<v>(?<![A-Za-z0-9+/_-])[A-Za-z0-9+/_-]{40,}={0,2})", Options), Accept: LooksRandom),
    ];

    /// <summary>Everything else paths mode removes, after the secrets.</summary>
    public static readonly Rule[] Locations =
    [
        new(RedactionKind.Email, new Regex(@"(?<v>\b[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b)", Options)),
        new(RedactionKind.Repo, new Regex(@"(?<v>\bgit@[A-Za-z0-9.-]+:[\w.-]+/[\w.-]+)", Options)),
        new(RedactionKind.Repo, new Regex(@"(?<v>(?:https?://)?(?:www\.)?(?:github\.com|gitlab\.com|bitbucket\.org|codeberg\.org|dev\.azure\.com)/[\w.-]+/[\w.-]+[^\s""'<>)\]]*)", Options)),
        new(RedactionKind.Url, new Regex(@"(?<v>\b[a-z][a-z0-9+.-]*://[^\s""'<>)\]]+)", Options), Accept: IsPrivateUrl),
        new(RedactionKind.Host, new Regex(@"(?<v>\b(?:10\.\d{1,3}|192\.168|172\.(?:1[6-9]|2\d|3[01]))\.\d{1,3}\.\d{1,3}\b)", Options)),
        new(RedactionKind.Path, new Regex(@"(?<v>\b[A-Za-z]:\\(?:[^\\\s""'<>|*?]+\\?)+)", Options)),
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
    public static readonly Regex Placeholder = new(@"<(?:SECRET|EMAIL|URL|REPO|PATH|HOST|USER|IDENT|CODE)_\d+>", Options);

    private static readonly string[] PrivateSuffixes = [".internal", ".local", ".localdomain", ".corp", ".lan", ".intranet", ".home", ".private", ".test", ".example", ".invalid", ".localhost"];

    /// <summary>Private hosts, and any URL that carries credentials or a secret-looking query.</summary>
    public static bool IsPrivateUrl(string url)
    {
        if (!Uri.TryCreate(url.TrimEnd('.', ',', ';', ':'), UriKind.Absolute, out var uri))
        {
            return true; // cannot tell: err on the side of not leaking
        }

        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            return true;
        }

        var host = uri.Host.ToLowerInvariant();
        if (host is "localhost" || !host.Contains('.', StringComparison.Ordinal) || PrivateSuffixes.Any(s => host.EndsWith(s, StringComparison.Ordinal)))
        {
            return true;
        }

        if (System.Net.IPAddress.TryParse(host.Trim('[', ']'), out var address))
        {
            return IsPrivateAddress(address);
        }

        return false;
    }

    private static bool IsPrivateAddress(System.Net.IPAddress address)
    {
        if (System.Net.IPAddress.IsLoopback(address) || address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6UniqueLocal)
        {
            return true;
        }

        var b = address.GetAddressBytes();
        return b.Length == 4 && (b[0] == 10 || (b[0] == 172 && b[1] >= 16 && b[1] <= 31) || (b[0] == 192 && b[1] == 168) || (b[0] == 169 && b[1] == 254) || (b[0] == 100 && b[1] >= 64 && b[1] <= 127));
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
