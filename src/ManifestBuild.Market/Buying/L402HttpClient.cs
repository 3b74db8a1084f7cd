using System.Net;
using System.Net.Http.Headers;
using System.Text;
using ManifestBuild.Format;
using ManifestBuild.Market.L402;

namespace ManifestBuild.Market.Buying;

/// <summary>What the seller's endpoint answered to a GET: a challenge (402) or the content (200).</summary>
public sealed record L402Response(L402Challenge? Challenge, string? Content);

/// <summary>
/// The buyer's side of the L402 exchange over HTTP(S). Bounded: a timeout per request and a maximum
/// body size, so a hostile seller cannot hang or flood a build.
/// </summary>
public sealed class L402HttpClient
{
    public const int MaxBodyBytes = 4 * 1024 * 1024;
    private readonly HttpClient http;
    private readonly TimeSpan timeout;

    public L402HttpClient(HttpClient http, TimeSpan? timeout = null)
    {
        this.http = http;
        this.timeout = timeout ?? TimeSpan.FromSeconds(30);
    }

    /// <summary>The first GET: expects 402 with a challenge (or 200 if the seller gives it away).</summary>
    public async Task<L402Response> RequestAsync(Uri url, L402Credential? credential, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (credential is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", credential.ToAuthorizationHeader());
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new DsrsException(MarketErrorCodes.SellerUnreachable, $"the seller at {url.GetLeftPart(UriPartial.Path)} did not answer within {timeout.TotalSeconds:0} s");
        }
        catch (HttpRequestException e)
        {
            throw new DsrsException(MarketErrorCodes.SellerUnreachable, $"the seller at {url.GetLeftPart(UriPartial.Path)} cannot be reached: {UntrustedText.Neutralise(e.Message)}");
        }

        using (response)
        {
            var body = await ReadBoundedAsync(response, url, deadline.Token).ConfigureAwait(false);
            switch (response.StatusCode)
            {
                case HttpStatusCode.OK:
                    return new L402Response(null, body);
                case HttpStatusCode.PaymentRequired when credential is null:
                    var values = response.Headers.TryGetValues("WWW-Authenticate", out var headers) ? headers : [];
                    try
                    {
                        return new L402Response(L402Challenge.Parse(values), null);
                    }
                    catch (DsrsException e)
                    {
                        throw new DsrsException(MarketErrorCodes.SellerProtocolViolation, "the seller's 402 answer carries no usable L402 challenge: " + UntrustedText.Neutralise(e.Message));
                    }

                case HttpStatusCode.Unauthorized or HttpStatusCode.PaymentRequired or HttpStatusCode.Forbidden when credential is not null:
                    throw new DsrsException(MarketErrorCodes.ReceiptRefused, $"the seller refused the paid credential ({(int)response.StatusCode}: {Trim(body)})");
                default:
                    throw new DsrsException(MarketErrorCodes.SellerProtocolViolation, $"the seller answered {(int)response.StatusCode} {UntrustedText.Neutralise(response.ReasonPhrase, 60)} ({Trim(body)})");
            }
        }
    }

    private static async Task<string> ReadBoundedAsync(HttpResponseMessage response, Uri url, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentLength > MaxBodyBytes)
        {
            throw new DsrsException(MarketErrorCodes.SellerProtocolViolation, $"the seller at {url.Host} sent more than {MaxBodyBytes} bytes");
        }

        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                throw new DsrsException(MarketErrorCodes.SellerProtocolViolation, $"the seller at {url.Host} sent more than {MaxBodyBytes} bytes");
            }

            buffer.Write(chunk, 0, read);
        }

        try
        {
            return new UTF8Encoding(false, true).GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        }
        catch (DecoderFallbackException)
        {
            throw new DsrsException(MarketErrorCodes.SellerProtocolViolation, "the seller's answer is not UTF-8");
        }
    }

    /// <summary>A seller's body in an error: never raw (an ESC sequence could rewrite the build log), capped.</summary>
    private static string Trim(string body) => UntrustedText.Neutralise(body.ReplaceLineEndings(" ").Trim());
}
