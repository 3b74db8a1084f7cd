using System.ClientModel;
using System.Globalization;
using System.Net;
using ManifestBuild.Format;
using Microsoft.Extensions.AI;

namespace ManifestBuild.Evaluation.Running;

/// <summary>How often and how long to retry a model call that failed for a reason that may pass.</summary>
public sealed record RetryPolicy
{
    public static RetryPolicy Default { get; } = new();

    /// <summary>Attempts in all, the first included.</summary>
    public int MaxAttempts { get; init; } = 6;

    /// <summary>The first backoff when the server gives no Retry-After; it doubles each attempt.</summary>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>No wait is longer, whatever Retry-After asks.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(60);
}

/// <summary>
/// Retries 408, 429 and 5xx answers and network failures with exponential backoff, waiting what the
/// server's <c>retry-after-ms</c> or <c>Retry-After</c> (seconds or an HTTP date) asks when it says.
/// Other failures (401, 400, ...) are not retried: they do not pass by waiting. Give the OpenAI client
/// no retries of its own (<see cref="ChatEndpoint"/> does that), so that this is the only policy.
/// </summary>
public sealed class RetryingChatClient : DelegatingChatClient
{
    private readonly RetryPolicy policy;
    private int retries;

    public RetryingChatClient(IChatClient inner, RetryPolicy? policy = null)
        : base(inner)
    {
        this.policy = policy ?? RetryPolicy.Default;
        if (this.policy.MaxAttempts < 1)
        {
            throw new DsrsException(EvaluationErrorCodes.InvalidOption, "a retry policy needs at least one attempt");
        }
    }

    /// <summary>Retries made so far (a measure of how hard the endpoint pushed back).</summary>
    public int Retries => Volatile.Read(ref retries);

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var list = messages as IReadOnlyList<ChatMessage> ?? messages.ToList();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await base.GetResponseAsync(list, options, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested && Transient(e, out var status, out var retryAfter))
            {
                if (attempt >= policy.MaxAttempts)
                {
                    throw new DsrsException(EvaluationErrorCodes.EndpointFailed,
                        $"the model endpoint still fails after {attempt} attempts ({status}); the answers received so far are cached, so running again resumes", e);
                }

                Interlocked.Increment(ref retries);
                var backoff = TimeSpan.FromTicks(policy.BaseDelay.Ticks * (1L << Math.Min(attempt - 1, 20)));
                var delay = retryAfter ?? backoff;
                await Task.Delay(delay > policy.MaxDelay ? policy.MaxDelay : delay, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    internal static bool Transient(Exception e, out string status, out TimeSpan? retryAfter)
    {
        retryAfter = null;
        switch (e)
        {
            case ClientResultException result when result.Status is 408 or 429 or >= 500:
                status = "HTTP " + result.Status.ToString(CultureInfo.InvariantCulture);
                retryAfter = RetryAfter(result.GetRawResponse());
                return true;
            case ClientResultException { Status: 0 }:
                status = "no answer: " + e.GetType().Name;
                return true;
            case HttpRequestException http when http.StatusCode is null or HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int?)http.StatusCode >= 500:
                status = http.StatusCode is { } code ? "HTTP " + ((int)code).ToString(CultureInfo.InvariantCulture) : "network: " + http.HttpRequestError;
                return true;
            case IOException or TimeoutException or TaskCanceledException:
                // A network timeout surfaces as a cancellation the caller did not ask for.
                status = "network: " + e.GetType().Name;
                return true;
            default:
                status = string.Empty;
                return false;
        }
    }

    private static TimeSpan? RetryAfter(System.ClientModel.Primitives.PipelineResponse? response)
    {
        if (response is null)
        {
            return null;
        }

        if (response.Headers.TryGetValue("retry-after-ms", out var ms) && double.TryParse(ms, NumberStyles.Float, CultureInfo.InvariantCulture, out var millis) && millis >= 0)
        {
            return TimeSpan.FromMilliseconds(millis);
        }

        if (!response.Headers.TryGetValue("Retry-After", out var value) || value is null)
        {
            return null;
        }

        if (int.TryParse(value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return TimeSpan.FromSeconds(seconds);
        }

        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date)
            ? (date - DateTimeOffset.UtcNow) is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero
            : null;
    }
}
