using ManifestBuild.Format.Json;

namespace ManifestBuild.Market.Redaction;

/// <summary>One kind of finding and how often it occurs. Never the matched text.</summary>
public sealed record SecretFinding(RedactionKind Kind, string Where, int Count);

/// <summary>
/// What <c>dsrs publish</c> checks before anything leaves the machine: secrets (keys, tokens, PEM,
/// JWT, long random strings), e-mail addresses, private-host URLs and home-directory paths in any
/// string of the manifest. Findings carry the member path and a count, never the secret.
/// </summary>
public static class SecretScanner
{
    private static readonly System.Text.RegularExpressions.Regex HomePath = new(
        @"(?:/home/|/Users/|/root/|[A-Za-z]:\\Users\\)[^\s""']+",
        System.Text.RegularExpressions.RegexOptions.CultureInvariant | System.Text.RegularExpressions.RegexOptions.Compiled);

    public static IReadOnlyList<SecretFinding> Scan(JsonValue document)
    {
        var findings = new List<SecretFinding>();
        Walk(document, "$", findings);
        return findings;
    }

    public static IReadOnlyList<SecretFinding> ScanText(string text, string where = "text")
    {
        var counts = new Dictionary<RedactionKind, int>();
        foreach (var rule in RedactionRules.Secrets.Concat(RedactionRules.Locations.Where(r => r.Kind is RedactionKind.Email or RedactionKind.Url)))
        {
            foreach (System.Text.RegularExpressions.Match match in rule.Pattern.Matches(text))
            {
                var value = match.Groups[rule.Group].Value;
                if (match.Groups[rule.Group].Success && (rule.Accept is null || rule.Accept(value)) && !RedactionRules.Placeholder.IsMatch(value))
                {
                    counts[rule.Kind] = counts.GetValueOrDefault(rule.Kind) + 1;
                }
            }
        }

        var homePaths = HomePath.Matches(text).Count;
        if (homePaths > 0)
        {
            counts[RedactionKind.Path] = homePaths;
        }

        return counts.Select(c => new SecretFinding(c.Key, where, c.Value)).ToList();
    }

    /// <summary>"2 secret, 1 email at $.demos[3].inputs.code" lines for a refusal message.</summary>
    public static string Describe(IEnumerable<SecretFinding> findings) =>
        string.Join("; ", findings.Select(f => $"{f.Count} {f.Kind.ToString().ToLowerInvariant()} at {f.Where}"));

    private static void Walk(JsonValue value, string where, List<SecretFinding> findings)
    {
        switch (value)
        {
            case JsonString s:
                if (where != "$.compiled_id")
                {
                    findings.AddRange(ScanText(s.Value, where));
                }

                break;
            case JsonObject o:
                foreach (var member in o.Members)
                {
                    Walk(member.Value, where + "." + member.Key, findings);
                }

                break;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                {
                    Walk(a[i], $"{where}[{i}]", findings);
                }

                break;
        }
    }
}
