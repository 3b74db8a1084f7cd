using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Text.Json.Nodes;
using ManifestBuild.Format;

namespace ManifestBuild.Lightning.Nodes;

/// <summary>
/// The HTTP side shared by the REST adapters: one connection pool per node, optional certificate
/// pinning, per-call time limits, and failures sorted into "nothing was sent" (a plain
/// DsrsException) versus "sent, outcome unknown" (<see cref="AmbiguousOutcomeException"/>), which a
/// payment must treat as possibly in flight. Node messages are scrubbed of our secrets before they
/// reach an exception.
/// </summary>
internal sealed class NodeHttpClient : IDisposable
{
    private const int MaxBodyChars = 4 * 1024 * 1024;
    private readonly HttpClient client;
    private readonly string[] secrets;

    public NodeHttpClient(string nodeLabel, Uri baseAddress, CertificatePin? pin, IEnumerable<string?> secrets)
    {
        NodeLabel = nodeLabel;
        this.secrets = [.. secrets.Where(s => !string.IsNullOrEmpty(s)).Select(s => s!)];
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false, // a redirect must never carry our credentials to another host
            ConnectTimeout = TimeSpan.FromSeconds(15),
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            AutomaticDecompression = DecompressionMethods.None,
        };
        if (pin is not null)
        {
            // Pinned: exactly this certificate, self-signed or not, whatever the host name.
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, _) => pin.Matches(certificate);
        }

        client = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = Timeout.InfiniteTimeSpan };
    }

    public string NodeLabel { get; }

    /// <summary>The node's address without user-info, query or fragment: the only form ever printed.</summary>
    private string SafeAddress => client.BaseAddress is { } address ? $"{address.Scheme}://{address.Authority}{address.AbsolutePath}" : "(no address)";

    public HttpRequestHeaders DefaultHeaders => client.DefaultRequestHeaders;

    /// <summary>Sends a request and reads the whole answer within <paramref name="timeout"/>.</summary>
    public Task<NodeHttpResponse> SendAsync(HttpMethod method, string path, HttpContent? content, TimeSpan timeout, CancellationToken cancellationToken) =>
        SendAsync(method, path, content, timeout, async (response, token) =>
        {
            var body = await ReadBodyAsync(response, token).ConfigureAwait(false);
            return new NodeHttpResponse(response.StatusCode, body);
        }, cancellationToken);

    /// <summary>Sends a request; <paramref name="read"/> consumes the answer (e.g. a stream) under the same time limit.</summary>
    public async Task<T> SendAsync<T>(HttpMethod method, string path, HttpContent? content, TimeSpan timeout, Func<HttpResponseMessage, CancellationToken, Task<T>> read, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        using var request = new HttpRequestMessage(method, path) { Content = content };
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, limit.Token).ConfigureAwait(false);
            return await read(response, limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (OperationCanceledException)
        {
            throw new AmbiguousOutcomeException(NodeErrorCodes.TimedOut, $"{NodeLabel} did not answer {method} /{path} within {timeout.TotalSeconds:0.###} s");
        }
        catch (HttpRequestException e) when (e.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError or HttpRequestError.ProxyTunnelError)
        {
            throw new DsrsException(NodeErrorCodes.Unreachable, $"{NodeLabel} at {SafeAddress} cannot be reached ({e.HttpRequestError}); nothing was sent");
        }
        catch (HttpRequestException e) when (e.HttpRequestError is HttpRequestError.SecureConnectionError)
        {
            throw new DsrsException(NodeErrorCodes.CertificateRefused, $"the TLS connection to {NodeLabel} at {SafeAddress} was refused: its certificate is not the pinned one, or is not trusted and no pin is configured (certthumbprint/certfilepath); nothing was sent");
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            throw new AmbiguousOutcomeException(NodeErrorCodes.Unreachable, $"the connection to {NodeLabel} dropped during {method} /{path} before a complete answer");
        }
    }

    /// <summary>Reads a body, refusing absurdly large ones.</summary>
    public static async Task<string> ReadBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        return body.Length > MaxBodyChars ? body[..MaxBodyChars] : body;
    }

    /// <summary>A node-provided text made safe for an exception message: our secrets removed, length bounded.</summary>
    public string Scrub(string? text)
    {
        var result = text ?? string.Empty;
        foreach (var secret in secrets)
        {
            result = result.Replace(secret, "***", StringComparison.OrdinalIgnoreCase);
        }

        result = new string([.. result.Select(c => char.IsControl(c) ? ' ' : c)]).Trim();
        return result.Length > 300 ? result[..300] + "..." : result;
    }

    /// <summary>Parses a JSON body; a non-JSON answer is an unexpected response.</summary>
    public JsonNode ParseJson(NodeHttpResponse response, string what)
    {
        try
        {
            return JsonNode.Parse(response.Body) ?? throw new System.Text.Json.JsonException("null");
        }
        catch (System.Text.Json.JsonException)
        {
            throw new DsrsException(NodeErrorCodes.UnexpectedResponse, $"{NodeLabel} answered {what} with HTTP {(int)response.Status} and a body that is not JSON: {Scrub(response.Body)}");
        }
    }

    /// <summary>401/403: the credentials were refused (nothing was done).</summary>
    public void ThrowIfUnauthorized(NodeHttpResponse response, string credentialKey)
    {
        if (response.Status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            throw new DsrsException(NodeErrorCodes.AuthenticationRefused, $"{NodeLabel} refused the credentials from '{credentialKey}' (HTTP {(int)response.Status}): {Scrub(response.Body)}");
        }
    }

    public void Dispose() => client.Dispose();
}

/// <summary>A complete HTTP answer.</summary>
internal sealed record NodeHttpResponse(HttpStatusCode Status, string Body)
{
    public bool IsSuccess => (int)Status is >= 200 and < 300;
}

/// <summary>
/// The request may have reached the node but no complete answer came back (time limit, dropped
/// connection). For a payment this means "possibly in flight": report Pending, never re-send.
/// </summary>
public sealed class AmbiguousOutcomeException : DsrsException
{
    public AmbiguousOutcomeException(string code, string message)
        : base(code, message)
    {
    }
}
