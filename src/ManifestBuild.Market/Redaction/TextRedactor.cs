using System.Text;
using System.Text.RegularExpressions;

namespace ManifestBuild.Market.Redaction;

/// <summary>
/// Replaces sensitive spans in strings with placeholders that stay consistent across one document:
/// the same path is <c>&lt;PATH_1&gt;</c> everywhere it occurs, so the demos still read coherently.
/// </summary>
public sealed class TextRedactor
{
    private readonly RedactionMode mode;
    private readonly HashSet<string> protectedWords;
    private readonly string? localUserName;
    private readonly NameLearner learner;
    private readonly Dictionary<(RedactionKind, string), string> placeholders = [];
    private readonly Dictionary<RedactionKind, int> nextNumber = [];
    private readonly Dictionary<RedactionKind, int> occurrences = [];

    private static readonly HashSet<string> GenericAccounts = new(StringComparer.OrdinalIgnoreCase)
    {
        "root", "user", "admin", "administrator", "runner", "runneradmin", "ubuntu", "build", "builder", "app", "node", "vsts", "jenkins", "docker", "guest",
    };

    /// <param name="protectedWords">Words never replaced as identifiers (declared field names, enum values).</param>
    /// <param name="localUserName">The account name of the machine (redacted as a user name wherever it appears as a word).</param>
    /// <param name="policy">The seller's deny-list, private URLs and hosts, extra public hosts.</param>
    public TextRedactor(RedactionMode mode, IEnumerable<string>? protectedWords = null, string? localUserName = null, RedactionPolicy? policy = null)
    {
        this.mode = mode;
        this.protectedWords = new HashSet<string>(protectedWords ?? [], StringComparer.Ordinal);
        learner = new NameLearner(policy, this.protectedWords);
        // Service accounts ("root", "runner") are ordinary words in prose and identify nobody.
        this.localUserName = localUserName is { Length: >= 3 } && !GenericAccounts.Contains(localUserName) ? localUserName : null;
    }

    /// <summary>Occurrences replaced so far, by kind (the report: never the replaced text).</summary>
    public IReadOnlyDictionary<RedactionKind, int> Occurrences => occurrences;

    /// <summary>Distinct values replaced so far, by kind.</summary>
    public IReadOnlyDictionary<RedactionKind, int> DistinctValues => nextNumber;

    /// <summary>Every value replaced, with its placeholder, for <c>dsrs redact --show</c> only (these are the secrets).</summary>
    public IEnumerable<(RedactionKind Kind, string Value, string Placeholder)> Replacements =>
        placeholders.OrderBy(p => p.Key.Item1).ThenBy(p => p.Value, StringComparer.Ordinal).Select(p => (p.Key.Item1, p.Key.Item2, p.Value));

    /// <summary>The names learned so far (and the deny-list): what <see cref="Redact"/> replaces as <see cref="RedactionKind.Name"/>.</summary>
    public IReadOnlyCollection<string> LearnedNames => learner.Names;

    /// <summary>Learns names from a string without redacting it: the first pass over a document.</summary>
    public void Learn(string text) => learner.Observe(text);

    /// <param name="codeAware">False for prose members (field descriptions) where identifier rules do not apply.</param>
    public string Redact(string text, bool codeAware = true)
    {
        text = JsonEscapes.Normalise(text);
        learner.Observe(text);
        var result = Apply(text, RedactionRules.Secrets);
        result = Apply(result, RedactionRules.Locations);
        if (learner.HostsPattern is { } hosts)
        {
            result = ApplyOne(result, new RedactionRules.Rule(RedactionKind.Host, hosts));
        }

        if (learner.NamesPattern is { } names)
        {
            result = ApplyOne(result, new RedactionRules.Rule(RedactionKind.Name, names));
        }

        if (localUserName is not null)
        {
            var rule = new RedactionRules.Rule(RedactionKind.User, new Regex(@"(?<![\w-])(?<v>" + Regex.Escape(localUserName) + @")(?![\w-])", RegexOptions.CultureInvariant));
            result = Apply(result, [rule]);
        }

        if (codeAware && mode == RedactionMode.Full)
        {
            result = Apply(result, RedactionRules.Code);
        }

        if (codeAware && mode >= RedactionMode.Identifiers)
        {
            result = Apply(result, RedactionRules.Identifiers);
        }

        return result;
    }

    private string Apply(string text, IEnumerable<RedactionRules.Rule> rules)
    {
        foreach (var rule in rules)
        {
            text = ApplyOne(text, rule);
        }

        return text;
    }

    private string ApplyOne(string text, RedactionRules.Rule rule)
    {
        var guarded = RedactionRules.Placeholder.Matches(text).Select(m => (m.Index, End: m.Index + m.Length)).ToList();
        var builder = new StringBuilder(text.Length);
        var copied = 0;
        foreach (Match match in rule.Pattern.Matches(text))
        {
            var group = match.Groups[rule.Group];
            if (!group.Success || group.Index < copied)
            {
                continue;
            }

            var value = TrimTrailingPunctuation(group.Value);
            if (value.Length == 0 || guarded.Any(g => group.Index < g.End && group.Index + value.Length > g.Index))
            {
                continue;
            }

            if (rule.Kind == RedactionKind.Ident && protectedWords.Contains(value))
            {
                continue;
            }

            if (rule.Accept is not null && !rule.Accept(value, learner.Policy))
            {
                continue;
            }

            builder.Append(text, copied, group.Index - copied).Append(PlaceholderFor(rule.Kind, value));
            copied = group.Index + value.Length;
        }

        return copied == 0 ? text : builder.Append(text, copied, text.Length - copied).ToString();
    }

    private string PlaceholderFor(RedactionKind kind, string value)
    {
        if (kind is RedactionKind.Name or RedactionKind.Host)
        {
            value = value.ToLowerInvariant(); // "Acme" and "acme" are one name: one placeholder
        }

        occurrences[kind] = occurrences.GetValueOrDefault(kind) + 1;
        if (!placeholders.TryGetValue((kind, value), out var placeholder))
        {
            var number = nextNumber.GetValueOrDefault(kind) + 1;
            nextNumber[kind] = number;
            placeholder = $"<{kind.ToString().ToUpperInvariant()}_{number}>";
            placeholders[(kind, value)] = placeholder;
        }

        return placeholder;
    }

    // Sentence punctuation after a path or URL belongs to the sentence.
    private static string TrimTrailingPunctuation(string value) => value.TrimEnd('.', ',', ';', ':', '!', '?');
}
