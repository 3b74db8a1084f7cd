using Microsoft.Extensions.AI;

namespace ManifestBuild.Runtime;

/// <summary>Sends a formatted prompt through an <see cref="IChatClient"/> and parses the reply.</summary>
public static class Predictor
{
    public static async Task<FieldValues> PredictAsync(
        IChatClient client,
        SignatureSpec signature,
        IEnumerable<PromptDemo> demos,
        FieldValues inputs,
        ChatOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        var messages = PromptFormatter.Format(signature, demos, inputs);
        var response = await client.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        return ReplyParser.Parse(signature, response.Text);
    }

    /// <summary>As above, with the prompt's fixed part laid out once for the signature in use.</summary>
    internal static async Task<FieldValues> PredictAsync(IChatClient client, PromptTemplate prompt, FieldValues inputs, ChatOptions? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var messages = prompt.Format(inputs);
        var response = await client.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        return ReplyParser.Parse(prompt.Spec, response.Text);
    }
}

/// <summary>
/// A manifest without a field schema: inputs and outputs are name/value maps of strings. The input
/// fields are the input map's names in its order; the caller names the output fields it wants.
/// </summary>
public sealed class UntypedSignature
{
    public UntypedSignature(string signatureName, string instruction, PromptAdapter adapter, IReadOnlyList<UntypedDemo> demos)
    {
        SignatureName = signatureName;
        Instruction = instruction;
        Adapter = adapter;
        Demos = demos;
    }

    public string SignatureName { get; }

    public string Instruction { get; }

    public PromptAdapter Adapter { get; }

    public IReadOnlyList<UntypedDemo> Demos { get; }

    public IReadOnlyList<ChatMessage> FormatMessages(IReadOnlyDictionary<string, string> inputs, IReadOnlyList<string> outputNames)
    {
        var spec = SpecFor(inputs, outputNames);
        return PromptFormatter.Format(spec, PromptDemos(), ToValues(inputs));
    }

    public IReadOnlyDictionary<string, string> ParseReply(string reply, IReadOnlyDictionary<string, string> inputs, IReadOnlyList<string> outputNames) =>
        FromValues(ReplyParser.Parse(SpecFor(inputs, outputNames), reply));

    public async Task<IReadOnlyDictionary<string, string>> PredictAsync(
        IChatClient client,
        IReadOnlyDictionary<string, string> inputs,
        IReadOnlyList<string> outputNames,
        ChatOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var spec = SpecFor(inputs, outputNames);
        var values = await Predictor.PredictAsync(client, spec, PromptDemos(), ToValues(inputs), options, cancellationToken).ConfigureAwait(false);
        return FromValues(values);
    }

    private SignatureSpec SpecFor(IReadOnlyDictionary<string, string> inputs, IReadOnlyList<string> outputNames)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(outputNames);
        return new SignatureSpec(
            SignatureName,
            Instruction,
            inputs.Keys.Select(name => new SignatureField(name, FieldKind.String)).ToArray(),
            outputNames.Select(name => new SignatureField(name, FieldKind.String)).ToArray(),
            Adapter);
    }

    private IEnumerable<PromptDemo> PromptDemos() => Demos.Select(d => new PromptDemo(ToValues(d.Inputs), ToValues(d.Outputs)));

    private static FieldValues ToValues(IEnumerable<KeyValuePair<string, string>> map)
    {
        var values = new FieldValues();
        foreach (var (name, value) in map)
        {
            values.Add(name, value);
        }

        return values;
    }

    private static IReadOnlyDictionary<string, string> FromValues(FieldValues values) =>
        values.ToDictionary(pair => pair.Key, pair => (string)pair.Value, StringComparer.Ordinal);
}

/// <summary>A few-shot example of an untyped manifest: name/value maps, values as text.</summary>
public sealed record UntypedDemo(IReadOnlyDictionary<string, string> Inputs, IReadOnlyDictionary<string, string> Outputs);
