using ManifestBuild.Format;
using Microsoft.Extensions.AI;

namespace ManifestBuild.Runtime;

/// <summary>
/// A verified manifest used at run time without a generated class (one an agent bought a moment ago):
/// inputs and outputs by field name, typed per the manifest. It prompts, calls the
/// <see cref="IChatClient"/> and parses the reply through the same <see cref="Predictor"/>,
/// <see cref="PromptFormatter"/> and <see cref="ReplyParser"/> as a generated class, with the fields,
/// instruction and demos read by <see cref="ManifestSignature"/>: for the same manifest, the same prompt
/// and the same parse. Holding one means the manifest was parsed, validated and its compiled_id checked
/// against the expected one, once, where it entered.
/// </summary>
public sealed class DynamicSignature
{
    private DynamicSignature(string json, string compiledId, ManifestSignature signature)
    {
        Json = json;
        CompiledId = compiledId;
        Signature = signature;
    }

    /// <summary>The manifest text as it was handed over.</summary>
    public string Json { get; }

    /// <summary>The compiled_id the content hashes to, which is the id the caller expected.</summary>
    public string CompiledId { get; }

    /// <summary>The fields, instruction and demos underneath (what <c>dsrs evaluate</c> takes).</summary>
    public ManifestSignature Signature { get; }

    public string SignatureName => Spec.SignatureName;

    public SignatureSpec Spec => Signature.Spec;

    public IReadOnlyList<PromptDemo> Demos => Signature.Demos;

    /// <summary>The manifest declares its fields (else they are strings named when it was loaded).</summary>
    public bool IsTyped => Signature.IsTyped;

    /// <summary>
    /// Parses and validates manifest text (DSRS0100, DSRS0101, DSRS0106), checks that its stated compiled_id
    /// is the one its content hashes to (DSRS0104) and that this is the id the caller expected (DSRS1107).
    /// A manifest without a field schema needs the input and output field names to use, as strings
    /// (DSRS1111); for a typed manifest they are ignored.
    /// </summary>
    public static DynamicSignature FromManifest(string manifestJson, string expectedCompiledId, IReadOnlyList<string>? untypedInputs = null, IReadOnlyList<string>? untypedOutputs = null)
    {
        ArgumentNullException.ThrowIfNull(manifestJson);
        ArgumentNullException.ThrowIfNull(expectedCompiledId);
        if (!Format.CompiledId.IsWellFormed(expectedCompiledId))
        {
            throw new DsrsException(RuntimeErrorCodes.ManifestNotExpected, "the expected compiled_id is not 64 lowercase hex digits, so no manifest can be checked against it");
        }

        var manifest = Manifest.Parse(manifestJson);
        var compiledId = manifest.VerifyCompiledId();
        if (!string.Equals(compiledId, expectedCompiledId, StringComparison.Ordinal))
        {
            throw new DsrsException(RuntimeErrorCodes.ManifestNotExpected, $"the manifest '{manifest.SignatureName}' is {compiledId}, not the expected {expectedCompiledId}");
        }

        return Create(manifestJson, compiledId, manifest, untypedInputs, untypedOutputs);
    }

    /// <summary>
    /// From a manifest the market or the cache already verified (<see cref="ManifestVerifier"/>): nothing is
    /// parsed or hashed again. DSRS1111 as <see cref="FromManifest(string, string, IReadOnlyList{string}?, IReadOnlyList{string}?)"/>.
    /// </summary>
    public static DynamicSignature FromVerified(VerifiedManifest verified, IReadOnlyList<string>? untypedInputs = null, IReadOnlyList<string>? untypedOutputs = null)
    {
        ArgumentNullException.ThrowIfNull(verified);
        return Create(verified.Text, verified.CompiledId, verified.Manifest, untypedInputs, untypedOutputs);
    }

    private static DynamicSignature Create(string manifestJson, string compiledId, Manifest manifest, IReadOnlyList<string>? untypedInputs, IReadOnlyList<string>? untypedOutputs)
    {
        if (!ManifestSignature.HasFieldSchema(manifest) && (untypedInputs is null || untypedOutputs is null || untypedOutputs.Count == 0))
        {
            throw new DsrsException(RuntimeErrorCodes.UntypedFieldsUnnamed,
                $"the manifest '{manifest.SignatureName}' ({compiledId}) declares no fields: name the input and output fields to use (as strings)");
        }

        return new DynamicSignature(manifestJson, compiledId, ManifestSignature.FromManifest(manifest, untypedInputs, untypedOutputs));
    }

    /// <summary>The chat messages a call would send (system, demo turns, the input). DSRS1108-1110 for a bad input.</summary>
    public IReadOnlyList<ChatMessage> FormatMessages(IReadOnlyDictionary<string, object?> inputs) =>
        Signature.Prompt.Format(NamedValues.ToInputs(Spec, inputs));

    /// <summary>Parses a model's reply into outputs by field name; DSRS1100-1104 when it does not fit.</summary>
    public IReadOnlyDictionary<string, object> ParseReply(string? reply) => NamedValues.FromOutputs(Spec, ReplyParser.Parse(Spec, reply));

    public Task<IReadOnlyDictionary<string, object>> PredictAsync(IChatClient client, IReadOnlyDictionary<string, object?> inputs, CancellationToken cancellationToken = default) =>
        PredictAsync(client, inputs, null, cancellationToken);

    /// <summary>
    /// Sends the prompt through <paramref name="client"/> (the options unchanged) and returns the outputs by
    /// field name: string, int, double, bool, IReadOnlyList&lt;string&gt;, an enum as the manifest spells its value.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, object>> PredictAsync(IChatClient client, IReadOnlyDictionary<string, object?> inputs, ChatOptions? options, CancellationToken cancellationToken = default)
    {
        // Inputs are checked before anything is sent: a typo costs no model call.
        var values = NamedValues.ToInputs(Spec, inputs);
        var outputs = await Predictor.PredictAsync(client, Signature.Prompt, values, options, cancellationToken).ConfigureAwait(false);
        return NamedValues.FromOutputs(Spec, outputs);
    }
}
