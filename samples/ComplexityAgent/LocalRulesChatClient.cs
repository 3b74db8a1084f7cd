using System.Runtime.CompilerServices;
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
    private static readonly string[] ModerateWords = ["add", "implement", "test", "parse", "endpoint"];

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

    private static string Plan(string goal) =>
        $"[[ ## steps ## ]]\n[\"read the code around: {Escape(goal)}\", \"write a failing test\", \"change it in small steps\", \"run the whole suite\"]\n\n[[ ## completed ## ]]";

    private static string LastField(string prompt, string field)
    {
        var marker = $"[[ ## {field} ## ]]";
        var start = prompt.LastIndexOf(marker, StringComparison.Ordinal);
        if (start < 0)
        {
            return prompt;
        }

        var value = prompt[(start + marker.Length)..];
        var end = value.IndexOf("[[ ##", StringComparison.Ordinal);
        return (end < 0 ? value : value[..end]).Trim();
    }

    private static string Escape(string text) => text.Replace("\\", "\\\\").Replace("\"", "\\\"");
}
