using Microsoft.Extensions.AI;

namespace ManifestBuild.Runtime.Tests;

/// <summary>An IChatClient that records every prompt it receives and answers with canned replies, in order.</summary>
public sealed class ScriptedChatClient(params string[] replies) : IChatClient
{
    private readonly Queue<string> replies = new(replies);

    public List<IReadOnlyList<ChatMessage>> Prompts { get; } = [];

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Prompts.Add(messages.ToList());
        if (replies.Count == 0)
        {
            throw new InvalidOperationException("the script has no reply left");
        }

        return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, replies.Dequeue())));
    }

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("the runtime does not stream");

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}
