using ManifestBuild.Format;
using Microsoft.Extensions.AI;

namespace ManifestBuild.Runtime;

/// <summary>
/// A signature with typed input and output records: what a generated manifest class exposes as
/// <c>Signature</c>. The generated code supplies the conversions; everything else happens here.
/// It prompts with the manifest the class was built with until <see cref="UseManifest"/> hands it a
/// newer verified manifest of the same field schema; the swap is one reference write, so a call in
/// flight uses the old manifest or the new one entirely, never a mix.
/// </summary>
public sealed class TypedSignature<TInput, TOutput>
{
    private readonly Func<TInput, FieldValues> inputToValues;
    private readonly Func<FieldValues, TOutput> outputFromValues;
    private readonly InUse bakedIn;
    private InUse inUse;

    public TypedSignature(
        SignatureSpec spec,
        Func<TInput, FieldValues> inputToValues,
        Func<TOutput, FieldValues> outputToValues,
        Func<FieldValues, TOutput> outputFromValues,
        IReadOnlyList<Demo<TInput, TOutput>> demos)
        : this(spec, inputToValues, outputToValues, outputFromValues, demos, compiledId: null)
    {
    }

    /// <summary>Generated code passes the baked-in manifest's compiled_id as the last argument.</summary>
    public TypedSignature(
        SignatureSpec spec,
        Func<TInput, FieldValues> inputToValues,
        Func<TOutput, FieldValues> outputToValues,
        Func<FieldValues, TOutput> outputFromValues,
        IReadOnlyList<Demo<TInput, TOutput>> demos,
        string? compiledId)
    {
        ArgumentNullException.ThrowIfNull(spec);
        Demos = demos;
        this.inputToValues = inputToValues;
        this.outputFromValues = outputFromValues;
        var promptDemos = demos.Select(d => new PromptDemo(inputToValues(d.Input), outputToValues(d.Output))).ToArray();
        bakedIn = new InUse(spec, promptDemos, compiledId, new PromptTemplate(spec, promptDemos));
        inUse = bakedIn;
    }

    /// <summary>The fields and instruction prompts are built from now: the baked-in manifest's, or the one taken at run time.</summary>
    public SignatureSpec Spec => Current.Spec;

    /// <summary>The compiled_id of the manifest in use (null for a hand-built signature that was given none).</summary>
    public string? CompiledId => Current.CompiledId;

    /// <summary>The baked-in manifest's compiled_id.</summary>
    public string? BakedInCompiledId => bakedIn.CompiledId;

    /// <summary>False once a manifest taken at run time is in use.</summary>
    public bool UsesBakedInManifest => ReferenceEquals(Current, bakedIn);

    /// <summary>The baked-in manifest's demos, typed. A manifest taken at run time brings its own (in the prompt).</summary>
    public IReadOnlyList<Demo<TInput, TOutput>> Demos { get; }

    private InUse Current => Volatile.Read(ref inUse);

    /// <summary>The chat messages a call would send (system, demo turns, the input).</summary>
    public IReadOnlyList<ChatMessage> FormatMessages(TInput input)
    {
        var current = Current;
        return current.Prompt.Format(inputToValues(input));
    }

    /// <summary>Parses a model's reply into the output record; throws DSRS11xx when it does not fit.</summary>
    public TOutput ParseReply(string reply) => outputFromValues(ReplyParser.Parse(Current.Spec, reply));

    public async Task<TOutput> PredictAsync(IChatClient client, TInput input, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        // One read: the prompt and the parse use the same manifest even if another thread swaps it meanwhile.
        var current = Current;
        var values = await Predictor.PredictAsync(client, current.Prompt, inputToValues(input), options, cancellationToken).ConfigureAwait(false);
        return outputFromValues(values);
    }

    /// <summary>
    /// Prompts with <paramref name="manifest"/> from now on, when its field schema is this class's
    /// (<see cref="SignatureUpgrade"/>); otherwise throws DSRS1112 (another schema) or DSRS1113 (another
    /// signature) and keeps the manifest in use.
    /// </summary>
    public void UseManifest(DynamicSignature manifest)
    {
        if (!TryUseManifest(manifest, out var refusal))
        {
            throw refusal!;
        }
    }

    /// <summary>As <see cref="UseManifest"/>, but hands the refusal back instead of throwing it.</summary>
    public bool TryUseManifest(DynamicSignature manifest, out DsrsException? refusal)
    {
        ArgumentNullException.ThrowIfNull(manifest);

        // Checked against the baked-in fields: those are what the generated records were made from.
        refusal = SignatureUpgrade.Check(bakedIn.Spec, manifest);
        if (refusal is not null)
        {
            return false;
        }

        Volatile.Write(ref inUse, new InUse(manifest.Spec, manifest.Demos, manifest.CompiledId, manifest.Signature.Prompt));
        return true;
    }

    /// <summary>Goes back to the baked-in manifest.</summary>
    public void ResetManifest() => Volatile.Write(ref inUse, bakedIn);

    /// <summary>What one call prompts with (the prompt's fixed part laid out once): swapped as a whole.</summary>
    private sealed record InUse(SignatureSpec Spec, IReadOnlyList<PromptDemo> Demos, string? CompiledId, PromptTemplate Prompt);
}
