namespace ManifestBuild.Market.Redaction;

/// <summary>
/// The hosts whose URLs a seller may keep: well-known public documentation, standards and code-hosting
/// sites. Every other host is private as far as redaction is concerned (an internal git server looks
/// exactly like a public one from its name alone), so the list is an allow-list: it is short, it is
/// here and nowhere else, and a seller extends it with <see cref="RedactionPolicy.PublicHosts"/>.
/// A host matches an entry when it equals it or is a subdomain of it.
/// </summary>
public static class WellKnownHosts
{
    /// <summary>Public code hosts: a URL there is a repository reference (redacted as a repo, never learned from).</summary>
    public static readonly IReadOnlyList<string> CodeHosts =
    [
        "github.com", "gitlab.com", "bitbucket.org", "codeberg.org", "sr.ht", "dev.azure.com",
    ];

    /// <summary>Documentation, standards and reference sites; a URL there identifies no one.</summary>
    public static readonly IReadOnlyList<string> Reference =
    [
        "docs.rs", "rust-lang.org", "python.org", "numpy.org", "scipy.org", "pydata.org", "readthedocs.io", "readthedocs.org",
        "mozilla.org", "stackoverflow.com", "stackexchange.com", "wikipedia.org", "learn.microsoft.com", "dotnet.microsoft.com",
        "go.dev", "golang.org", "nodejs.org", "kubernetes.io", "docs.docker.com", "w3.org", "whatwg.org", "ietf.org",
        "rfc-editor.org", "json.org", "json-schema.org", "semver.org", "apache.org", "gnu.org", "kernel.org", "llvm.org",
        "cppreference.com", "isocpp.org", "openjdk.org", "kotlinlang.org", "swift.org", "ruby-lang.org", "php.net",
        "postgresql.org", "sqlite.org", "redis.io", "nginx.org", "example.com", "example.org", "example.net",
        "bitcoin.org", "lightning.network", "nostr.com", "dspy.ai", "pytorch.org", "tensorflow.org", "huggingface.co",
        "arxiv.org", "doi.org", "unicode.org", "iana.org", "owasp.org",
    ];

    /// <summary>True when <paramref name="host"/> is (a subdomain of) a listed or seller-added public host.</summary>
    public static bool IsPublic(string host, IEnumerable<string>? extra = null)
    {
        host = host.TrimEnd('.').ToLowerInvariant();
        return CodeHosts.Concat(Reference).Concat(extra ?? []).Any(entry => Matches(host, entry.ToLowerInvariant()));
    }

    /// <summary>True when <paramref name="host"/> is a public code host (its URLs name repositories).</summary>
    public static bool IsCodeHost(string host) => CodeHosts.Any(entry => Matches(host.TrimEnd('.').ToLowerInvariant(), entry));

    private static bool Matches(string host, string entry) =>
        host == entry || host.EndsWith("." + entry, StringComparison.Ordinal);
}
