using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace DicomAgent;

/// <summary>
/// A deterministic stand-in for a language model, so the sample runs offline: it reads the task from
/// the prompt the manifest laid out and answers in the chat adapter's "[[ ## field ## ]]" layout.
/// Any Microsoft.Extensions.AI IChatClient (OpenAI, Ollama, a local server) can replace it.
/// </summary>
public sealed class LocalRulesChatClient : IChatClient
{
    private static readonly string[] Complex = ["large studies", "stream", "parallel", "memory", "optimi"];
    private static readonly string[] Moderate = ["add ", "option", "test", "support"];

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var prompt = messages.LastOrDefault(m => m.Role == ChatRole.User)?.Text ?? string.Empty;
        var marker = "[[ ## task ## ]]";
        var start = prompt.LastIndexOf(marker, StringComparison.Ordinal);
        var task = (start < 0 ? prompt : prompt[(start + marker.Length)..].TrimStart().Split("\n\n")[0]).ToLowerInvariant();
        var label = Complex.Any(task.Contains) ? "complex" : Moderate.Any(task.Contains) ? "moderate" : "simple";
        return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, $"[[ ## complexity ## ]]\n{label}\n\n[[ ## completed ## ]]")));
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
}
