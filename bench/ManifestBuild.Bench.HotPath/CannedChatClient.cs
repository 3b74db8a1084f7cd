using Microsoft.Extensions.AI;

namespace ManifestBuild.Bench.HotPath;

/// <summary>
/// An <see cref="IChatClient"/> that answers every request at once with the same reply, built once:
/// what a benchmark of the prediction's own work needs (no model, no network, no allocation of its own).
/// It counts the messages it was sent, so a benchmark can check a prompt really was built.
/// </summary>
public sealed class CannedChatClient : IChatClient
{
    private readonly Task<ChatResponse> response;

    public CannedChatClient(string reply)
    {
        response = Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, reply)));
    }

    /// <summary>The messages of the last request (enumerated, as a real client sends them all).</summary>
    public int LastMessageCount { get; private set; }

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var count = 0;
        foreach (var _ in messages)
        {
            count++;
        }

        LastMessageCount = count;
        return response;
    }

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("predictions do not stream");

    public object? GetService(Type serviceType, object? serviceKey = null) => serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose()
    {
    }
}
