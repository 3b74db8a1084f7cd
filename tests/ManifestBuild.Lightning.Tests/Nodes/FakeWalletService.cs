using System.Text.Json.Nodes;
using ManifestBuild.Nostr;
using ManifestBuild.Nostr.Relays;

namespace ManifestBuild.Lightning.Tests.Nodes;

/// <summary>
/// A NIP-47 wallet service for tests: listens on a relay for kind 23194 requests to its key,
/// decrypts them (NIP-44 v2), records them, and answers with what <c>answer</c> returns
/// (a JSON response object, or null to stay silent).
/// </summary>
internal sealed class FakeWalletService : IAsyncDisposable
{
    private readonly RelayClient client;
    private readonly RelaySubscription subscription;
    private readonly Func<string, JsonObject, JsonObject?> answer;
    private readonly Task loop;

    private FakeWalletService(NostrKeyPair key, RelayClient client, RelaySubscription subscription, Func<string, JsonObject, JsonObject?> answer)
    {
        Key = key;
        this.client = client;
        this.subscription = subscription;
        this.answer = answer;
        loop = Task.Run(ServeAsync);
    }

    public NostrKeyPair Key { get; }

    public List<(NostrEvent Request, string Method, JsonObject Params)> Seen { get; } = [];

    /// <summary>When set, this event (e.g. a forgery) is published before each genuine answer.</summary>
    public Func<NostrEvent, NostrEvent>? Forge { get; init; }

    public static async Task<FakeWalletService> StartAsync(Uri relay, Func<string, JsonObject, JsonObject?> answer, Func<NostrEvent, NostrEvent>? forge = null)
    {
        var key = NostrKeyPair.Generate();
        var client = new RelayClient(relay);
        await client.ConnectAsync();
        var subscription = await client.SubscribeAsync([new NostrFilter { Kinds = [23194] }.WithTag("p", key.PublicKeyHex)]);
        return new FakeWalletService(key, client, subscription, answer) { Forge = forge };
    }

    /// <summary>A result response: {"result_type": method, "result": result}.</summary>
    public static JsonObject Result(string method, JsonObject result) => new() { ["result_type"] = method, ["error"] = null, ["result"] = result };

    /// <summary>An error response with a NIP-47 code.</summary>
    public static JsonObject Error(string method, string code, string message) =>
        new() { ["result_type"] = method, ["error"] = new JsonObject { ["code"] = code, ["message"] = message }, ["result"] = null };

    public async ValueTask DisposeAsync()
    {
        await subscription.DisposeAsync();
        await client.DisposeAsync();
        try
        {
            await loop.WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception e) when (e is OperationCanceledException or TimeoutException or RelayException or System.Threading.Channels.ChannelClosedException)
        {
        }
    }

    private async Task ServeAsync()
    {
        await foreach (var item in subscription.Items.ReadAllAsync())
        {
            if (item.Event is not { } request || !NostrEventVerifier.IsValid(request))
            {
                continue;
            }

            var json = JsonNode.Parse(Nip44.Decrypt(request.Content, Key, request.PubKey))!.AsObject();
            var method = (string)json["method"]!;
            var parameters = json["params"]!.AsObject();
            lock (Seen)
            {
                Seen.Add((request, method, parameters));
            }

            if (answer(method, parameters) is not { } response)
            {
                continue;
            }

            if (Forge is not null)
            {
                await client.PublishAsync(Forge(request), TimeSpan.FromSeconds(10));
            }

            var reply = Key.Sign(23195, [["p", request.PubKey], ["e", request.Id]], Nip44.Encrypt(response.ToJsonString(), Key, request.PubKey));
            await client.PublishAsync(reply, TimeSpan.FromSeconds(10));
        }
    }
}
