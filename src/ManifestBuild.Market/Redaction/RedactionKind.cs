namespace ManifestBuild.Market.Redaction;

/// <summary>What a replaced span was. The placeholder is <c>&lt;KIND_n&gt;</c>, e.g. <c>&lt;PATH_2&gt;</c>.</summary>
public enum RedactionKind
{
    /// <summary>API keys, tokens, JWTs, PEM blocks, long hex/base64 secrets, key=value secrets.</summary>
    Secret,

    Email,

    /// <summary>A URL whose host is private (localhost, RFC 1918, .internal, .local, .corp ...) or carries credentials.</summary>
    Url,

    /// <summary>A repository reference (code-host URL, git@host:owner/repo).</summary>
    Repo,

    /// <summary>An absolute or relative file path.</summary>
    Path,

    /// <summary>A private IP address, or a private host named without a URL (git.acme.corp, a host learned from a private URL).</summary>
    Host,

    /// <summary>A user name: @mentions, user=..., the local account name.</summary>
    User,

    /// <summary>A code identifier (identifiers and full modes).</summary>
    Ident,

    /// <summary>A code span or fenced block (full mode).</summary>
    Code,

    /// <summary>A repository, organisation, project or customer name learned from a private location, or on the seller's deny-list.</summary>
    Name,
}

/// <summary>How much a redaction removes.</summary>
public enum RedactionMode
{
    /// <summary>Secrets, e-mails, private URLs, repos, paths, private IPs, user names.</summary>
    Paths,

    /// <summary>Paths mode plus code identifiers (camelCase, PascalCase compounds, snake_case, a::b, a.b.c).</summary>
    Identifiers,

    /// <summary>Identifiers mode plus code spans, fenced code blocks and ticket references.</summary>
    Full,
}
