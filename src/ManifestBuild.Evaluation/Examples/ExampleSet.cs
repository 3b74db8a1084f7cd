using System.Security.Cryptography;
using ManifestBuild.Format;
using ManifestBuild.Format.Json;

namespace ManifestBuild.Evaluation.Examples;

/// <summary>One labelled example: the inputs to send and the outputs a right answer has. <see cref="Index"/> counts from 0.</summary>
public sealed record EvaluationExample(int Index, JsonObject Inputs, JsonObject Outputs);

/// <summary>
/// The buyer's examples: JSON lines of <c>{"inputs":{...},"outputs":{...}}</c> (the demos' shape) or a
/// DSPy devset (a JSON list of examples, each in that shape or flat as <c>Example.toDict()</c> writes it,
/// split into inputs and outputs by <c>_input_keys</c> or by the signature's declared fields).
/// <see cref="Sha256"/> identifies the set whatever its layout: the SHA-256 of the RFC 8785 canonical
/// JSON array of the <c>{inputs, outputs}</c> pairs, so a measured review can name what it measured on.
/// </summary>
public sealed class ExampleSet
{
    private const string InputKeysMember = "_input_keys";

    public ExampleSet(IReadOnlyList<EvaluationExample> examples)
    {
        if (examples.Count == 0)
        {
            throw new DsrsException(EvaluationErrorCodes.InvalidExamples, "the example set is empty; an accuracy needs at least one example");
        }

        Examples = examples;
        var pairs = new JsonArray(examples.Select(e => (JsonValue)new JsonObject().Add("inputs", e.Inputs).Add("outputs", e.Outputs)));
        Sha256 = Hex.Encode(SHA256.HashData(JsonCanonicalizer.CanonicalizeToUtf8(pairs)));
    }

    public IReadOnlyList<EvaluationExample> Examples { get; }

    public int Count => Examples.Count;

    /// <summary>Lowercase hex SHA-256 of the canonical examples (layout-independent).</summary>
    public string Sha256 { get; }

    public static ExampleSet Load(string path, IReadOnlyList<string>? inputNames = null, IReadOnlyList<string>? outputNames = null)
    {
        string text;
        try
        {
            text = Manifest.ReadText(path);
        }
        catch (DsrsException e)
        {
            throw new DsrsException(EvaluationErrorCodes.InvalidExamples, e.Message, e);
        }

        return Parse(text, inputNames, outputNames, path);
    }

    /// <param name="inputNames">The signature's input fields, to split flat examples; null for an untyped manifest.</param>
    public static ExampleSet Parse(string text, IReadOnlyList<string>? inputNames, IReadOnlyList<string>? outputNames, string source = "the examples")
    {
        var items = new List<(JsonObject Item, string Where)>();
        var trimmed = text.TrimStart('\uFEFF', ' ', '\t', '\r', '\n');
        if (trimmed.StartsWith('['))
        {
            if (Read(text, source) is not JsonArray array)
            {
                throw new DsrsException(EvaluationErrorCodes.InvalidExamples, source + " is not a JSON list of examples");
            }

            for (var i = 0; i < array.Count; i++)
            {
                items.Add((array[i] as JsonObject ?? throw Bad($"{source} item {i + 1} is {array[i].KindName()}, not an example object"), $"{source} item {i + 1}"));
            }
        }
        else
        {
            var lines = text.Replace("\r\n", "\n").Split('\n');
            for (var i = 0; i < lines.Length; i++)
            {
                if (lines[i].Trim().Length == 0)
                {
                    continue;
                }

                var where = $"{source} line {i + 1}";
                items.Add((Read(lines[i], where) as JsonObject ?? throw Bad(where + " is not a JSON object"), where));
            }
        }

        return new ExampleSet(items.Select((item, index) => Split(item.Item, index, item.Where, inputNames, outputNames)).ToArray());
    }

    private static EvaluationExample Split(JsonObject item, int index, string where, IReadOnlyList<string>? inputNames, IReadOnlyList<string>? outputNames)
    {
        if (item["inputs"] is JsonObject inputs && item["outputs"] is JsonObject outputs)
        {
            return new EvaluationExample(index, inputs, outputs);
        }

        // A flat DSPy example: the keys it was built with (with_inputs) or, failing that, the signature's fields.
        var keys = item[InputKeysMember] is JsonArray declared ? declared.Select(k => k.AsString()).OfType<string>().ToArray() : inputNames?.ToArray();
        if (keys is null)
        {
            throw Bad($"{where} is neither {{\"inputs\":{{...}},\"outputs\":{{...}}}} nor a DSPy example with {InputKeysMember}, and the manifest declares no input fields to split it by");
        }

        var flatInputs = new JsonObject();
        var flatOutputs = new JsonObject();
        foreach (var (name, value) in item)
        {
            if (name == InputKeysMember || name.StartsWith("dspy_", StringComparison.Ordinal))
            {
                continue;
            }

            if (keys.Contains(name, StringComparer.Ordinal))
            {
                flatInputs.Add(name, value);
            }
            else if (outputNames is null || outputNames.Contains(name, StringComparer.Ordinal))
            {
                flatOutputs.Add(name, value);
            }
        }

        return new EvaluationExample(index, flatInputs, flatOutputs);
    }

    private static JsonValue Read(string text, string where)
    {
        try
        {
            return JsonParser.Parse(text);
        }
        catch (DsrsException e)
        {
            throw Bad($"{where} is not valid JSON: {e.Message}");
        }
    }

    private static DsrsException Bad(string message) => new(EvaluationErrorCodes.InvalidExamples, message);
}
