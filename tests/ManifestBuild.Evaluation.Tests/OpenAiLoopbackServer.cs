using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ManifestBuild.Evaluation.Tests;

/// <summary>What the loopback server saw of one chat completions request.</summary>
internal sealed record ChatRequest(string Model, string System, string LastUser, string Authorization, DateTimeOffset At);

/// <summary>How the server answers one request.</summary>
internal abstract record ServerReply
{
    public sealed record Answer(string Content) : ServerReply;

    /// <summary>429 with <c>Retry-After</c> (seconds) and the API's rate-limit error body.</summary>
    public sealed record RateLimited(int RetryAfterSeconds) : ServerReply;

    /// <summary>500 with the API's server error body.</summary>
    public sealed record ServerError : ServerReply;

    /// <summary>200 whose only choice has no message.</summary>
    public sealed record MalformedChoice : ServerReply;

    /// <summary>Answers only once the test opens the gate (or the client goes away).</summary>
    public sealed record Slow(string Content) : ServerReply;
}

/// <summary>
/// A loopback Kestrel server speaking the OpenAI chat completions API (POST /v1/chat/completions, the
/// request and response JSON of the public API, Bearer keys, the error bodies, Retry-After). It answers
/// through a deterministic function of the request, so a test knows exactly what accuracy to expect.
/// </summary>
internal sealed class OpenAiLoopbackServer : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly TaskCompletionSource gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource slowArrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<ChatRequest> requests = [];

    private OpenAiLoopbackServer(WebApplication app) => this.app = app;

    /// <summary>The API root to configure (…/v1).</summary>
    public Uri BaseUrl { get; private set; } = new("http://127.0.0.1/v1");

    public IReadOnlyList<ChatRequest> Requests
    {
        get
        {
            lock (requests)
            {
                return [.. requests];
            }
        }
    }

    /// <summary>Completes when a request that gets a <see cref="ServerReply.Slow"/> answer has arrived.</summary>
    public Task SlowRequestArrived => slowArrived.Task;

    public void OpenGate() => gate.TrySetResult();

    public static async Task<OpenAiLoopbackServer> StartAsync(string? requiredKey, Func<ChatRequest, int, ServerReply> answer)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var server = new OpenAiLoopbackServer(app);
        app.MapPost("/v1/chat/completions", async (HttpContext context) =>
        {
            var body = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
            var authorization = context.Request.Headers.Authorization.ToString();
            if (requiredKey is not null && authorization != "Bearer " + requiredKey)
            {
                await Error(context, 401, "Incorrect API key provided.", "invalid_request_error", "invalid_api_key");
                return;
            }

            var messages = body!["messages"]!.AsArray();
            var request = new ChatRequest(
                body["model"]!.GetValue<string>(),
                messages.Where(m => m!["role"]!.GetValue<string>() == "system").Select(Text).FirstOrDefault() ?? string.Empty,
                messages.Where(m => m!["role"]!.GetValue<string>() == "user").Select(Text).LastOrDefault() ?? string.Empty,
                authorization,
                DateTimeOffset.UtcNow);
            int seen;
            lock (server.requests)
            {
                seen = server.requests.Count(r => r.LastUser == request.LastUser && r.System == request.System);
                server.requests.Add(request);
            }

            switch (answer(request, seen))
            {
                case ServerReply.Answer a:
                    await Completion(context, request.Model, a.Content);
                    break;
                case ServerReply.RateLimited limited:
                    context.Response.Headers["Retry-After"] = limited.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                    await Error(context, 429, "Rate limit reached for requests", "requests", "rate_limit_exceeded");
                    break;
                case ServerReply.ServerError:
                    await Error(context, 500, "The server had an error while processing your request.", "server_error", null);
                    break;
                case ServerReply.MalformedChoice:
                    await Json(context, 200, new JsonObject
                    {
                        ["id"] = "chatcmpl-malformed",
                        ["object"] = "chat.completion",
                        ["created"] = 1_700_000_000,
                        ["model"] = request.Model,
                        ["choices"] = new JsonArray(new JsonObject { ["index"] = 0, ["finish_reason"] = "stop" }),
                    });
                    break;
                case ServerReply.Slow slow:
                    server.slowArrived.TrySetResult();
                    await server.gate.Task.WaitAsync(context.RequestAborted);
                    await Completion(context, request.Model, slow.Content);
                    break;
            }
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseUrl = new Uri(address + "/v1");
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        gate.TrySetResult();
        using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await app.StopAsync(stopping.Token);
        await app.DisposeAsync();
    }

    // Content is a string, or an array of parts of which the text ones count.
    private static string Text(JsonNode? message)
    {
        var content = message!["content"];
        return content switch
        {
            JsonValue value => value.GetValue<string>(),
            JsonArray parts => string.Concat(parts.Where(p => p!["type"]?.GetValue<string>() == "text").Select(p => p!["text"]!.GetValue<string>())),
            _ => string.Empty,
        };
    }

    private static Task Completion(HttpContext context, string model, string content) =>
        Json(context, 200, new JsonObject
        {
            ["id"] = "chatcmpl-" + Guid.NewGuid().ToString("N")[..12],
            ["object"] = "chat.completion",
            ["created"] = 1_700_000_000,
            ["model"] = model,
            ["choices"] = new JsonArray(new JsonObject
            {
                ["index"] = 0,
                ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = content, ["refusal"] = null },
                ["logprobs"] = null,
                ["finish_reason"] = "stop",
            }),
            ["usage"] = new JsonObject { ["prompt_tokens"] = 100, ["completion_tokens"] = 10, ["total_tokens"] = 110 },
            ["system_fingerprint"] = "fp_loopback",
        });

    private static Task Error(HttpContext context, int status, string message, string type, string? code) =>
        Json(context, status, new JsonObject { ["error"] = new JsonObject { ["message"] = message, ["type"] = type, ["param"] = null, ["code"] = code } });

    private static async Task Json(HttpContext context, int status, JsonObject body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.ToJsonString(new JsonSerializerOptions { WriteIndented = false }), context.RequestAborted);
    }
}
