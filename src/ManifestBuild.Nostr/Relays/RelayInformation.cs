using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ManifestBuild.Nostr.Relays;

/// <summary>NIP-11 relay limitations (the members ManifestBuild acts on; others stay in the raw document).</summary>
public sealed record RelayLimitation
{
    [JsonPropertyName("max_message_length")] public long? MaxMessageLength { get; init; }
    [JsonPropertyName("max_subscriptions")] public int? MaxSubscriptions { get; init; }
    [JsonPropertyName("max_limit")] public int? MaxLimit { get; init; }
    [JsonPropertyName("max_subid_length")] public int? MaxSubidLength { get; init; }
    [JsonPropertyName("max_event_tags")] public int? MaxEventTags { get; init; }
    [JsonPropertyName("max_content_length")] public long? MaxContentLength { get; init; }
    [JsonPropertyName("min_pow_difficulty")] public int? MinPowDifficulty { get; init; }
    [JsonPropertyName("auth_required")] public bool? AuthRequired { get; init; }
    [JsonPropertyName("payment_required")] public bool? PaymentRequired { get; init; }
    [JsonPropertyName("restricted_writes")] public bool? RestrictedWrites { get; init; }
    [JsonPropertyName("created_at_lower_limit")] public long? CreatedAtLowerLimit { get; init; }
    [JsonPropertyName("created_at_upper_limit")] public long? CreatedAtUpperLimit { get; init; }
    [JsonPropertyName("default_limit")] public int? DefaultLimit { get; init; }
}

/// <summary>A NIP-11 relay information document.</summary>
public sealed record RelayInformation
{
    public const string MediaType = "application/nostr+json";

    [JsonPropertyName("name")] public string? Name { get; init; }
    [JsonPropertyName("description")] public string? Description { get; init; }
    [JsonPropertyName("pubkey")] public string? PubKey { get; init; }
    [JsonPropertyName("contact")] public string? Contact { get; init; }
    [JsonPropertyName("supported_nips")] public IReadOnlyList<int>? SupportedNips { get; init; }
    [JsonPropertyName("software")] public string? Software { get; init; }
    [JsonPropertyName("version")] public string? Version { get; init; }
    [JsonPropertyName("icon")] public string? Icon { get; init; }
    [JsonPropertyName("limitation")] public RelayLimitation? Limitation { get; init; }

    /// <summary>The document as received (members not modelled here included).</summary>
    [JsonIgnore] public string? RawJson { get; init; }

    private static readonly JsonSerializerOptions SerializerOptions = new()
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.Strict,
    };

    /// <summary>Parses a document; a wrong type for a known member is a <see cref="RelayException"/>-free parse failure.</summary>
    public static bool TryParse(string json, out RelayInformation? information, out string? error)
    {
        try
        {
            information = JsonSerializer.Deserialize<RelayInformation>(json, SerializerOptions);
            if (information is null)
            {
                error = "the document is null";
                return false;
            }

            information = information with { RawJson = json };
            error = null;
            return true;
        }
        catch (JsonException e)
        {
            information = null;
            error = e.Message;
            return false;
        }
    }

    public string ToJson() => JsonSerializer.Serialize(this, SerializerOptions);

    /// <summary>
    /// GETs the relay's NIP-11 document (http(s) on the relay's host and path, with
    /// <c>Accept: application/nostr+json</c>), bounded in time and size.
    /// </summary>
    public static async Task<RelayInformation> FetchAsync(Uri relay, HttpClient? httpClient = null, TimeSpan? timeout = null, int maxBytes = 256 * 1024, CancellationToken cancellationToken = default)
    {
        relay = RelayUrl.Parse(relay.OriginalString);
        var url = RelayUrl.ToHttp(relay);
        var ownClient = httpClient is null;
        httpClient ??= new HttpClient();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout ?? TimeSpan.FromSeconds(10));
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(MediaType));
            using var response = await httpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw Failed(relay, $"HTTP {(int)response.StatusCode} from {url}");
            }

            if (response.Content.Headers.ContentLength > maxBytes)
            {
                throw Failed(relay, $"document of {response.Content.Headers.ContentLength} bytes exceeds {maxBytes}");
            }

            await using var stream = await response.Content.ReadAsStreamAsync(deadline.Token).ConfigureAwait(false);
            var buffer = new MemoryStream();
            var chunk = new byte[8192];
            int read;
            while ((read = await stream.ReadAsync(chunk, deadline.Token).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > maxBytes)
                {
                    throw Failed(relay, $"document exceeds {maxBytes} bytes");
                }

                buffer.Write(chunk, 0, read);
            }

            var json = System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
            return TryParse(json, out var info, out var error) ? info! : throw Failed(relay, "not a NIP-11 document: " + error);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new RelayException(NostrErrorCodes.RelayInfoFailed, RelayErrorKind.Timeout, relay, "no NIP-11 document within the timeout");
        }
        catch (HttpRequestException e)
        {
            throw new RelayException(NostrErrorCodes.RelayInfoFailed, RelayErrorKind.ConnectionLost, relay, "NIP-11 request failed: " + e.Message, e);
        }
        finally
        {
            if (ownClient)
            {
                httpClient.Dispose();
            }
        }
    }

    private static RelayException Failed(Uri relay, string why) =>
        new(NostrErrorCodes.RelayInfoFailed, RelayErrorKind.ProtocolError, relay, "NIP-11: " + why);
}
