using ManifestBuild.Format.Json;
using ManifestBuild.Market.Redaction;

namespace ManifestBuild.Market.Tests;

/// <summary>
/// The hand-written leak corpus (TestData/leak-corpus.json): every planted private value is gone after
/// redaction, the training signal stays, the publish scanner finds every unredacted case and nothing in
/// the redacted one.
/// </summary>
public sealed class LeakCorpusTests
{
    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var c in Corpus())
        {
            data.Add(c.GetString("name")!);
        }

        return data;
    }

    [Fact]
    public void The_corpus_has_at_least_fifty_cases_with_unique_names()
    {
        var names = Corpus().Select(c => c.GetString("name")).ToList();
        Assert.True(names.Count >= 50, $"{names.Count} cases");
        Assert.Equal(names.Count, names.Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void No_planted_value_survives_and_the_signal_stays(string name)
    {
        var c = Case(name);
        var result = ManifestRedactor.Redact(c["rows"]!, RedactionMode.Paths, policy: Policy(c));
        var text = JsonWriter.Write(result.Document, false);
        foreach (var planted in Strings(c, "planted"))
        {
            Assert.False(text.Contains(planted, StringComparison.OrdinalIgnoreCase), $"'{planted}' survived: {text}");
        }

        foreach (var kept in Strings(c, "keep"))
        {
            Assert.True(text.Contains(kept, StringComparison.Ordinal), $"'{kept}' was lost: {text}");
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_scanner_refuses_the_unredacted_case_and_passes_the_redacted_one(string name)
    {
        var c = Case(name);
        var policy = Policy(c);
        Assert.NotEmpty(SecretScanner.Scan(c["rows"]!, policy));
        var redacted = ManifestRedactor.Redact(c["rows"]!, RedactionMode.Paths, policy: policy).Document;
        var left = SecretScanner.Scan(redacted, policy);
        Assert.True(left.Count == 0, SecretScanner.Describe(left) + ": " + JsonWriter.Write(redacted, false));
    }

    [Fact]
    public void Counts_and_labels_are_untouched()
    {
        var c = Case("internal URL in a description and its repo in the confidence note");
        var row = ((JsonArray)ManifestRedactor.Redact(c["rows"]!, RedactionMode.Paths).Document)[0].AsObject()!;
        Assert.Equal("High", row.GetString("expected_complexity"));
        Assert.Equal("0.91", JsonWriter.Write(row["confidence"]!, false));
    }

    private static JsonObject Case(string name) => Corpus().Single(c => c.GetString("name") == name);

    private static IEnumerable<JsonObject> Corpus() =>
        ((JsonArray)((JsonObject)JsonParser.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", "leak-corpus.json"))))["cases"]!)
            .Select(c => c.AsObject()!);

    private static RedactionPolicy Policy(JsonObject c) => new()
    {
        DenyNames = Strings(c, "deny"),
        PrivateUrls = Strings(c, "private_urls"),
        PrivateHosts = Strings(c, "private_hosts"),
    };

    private static List<string> Strings(JsonObject c, string member) =>
        c[member] is JsonArray a ? [.. a.Select(v => v.AsString()!)] : [];
}
