using System.Reflection;
using System.Text.RegularExpressions;
using ManifestBuild.Format;
using ManifestBuild.Format.Json;

namespace ManifestBuild.Agent.Domains;

/// <summary>One row of <c>domain-rules.json</c>: a domain tag and the evidence that shows it.</summary>
public sealed record DomainRule(
    string Tag,
    IReadOnlyList<string> Extensions,
    IReadOnlyList<string> Files,
    IReadOnlyList<string> Dependencies,
    IReadOnlyList<string> Headers);

/// <summary>
/// The domain table (<c>Domains/domain-rules.json</c>, embedded): the one documented place to extend
/// what <see cref="DomainDetector"/> recognises. Loaded once; a table given by the caller replaces it.
/// </summary>
public sealed class DomainRules
{
    private static readonly Lazy<DomainRules> Embedded = new(() =>
    {
        using var stream = typeof(DomainRules).Assembly.GetManifestResourceStream("ManifestBuild.Agent.domain-rules.json")
            ?? throw new InvalidOperationException("the embedded domain table is missing from the assembly");
        using var reader = new StreamReader(stream);
        return Parse(reader.ReadToEnd());
    });

    private readonly Dictionary<string, List<DomainRule>> byExtension = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, List<DomainRule>> byDependency = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<(Regex Pattern, bool HasSlash, DomainRule Rule)> fileGlobs = [];
    private readonly List<(Regex Pattern, DomainRule Rule)> headerGlobs = [];

    private DomainRules(IReadOnlyList<DomainRule> rules)
    {
        Rules = rules;
        foreach (var rule in rules)
        {
            foreach (var ext in rule.Extensions)
            {
                Add(byExtension, ext, rule);
            }

            foreach (var dep in rule.Dependencies)
            {
                Add(byDependency, NormaliseDependency(dep), rule);
            }

            fileGlobs.AddRange(rule.Files.Select(f => (Glob(f), f.Contains('/', StringComparison.Ordinal), rule)));
            headerGlobs.AddRange(rule.Headers.Select(h => (Glob(h), rule)));
        }
    }

    public static DomainRules Default => Embedded.Value;

    public IReadOnlyList<DomainRule> Rules { get; }

    /// <summary>Reads a table in the embedded file's shape (DSRS1250 when it is not).</summary>
    public static DomainRules Parse(string json)
    {
        try
        {
            var rows = (JsonParser.Parse(json) as JsonObject)?["rules"] as JsonArray
                ?? throw new DsrsException(AgentErrorCodes.BadDomainTable, "a domain table is {\"rules\": [...]}");
            return new DomainRules([.. rows.Select(Row)]);
        }
        catch (DsrsException e) when (e.Code != AgentErrorCodes.BadDomainTable)
        {
            throw new DsrsException(AgentErrorCodes.BadDomainTable, "the domain table is not valid JSON: " + e.Message);
        }
    }

    public IEnumerable<DomainRule> ForExtension(string extension) => byExtension.GetValueOrDefault(extension) ?? [];

    public IEnumerable<DomainRule> ForDependency(string name) => byDependency.GetValueOrDefault(NormaliseDependency(name)) ?? [];

    /// <summary>Rules whose marker file matches a path relative to the root (forward slashes).</summary>
    public IEnumerable<DomainRule> ForFile(string relativePath)
    {
        var name = relativePath[(relativePath.LastIndexOf('/') + 1)..];
        return fileGlobs.Where(g => g.Pattern.IsMatch(g.HasSlash ? relativePath : name)).Select(g => g.Rule);
    }

    public IEnumerable<DomainRule> ForHeader(string include) => headerGlobs.Where(g => g.Pattern.IsMatch(include)).Select(g => g.Rule);

    public bool WantsHeaders => headerGlobs.Count > 0;

    /// <summary>Package names compare case-insensitively, with '_' as '-' (PEP 503 style).</summary>
    public static string NormaliseDependency(string name) => name.Trim().ToLowerInvariant().Replace('_', '-');

    private static DomainRule Row(JsonValue value)
    {
        var o = value as JsonObject ?? throw new DsrsException(AgentErrorCodes.BadDomainTable, "a rule must be an object");
        var tag = o.GetString("tag") is { Length: > 0 } t && t == t.ToLowerInvariant()
            ? t
            : throw new DsrsException(AgentErrorCodes.BadDomainTable, "a rule needs a lowercase \"tag\"");
        return new DomainRule(tag, Strings(o, "extensions"), Strings(o, "files"), Strings(o, "dependencies"), Strings(o, "headers"));
    }

    private static List<string> Strings(JsonObject o, string member) => o[member] switch
    {
        null => [],
        JsonArray a when a.All(v => v.AsString() is { Length: > 0 }) => [.. a.Select(v => v.AsString()!)],
        _ => throw new DsrsException(AgentErrorCodes.BadDomainTable, $"\"{member}\" must be a list of strings"),
    };

    private static void Add(Dictionary<string, List<DomainRule>> index, string key, DomainRule rule)
    {
        if (!index.TryGetValue(key, out var list))
        {
            index[key] = list = [];
        }

        list.Add(rule);
    }

    private static Regex Glob(string glob) =>
        new("^" + Regex.Escape(glob).Replace(@"\*", "[^/]*", StringComparison.Ordinal).Replace(@"\?", "[^/]", StringComparison.Ordinal) + "$",
            RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);
}
