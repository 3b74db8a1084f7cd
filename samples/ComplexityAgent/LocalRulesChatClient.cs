using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace ComplexityAgent;

/// <summary>
/// A deterministic stand-in for a language model, so the sample runs offline and prints the same
/// decisions every time. It reads the last input field of the prompt the manifest produced and
/// answers in the chat adapter's layout ("[[ ## field ## ]]" sections), as a real model would.
/// Any other Microsoft.Extensions.AI IChatClient (OpenAI, Ollama, Azure) can replace it.
/// </summary>
public sealed class LocalRulesChatClient : IChatClient
{
    private static readonly string[] ComplexWords = ["refactor", "migrate", "concurren", "distributed", "lifetime", "async runtime", "architecture"];
    private static readonly string[] ModerateWords = ["add ", "implement", "test", "endpoint", "retry"];

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var prompt = messages.LastOrDefault(m => m.Role == ChatRole.User)?.Text ?? string.Empty;
        var reply = prompt.Contains("[[ ## goal ## ]]", StringComparison.Ordinal)
            ? Plan(LastField(prompt, "goal"))
            : Classify(LastField(prompt, "task"));
        return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, reply)));
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var response = await GetResponseAsync(messages, options, cancellationToken);
        yield return new ChatResponseUpdate(ChatRole.Assistant, response.Text);
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose()
    {
    }

    private static string Classify(string task)
    {
        var text = task.ToLowerInvariant();
        var label = ComplexWords.Any(text.Contains) ? "complex" : ModerateWords.Any(text.Contains) ? "moderate" : "simple";
        return $"[[ ## complexity ## ]]\n{label}\n\n[[ ## completed ## ]]";
    }

    private static string Plan(string goal)
    {
        string[] steps = ["read the code around: " + goal, "write a failing test", "change it in small steps", "run the whole suite"];
        return $"[[ ## steps ## ]]\n{JsonSerializer.Serialize(steps)}\n\n[[ ## completed ## ]]";
    }

    private static string LastField(string prompt, string field)
    {
        var marker = $"[[ ## {field} ## ]]";
        var start = prompt.LastIndexOf(marker, StringComparison.Ordinal);
        if (start < 0)
        {
            return prompt;
        }

        // The value runs to the next blank line (the adapter's closing instruction follows it) or section.
        var value = prompt[(start + marker.Length)..].TrimStart();
        var end = value.IndexOf("\n\n", StringComparison.Ordinal);
        var section = value.IndexOf("[[ ##", StringComparison.Ordinal);
        if (section >= 0 && (end < 0 || section < end))
        {
            end = section;
        }

        return (end < 0 ? value : value[..end]).Trim();
    }
}
