using System.Text.RegularExpressions;
using ManifestBuild.Format.Json;

namespace ManifestBuild.Market.Redaction;

/// <summary>One kind of finding and how often it occurs. Never the matched text.</summary>
public sealed record SecretFinding(RedactionKind Kind, string Where, int Count);

/// <summary>
/// What <c>dsrs publish</c> checks before anything leaves the machine: secrets (keys, tokens, PEM,
/// JWT, long random strings), e-mail addresses, private URLs (any host that is not well-known public),
/// private hosts and addresses, git remotes on private hosts, home-directory paths, and every name a
/// private location in the document gives away or the seller's policy denies. Findings carry the
/// member path and a count, never the secret.
/// </summary>
public static class SecretScanner
{
    private static readonly Regex HomePath = new(
        @"(?:/home/|/Users/|/root/|[A-Za-z]:\\{1,2}Users\\{1,2})[^\s""']+",
        RegexOptions.CultureInvariant | RegexOptions.Compiled);

    public static IReadOnlyList<SecretFinding> Scan(JsonValue document, RedactionPolicy? policy = null)
    {
        // Learn first, over the whole document: a name leaked by a URL in one example is a finding in every other.
        var learner = new NameLearner(policy);
        Walk(document, "$", (text, _) => learner.Observe(text));
        var findings = new List<SecretFinding>();
        Walk(document, "$", (text, where) => findings.AddRange(ScanText(text, where, learner)));
        return findings;
    }

    public static IReadOnlyList<SecretFinding> ScanText(string text, string where = "text") => ScanText(text, where, null);

    private static IReadOnlyList<SecretFinding> ScanText(string text, string where, NameLearner? learner)
    {
        text = JsonEscapes.Normalise(text);
        var policy = learner?.Policy ?? RedactionPolicy.Empty;
        var counts = new Dictionary<RedactionKind, int>();
        var rules = RedactionRules.Secrets.Concat(RedactionRules.Locations.Where(r => r.Kind is RedactionKind.Email or RedactionKind.Url or RedactionKind.Host
            || ReferenceEquals(r, RedactionRules.GitRemote)));
        foreach (var rule in rules)
        {
            foreach (Match match in rule.Pattern.Matches(text))
            {
                var value = match.Groups[rule.Group].Value;
                if (match.Groups[rule.Group].Success && Accepts(rule, value, policy) && !RedactionRules.Placeholder.IsMatch(value))
                {
                    counts[rule.Kind] = counts.GetValueOrDefault(rule.Kind) + 1;
                }
            }
        }

        Count(counts, RedactionKind.Path, HomePath, text);
        Count(counts, RedactionKind.Host, learner?.HostsPattern, text);
        Count(counts, RedactionKind.Name, learner?.NamesPattern, text);
        return counts.Select(c => new SecretFinding(c.Key, where, c.Value)).ToList();
    }

    /// <summary>"2 secret, 1 email at $.demos[3].inputs.code" lines for a refusal message.</summary>
    public static string Describe(IEnumerable<SecretFinding> findings) =>
        string.Join("; ", findings.Select(f => $"{f.Count} {f.Kind.ToString().ToLowerInvariant()} at {f.Where}"));

    // A git remote on a public code host is a repository reference the redactor replaces, not a leak of a
    // private host; on any other host it is.
    private static bool Accepts(RedactionRules.Rule rule, string value, RedactionPolicy policy) => ReferenceEquals(rule, RedactionRules.GitRemote)
        ? !Redaction.GitRemote.TryParse(value, out var host, out _) || !WellKnownHosts.IsPublic(host, policy.PublicHosts)
        : rule.Accept is null || rule.Accept(value, policy);

    private static void Count(Dictionary<RedactionKind, int> counts, RedactionKind kind, Regex? pattern, string text)
    {
        var n = pattern?.Matches(text).Count(m => !RedactionRules.Placeholder.IsMatch(m.Value)) ?? 0;
        if (n > 0)
        {
            counts[kind] = counts.GetValueOrDefault(kind) + n;
        }
    }

    private static void Walk(JsonValue value, string where, Action<string, string> visit)
    {
        switch (value)
        {
            case JsonString s:
                // The content addresses are hashes of the content itself, not keys: never a finding.
                if (where is not ("$.compiled_id" or "$.dataset_id"))
                {
                    visit(s.Value, where);
                }

                break;
            case JsonObject o:
                foreach (var member in o.Members)
                {
                    Walk(member.Value, where + "." + member.Key, visit);
                }

                break;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                {
                    Walk(a[i], $"{where}[{i}]", visit);
                }

                break;
        }
    }
}
