using Microsoft.AspNetCore.Http;

namespace ManifestBuild.Relay;

/// <summary>
/// The relay's single HTTP endpoint: WebSocket upgrades become <see cref="RelayConnection"/>s,
/// `Accept: application/nostr+json` gets the NIP-11 document, anything else a short hint.
/// </summary>
internal sealed class RelayEndpoint
{
    private readonly RelayHub hub;
    private readonly byte[] information;
    private EmbeddedRelay? relay;

    public RelayEndpoint(RelayHub hub)
    {
        this.hub = hub;
        information = RelayInformationDocument.Build(hub.Options);
    }

    public void Attach(EmbeddedRelay started) => relay = started;

    public async Task HandleAsync(HttpContext context)
    {
        var response = context.Response;
        if (context.WebSockets.IsWebSocketRequest)
        {
            if (relay is null)
            {
                response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                return;
            }

            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            await new RelayConnection(socket, hub).RunAsync(relay.ShutdownToken);
            return;
        }

        // NIP-11 asks relays to allow cross-origin reads of the information document.
        response.Headers.AccessControlAllowOrigin = "*";
        response.Headers.AccessControlAllowHeaders = "*";
        response.Headers.AccessControlAllowMethods = "GET, OPTIONS";
        if (HttpMethods.IsOptions(context.Request.Method))
        {
            response.StatusCode = StatusCodes.Status204NoContent;
            return;
        }

        if (context.Request.Headers.Accept.Any(a => a?.Contains(RelayInformationDocument.MediaType, StringComparison.OrdinalIgnoreCase) == true))
        {
            response.ContentType = RelayInformationDocument.MediaType;
            await response.Body.WriteAsync(information, context.RequestAborted);
            return;
        }

        response.ContentType = "text/plain; charset=utf-8";
        await response.WriteAsync("ManifestBuild embedded Nostr relay: connect with a Nostr client over WebSocket.\n", context.RequestAborted);
    }
}
