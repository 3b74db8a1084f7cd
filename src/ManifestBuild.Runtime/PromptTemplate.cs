using Microsoft.Extensions.AI;

namespace ManifestBuild.Runtime;

/// <summary>
/// What a prompt holds that depends only on the signature and its demos, laid out once: the system
/// message, the demo turns, each input's section marker and the output requirements. A call then lays
/// out only its own input. Generated classes, <see cref="ManifestSignature"/> and <see cref="DynamicSignature"/>
/// keep one per manifest in use: their fields and demos do not change once made. The text is exactly
/// <see cref="PromptFormatter"/>'s (it is built by the same functions).
/// </summary>
internal sealed class PromptTemplate
{
    private readonly IEnumerable<PromptDemo> demos;

    // Laid out on first use, not when the signature is made: a demo that cannot be shown fails the
    // call that would send it (as it always did), not a generated class's type initializer.
    private Layout? layout;

    public PromptTemplate(SignatureSpec spec, IEnumerable<PromptDemo> demos)
    {
        Spec = spec;
        this.demos = demos;
    }

    public SignatureSpec Spec { get; }

    /// <summary>The chat messages for <paramref name="inputs"/>; new messages every call (a caller may change them).</summary>
    public IReadOnlyList<ChatMessage> Format(FieldValues inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        PromptFormatter.CheckInputs(Spec, inputs);

        // Two threads may both lay it out on first use; they build the same text and either one is kept.
        var laidOut = layout ??= new Layout(Spec, demos);
        var messages = new List<ChatMessage>(laidOut.Turns.Length + 1);
        foreach (var (role, text) in laidOut.Turns)
        {
            messages.Add(new ChatMessage(role, text));
        }

        messages.Add(new ChatMessage(ChatRole.User, laidOut.MainRequest(Spec, inputs)));
        return messages;
    }

    private sealed class Layout
    {
        private readonly string[] headers;
        private readonly string requirements;

        public Layout(SignatureSpec spec, IEnumerable<PromptDemo> demos)
        {
            Turns = PromptFormatter.FixedTurns(spec, demos);
            headers = spec.Inputs.Select(field => PromptFormatter.Section(field.Name, string.Empty)).ToArray();
            requirements = PromptFormatter.OutputRequirements(spec);
        }

        /// <summary>The system message and the demos' user and assistant turns, in order.</summary>
        public (ChatRole Role, string Text)[] Turns { get; }

        /// <summary>PromptFormatter's main user turn (each input's section, then the requirements), as one string.</summary>
        public string MainRequest(SignatureSpec spec, FieldValues inputs)
        {
            var fields = spec.Inputs;
            var values = new string?[fields.Count];
            var length = requirements.Length;
            for (var i = 0; i < fields.Count; i++)
            {
                if (inputs.TryGetValue(fields[i].Name, out var value))
                {
                    values[i] = PromptFormatter.FormatValue(fields[i], value);
                    length += headers[i].Length + values[i]!.Length + 2;
                }
            }

            var text = string.Create(length, (headers, values, requirements), static (span, state) =>
            {
                var at = 0;
                for (var i = 0; i < state.values.Length; i++)
                {
                    if (state.values[i] is { } value)
                    {
                        state.headers[i].CopyTo(span[at..]);
                        at += state.headers[i].Length;
                        value.CopyTo(span[at..]);
                        at += value.Length;
                        "\n\n".CopyTo(span[at..]);
                        at += 2;
                    }
                }

                state.requirements.CopyTo(span[at..]);
            });

            // As PromptFormatter joins its parts: nothing to trim unless a section starts or ends with white space.
            return text.Trim();
        }
    }
}
