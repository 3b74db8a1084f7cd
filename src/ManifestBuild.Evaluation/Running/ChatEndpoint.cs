using System.ClientModel;
using System.ClientModel.Primitives;
using ManifestBuild.Format;
using Microsoft.Extensions.AI;
using OpenAI;

namespace ManifestBuild.Evaluation.Running;

/// <summary>
/// An OpenAI-compatible chat completions endpoint (a hosted model or a local server), reached through the
/// official Microsoft.Extensions.AI.OpenAI adapter. The base URL, model and key come from the environment;
/// the key is held here only to hand to the client and is never part of a message, a report or a log.
/// </summary>
public sealed class ChatEndpoint
{
    public const string BaseUrlVariable = "DSRS_EVAL_BASE_URL";
    public const string ModelVariable = "DSRS_EVAL_MODEL";
    public const string ApiKeyVariable = "DSRS_EVAL_API_KEY";

    // The OpenAI SDK's own names, used when the dsrs ones are not set.
    private const string OpenAiBaseUrlVariable = "OPENAI_BASE_URL";
    private const string OpenAiApiKeyVariable = "OPENAI_API_KEY";

    private readonly string? apiKey;

    private ChatEndpoint(Uri baseUrl, string model, string? apiKey)
    {
        BaseUrl = baseUrl;
        Model = model;
        this.apiKey = apiKey;
    }

    /// <summary>The API root, e.g. <c>http://127.0.0.1:8080/v1</c>; requests go to <c>{BaseUrl}/chat/completions</c>.</summary>
    public Uri BaseUrl { get; }

    public string Model { get; }

    /// <param name="model">Overrides DSRS_EVAL_MODEL (the CLI's --model).</param>
    public static ChatEndpoint FromEnvironment(Func<string, string?> environment, string? model = null)
    {
        var url = NonEmpty(environment(BaseUrlVariable)) ?? NonEmpty(environment(OpenAiBaseUrlVariable));
        var chosen = NonEmpty(model) ?? NonEmpty(environment(ModelVariable));
        if (url is null || chosen is null)
        {
            throw new DsrsException(EvaluationErrorCodes.EndpointNotConfigured,
                $"no model endpoint: set {BaseUrlVariable} (an OpenAI-compatible API root such as http://127.0.0.1:8080/v1) and {ModelVariable} or --model; {ApiKeyVariable} holds the key when the endpoint needs one");
        }

        // The URL is not echoed: a self-hosted one may carry a token in its query.
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            throw new DsrsException(EvaluationErrorCodes.EndpointNotConfigured, $"{BaseUrlVariable} must be an absolute http(s) URL");
        }

        return new ChatEndpoint(uri, chosen, NonEmpty(environment(ApiKeyVariable)) ?? NonEmpty(environment(OpenAiApiKeyVariable)));
    }

    /// <summary>A client with no retries of its own (<see cref="RetryingChatClient"/> retries) and a per-request timeout.</summary>
    public IChatClient CreateClient(TimeSpan networkTimeout)
    {
        var options = new OpenAIClientOptions
        {
            Endpoint = BaseUrl,
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            NetworkTimeout = networkTimeout,
            UserAgentApplicationId = "dsrs-evaluate",
        };

        // Local servers often take no key; the SDK needs one, and any placeholder will do for them.
        var credential = new ApiKeyCredential(apiKey ?? "no-key");
        return new OpenAI.Chat.ChatClient(Model, credential, options).AsIChatClient();
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
