using System.Text.RegularExpressions;
using ManifestBuild.Format;
using ManifestBuild.Format.Json;

namespace ManifestBuild.Evaluation.Tests;

/// <summary>
/// A manifest, labelled examples and a model whose answers are a known rule, so the expected accuracy
/// is exact. The "model" (the loopback server) labels code complex when it has a loop, but only when the
/// prompt carries the manifest's instruction; without it (the baseline) it always says simple.
/// </summary>
internal static partial class ComplexityWorld
{
    public const string Instruction = "Label the code complex when it has a loop, else simple.";

    public const string RateLimitOnce = "RATE-LIMIT-ONCE";
    public const string FailOnce = "FAIL-ONCE";
    public const string Malformed = "MALFORMED";
    public const string Slow = "SLOW";

    /// <summary>Ten examples; the rule gets 7 right (rows 7, 8 and 10 are labelled against it), always-simple gets 6.</summary>
    public static readonly (string Code, string Label)[] Ten =
    [
        ("for i in x: pass", "complex"),
        ("while true {}", "complex"),
        ("x = 1", "simple"),
        ("print(1)", "simple"),
        ("for a in b: for c in d: pass", "complex"),
        ("return 0", "simple"),
        ("y = f(x)", "complex"),
        ("for x in y: break", "simple"),
        ("def f(): pass", "simple"),
        ("while x: x -= 1", "simple"),
    ];

    public static JsonObject ManifestJson(double? claimed = 0.9, long? holdout = 200, string? instruction = Instruction)
    {
        var m = new JsonObject()
            .Add("format", "dsrs.manifest/1")
            .Add("signature_name", "ComplexityClassificationSignature")
            .Add("family", "complexity");
        if (instruction is not null)
        {
            m.Add("instruction", instruction);
        }

        m.Add("inputs", new JsonArray().Add(new JsonObject().Add("name", "code").Add("type", "string").Add("description", "a code snippet")))
            .Add("outputs", new JsonArray().Add(new JsonObject().Add("name", "complexity").Add("type", "enum").Add("values", JsonArray.OfStrings(["simple", "complex"]))))
            .Add("demos", new JsonArray().Add(new JsonObject().Add("inputs", new JsonObject().Add("code", "loop { tick() }")).Add("outputs", new JsonObject().Add("complexity", "complex"))));
        var card = new JsonObject().Add("median_score", 0.9).Add("rollouts", 8);
        if (claimed is { } a)
        {
            card.Add("accuracy", a);
        }

        if (holdout is { } h)
        {
            card.Add("holdout_size", h);
        }

        m.Add("scorecard", card.Add("metric", "exact")).Add("domain_tags", JsonArray.OfStrings(["python"])).Add("example_count", 500L);
        m.Add("compiled_id", CompiledId.Compute(m));
        return m;
    }

    public static Manifest Manifest(double? claimed = 0.9) => ManifestBuild.Format.Manifest.FromJson(ManifestJson(claimed));

    public static string JsonLines(IEnumerable<(string Code, string Label)> rows) =>
        string.Concat(rows.Select(r => JsonWriter.Write(new JsonObject().Add("inputs", new JsonObject().Add("code", r.Code)).Add("outputs", new JsonObject().Add("complexity", r.Label)), false) + "\n"));

    /// <summary>What the rule answers for a piece of code.</summary>
    public static string Rule(string code) => code.Contains("for ", StringComparison.Ordinal) || code.Contains("while ", StringComparison.Ordinal) ? "complex" : "simple";

    /// <summary>The server's answer: deterministic in the prompt; the markers in the code trigger the failure modes.</summary>
    public static ServerReply Answer(ChatRequest request, int seenBefore)
    {
        var code = CodeOf(request.LastUser);
        if (code.Contains(RateLimitOnce, StringComparison.Ordinal) && seenBefore == 0)
        {
            return new ServerReply.RateLimited(1);
        }

        if (code.Contains(FailOnce, StringComparison.Ordinal) && seenBefore == 0)
        {
            return new ServerReply.ServerError();
        }

        if (code.Contains(Malformed, StringComparison.Ordinal))
        {
            return new ServerReply.MalformedChoice();
        }

        // Capitalised on purpose: the enum must be compared after parsing, not as text.
        var label = request.System.Contains(Instruction, StringComparison.Ordinal) ? Rule(code) : "simple";
        var reply = $"[[ ## complexity ## ]]\n{char.ToUpperInvariant(label[0])}{label[1..]}\n\n[[ ## completed ## ]]";
        return code.Contains(Slow, StringComparison.Ordinal) && seenBefore == 0 ? new ServerReply.Slow(reply) : new ServerReply.Answer(reply);
    }

    public static string CodeOf(string userMessage)
    {
        var match = CodeSection().Match(userMessage);
        return match.Success ? match.Groups[1].Value.Trim() : string.Empty;
    }

    [GeneratedRegex(@"\[\[ ## code ## \]\]\n(.*?)(?:\n\n|$)", RegexOptions.Singleline)]
    private static partial Regex CodeSection();
}
