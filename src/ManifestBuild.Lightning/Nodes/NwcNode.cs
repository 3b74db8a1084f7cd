using System.Text.Json.Nodes;
using ManifestBuild.Format;
using ManifestBuild.Nostr;
using ManifestBuild.Nostr.Relays;

namespace ManifestBuild.Lightning.Nodes;

/// <summary>
/// A wallet reached through Nostr Wallet Connect (NIP-47): each call is a kind 23194 request,
/// NIP-44 v2 encrypted to the wallet service (NIP-04 for a wallet whose info event has no `encryption` tag), signed with the connection's secret, carrying
/// <c>p</c>, <c>encryption</c> and <c>expiration</c> tags; the answer is the kind 23195 event from the
/// wallet service whose <c>e</c> tag names the request. Methods: pay_invoice, lookup_invoice,
/// make_invoice, get_info (and get_balance when offered).
/// </summary>
public sealed class NwcNode : ILightningNode
{
    public const int RequestKind = 23194;
    public const int ResponseKind = 23195;

    /// <summary>The wallet service's info event (replaceable): its methods and encryption modes.</summary>
    public const int InfoKind = 13194;

    private static readonly TimeSpan InfoTimeout = TimeSpan.FromSeconds(10);

    private const string Label = "the NWC wallet service";
    private readonly string walletPubkey;
    private readonly IReadOnlyList<Uri> relays;
    private readonly NostrKeyPair clientKey;
    private readonly string secretHex;
    private bool? legacyNip04;
    private readonly NodeOptions options;
    private readonly RelayClientOptions? relayOptions;
    private readonly SemaphoreSlim connecting = new(1, 1);
    private List<RelayClient>? clients;

    public NwcNode(string walletPubkeyHex, IReadOnlyList<Uri> relays, string secretHex, NodeOptions? options = null, RelayClientOptions? relayOptions = null)
    {
        walletPubkey = walletPubkeyHex;
        this.relays = relays;
        clientKey = NostrKeyPair.FromSecretHex(secretHex);
        this.secretHex = secretHex;
        this.options = options ?? NodeOptions.Default;
        this.relayOptions = relayOptions;
    }

    public string Kind => "nwc";

    public static NwcNode FromConnection(NodeConnection connection, NodeOptions? options = null) =>
        new(connection.Require("pubkey"), connection.Relays, connection.Require("secret"), options);

    public async Task<NodeInfo> GetInfoAsync(CancellationToken cancellationToken)
    {
        var info = Expect(await RequestAsync("get_info", new JsonObject(), options.RequestTimeout, cancellationToken).ConfigureAwait(false), "get_info");
        long? balance = null;
        if (info["methods"] is JsonArray methods && methods.Any(m => (string?)m == "get_balance"))
        {
            try
            {
                var answer = await RequestAsync("get_balance", new JsonObject(), options.RequestTimeout, cancellationToken).ConfigureAwait(false);
                balance = answer.Error is null ? NodeJson.Long(answer.Result, "balance") : null;
            }
            catch (DsrsException)
            {
                // The balance is informative only.
            }
        }

        return new NodeInfo(
            NodeJson.String(info, "pubkey") ?? string.Empty,
            NodeJson.Network(NodeJson.String(info, "network") ?? "mainnet", Label),
            NodeJson.String(info, "alias"),
            balance);
    }

    public async Task<PaymentResult> PayAsync(string bolt11, long maxFeeMsat, CancellationToken cancellationToken)
    {
        NodeJson.RequireFeeCap(maxFeeMsat);
        var invoice = NodeJson.PayableInvoice(bolt11);
        var hash = invoice.PaymentHashHex;

        // NIP-47 has no fee limit parameter, so maxFeeMsat cannot be passed on: the wallet service's
        // own limits (an NWC connection normally carries a spending budget) bound the fee. The fee it
        // reports comes back in the result; the docs tell users to give NWC connections a budget.
        try
        {
            var answer = await RequestAsync("pay_invoice", new JsonObject { ["invoice"] = bolt11 }, options.PaymentTimeout + options.PaymentGrace, cancellationToken).ConfigureAwait(false);
            if (answer.Error is { } error)
            {
                return error.Code switch
                {
                    "PAYMENT_FAILED" => new PaymentResult(PaymentStatus.Failed, hash, FailureReason: "NWC PAYMENT_FAILED: " + error.Message),
                    "INSUFFICIENT_BALANCE" or "QUOTA_EXCEEDED" or "RATE_LIMITED" => throw new DsrsException(NodeErrorCodes.PaymentRefused, $"the NWC wallet refused the payment ({error.Code}): {error.Message}; nothing was paid"),
                    _ when Refusal(error) is { } refusal => throw refusal,

                    // INTERNAL, OTHER or a code NIP-47 does not define: the wallet's record decides.
                    _ => await AfterUnclearErrorAsync(hash, error, cancellationToken).ConfigureAwait(false),
                };
            }

            var preimage = NodeJson.CheckedPreimage(NodeJson.String(answer.Result, "preimage"), hash)
                ?? throw new DsrsException(NodeErrorCodes.UnexpectedResponse, "the NWC wallet reports the payment done without a preimage that hashes to the invoice's payment hash");
            return new PaymentResult(PaymentStatus.Succeeded, hash, preimage, invoice.AmountMsat, NodeJson.Long(answer.Result, "fees_paid"));
        }
        catch (DsrsException e) when (NodeJson.LeavesOutcomeUnknown(e))
        {
            return NodeJson.Unknown(hash, e);
        }
    }

    public async Task<PaymentResult> LookupPaymentAsync(string paymentHashHex, CancellationToken cancellationToken)
    {
        var hash = NodeJson.RequireHash(paymentHashHex);
        var answer = await RequestAsync("lookup_invoice", new JsonObject { ["payment_hash"] = hash }, options.RequestTimeout, cancellationToken).ConfigureAwait(false);
        if (answer.Error is { Code: "NOT_FOUND" })
        {
            return new PaymentResult(PaymentStatus.NotFound, hash);
        }

        var result = Expect(answer, "lookup_invoice");
        if (NodeJson.String(result, "type") == "incoming")
        {
            return new PaymentResult(PaymentStatus.NotFound, hash); // our own invoice, not a payment
        }

        var preimage = NodeJson.CheckedPreimage(NodeJson.String(result, "preimage"), hash);
        var state = NodeJson.String(result, "state");
        if (preimage is not null && (state is null or "settled" || NodeJson.Long(result, "settled_at") is not null))
        {
            return new PaymentResult(PaymentStatus.Succeeded, hash, preimage, NodeJson.Long(result, "amount"), NodeJson.Long(result, "fees_paid"));
        }

        return state is "failed" or "expired"
            ? new PaymentResult(PaymentStatus.Failed, hash, FailureReason: "the NWC wallet lists the payment as " + state)
            : new PaymentResult(PaymentStatus.Pending, hash);
    }

    public async Task<CreatedInvoice> CreateInvoiceAsync(long amountMsat, string description, TimeSpan expiry, CancellationToken cancellationToken)
    {
        if (amountMsat <= 0)
        {
            throw new DsrsException(NodeErrorCodes.InvalidArgument, "the invoice amount must be positive");
        }

        var seconds = NodeJson.WholeSeconds(expiry);
        var created = DateTimeOffset.UtcNow;
        var request = new JsonObject { ["amount"] = amountMsat, ["description"] = description, ["expiry"] = seconds };
        var result = Expect(await RequestAsync("make_invoice", request, options.RequestTimeout, cancellationToken).ConfigureAwait(false), "make_invoice");
        var expiresAt = NodeJson.Long(result, "expires_at") is { } at ? DateTimeOffset.FromUnixTimeSeconds(at) : created.AddSeconds(seconds);
        return new CreatedInvoice(
            NodeJson.RequireString(result, "invoice", Label, "make_invoice"),
            NodeJson.Hex32(NodeJson.String(result, "payment_hash")) ?? throw NodeJson.Missing(Label, "make_invoice", "payment_hash"),
            expiresAt);
    }

    public async ValueTask DisposeAsync()
    {
        if (clients is not null)
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync().ConfigureAwait(false);
            }
        }

        connecting.Dispose();
    }

    private async Task<PaymentResult> AfterUnclearErrorAsync(string hash, NwcError error, CancellationToken cancellationToken)
    {
        var recorded = await NodeJson.LookupAfterSendAsync(this, hash, cancellationToken).ConfigureAwait(false);
        return recorded.Status == PaymentStatus.NotFound
            ? new PaymentResult(PaymentStatus.Failed, hash, FailureReason: $"NWC {error.Code}: {error.Message} (and the wallet has no record of the payment)")
            : recorded;
    }

    private static DsrsException? Refusal(NwcError error) => error.Code switch
    {
        "UNAUTHORIZED" or "RESTRICTED" => new DsrsException(NodeErrorCodes.AuthenticationRefused, $"the NWC wallet refused this connection ({error.Code}): {error.Message}"),
        "NOT_IMPLEMENTED" or "UNSUPPORTED_ENCRYPTION" => new DsrsException(NodeErrorCodes.MethodNotSupported, $"the NWC wallet does not support this ({error.Code}): {error.Message}"),
        _ => null,
    };

    private static JsonNode Expect(NwcAnswer answer, string method)
    {
        if (answer.Error is { } error)
        {
            throw Refusal(error) ?? new DsrsException(NodeErrorCodes.NodeError, $"the NWC wallet answered {method} with {error.Code}: {error.Message}");
        }

        return answer.Result ?? throw NodeJson.Missing(Label, method, "result");
    }

    /// <summary>Sends one request and waits for its response (the first valid one from any relay).</summary>
    private async Task<NwcAnswer> RequestAsync(string method, JsonObject parameters, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var connected = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        var nip04 = await UsesNip04Async(connected, cancellationToken).ConfigureAwait(false);
        var payload = new JsonObject { ["method"] = method, ["params"] = parameters }.ToJsonString();
        var expiration = DateTimeOffset.UtcNow.Add(timeout).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var request = nip04
            ? clientKey.Sign(RequestKind, [["p", walletPubkey], ["expiration", expiration]], Nip04.Encrypt(payload, secretHex, walletPubkey))
            : clientKey.Sign(RequestKind, [["p", walletPubkey], ["encryption", "nip44_v2"], ["expiration", expiration]], Nip44.Encrypt(payload, clientKey, walletPubkey));

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        var filter = new NostrFilter { Kinds = [ResponseKind], Authors = [walletPubkey] }.WithTag("e", request.Id).WithTag("p", clientKey.PublicKeyHex);
        var response = new TaskCompletionSource<NostrEvent>(TaskCreationOptions.RunContinuationsAsynchronously);
        var subscriptions = new List<RelaySubscription>();
        try
        {
            // Subscribe before publishing, so the response cannot slip past.
            foreach (var client in connected)
            {
                var subscription = await client.SubscribeAsync([filter], null, limit.Token).ConfigureAwait(false);
                subscriptions.Add(subscription);
                _ = WatchAsync(subscription, request.Id, response, limit.Token);
            }

            var published = await Task.WhenAll(connected.Select(c => c.PublishAsync(request, timeout, limit.Token))).ConfigureAwait(false);
            if (!published.Any(p => p.Success) && published.All(p => p.Status is not PublishStatus.Timeout))
            {
                throw new DsrsException(NodeErrorCodes.RelayRefused, $"no relay accepted the NWC {method} request: {string.Join("; ", published.Select(p => p.Relay.Authority + ": " + p.Message))}");
            }

            var answer = await response.Task.WaitAsync(limit.Token).ConfigureAwait(false);
            return Decode(answer, method, nip04);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new AmbiguousOutcomeException(NodeErrorCodes.TimedOut, $"{Label} did not answer {method} within {timeout.TotalSeconds:0.###} s");
        }
        finally
        {
            foreach (var subscription in subscriptions)
            {
                await subscription.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private async Task WatchAsync(RelaySubscription subscription, string requestId, TaskCompletionSource<NostrEvent> response, CancellationToken token)
    {
        try
        {
            await foreach (var item in subscription.Items.ReadAllAsync(token).ConfigureAwait(false))
            {
                // Relays may send anything: only a correctly signed answer from the wallet to this request counts.
                if (item.Event is { } e && e.Kind == ResponseKind && e.PubKey == walletPubkey && e.TagValues("e").Contains(requestId) && NostrEventVerifier.IsValid(e))
                {
                    response.TrySetResult(e);
                    return;
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or RelayException or System.Threading.Channels.ChannelClosedException)
        {
            // This relay is done; another may still answer, else the time limit reports it.
        }
    }

    private NwcAnswer Decode(NostrEvent answer, string method, bool nip04)
    {
        JsonNode? json;
        try
        {
            json = JsonNode.Parse(nip04 ? Nip04.Decrypt(answer.Content, secretHex, walletPubkey) : Nip44.Decrypt(answer.Content, clientKey, walletPubkey));
        }
        catch (Exception e) when (e is DsrsException or System.Text.Json.JsonException or FormatException or ArgumentException or System.Security.Cryptography.CryptographicException)
        {
            throw new DsrsException(NodeErrorCodes.UnexpectedResponse, $"{Label}'s answer to {method} cannot be decrypted or parsed ({e.GetType().Name})");
        }

        if (NodeJson.String(json, "result_type") is { } type && type != method)
        {
            throw new DsrsException(NodeErrorCodes.UnexpectedResponse, $"{Label} answered {method} with a {type} result");
        }

        if (json?["error"] is JsonObject error)
        {
            return new NwcAnswer(null, new NwcError(NodeJson.String(error, "code") ?? "OTHER", Clean(NodeJson.String(error, "message"))));
        }

        return new NwcAnswer(json?["result"], null);
    }

    /// <summary>
    /// NIP-47 negotiation: the wallet's info event (kind 13194) lists its encryption modes in an
    /// `encryption` tag; no tag means a wallet that predates NIP-44 and speaks only NIP-04. Read once
    /// per connection; without any info event NIP-44 is used (what current wallets speak).
    /// </summary>
    private async Task<bool> UsesNip04Async(List<RelayClient> connected, CancellationToken cancellationToken)
    {
        if (legacyNip04 is { } known)
        {
            return known;
        }

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(options.RequestTimeout < InfoTimeout ? options.RequestTimeout : InfoTimeout);
        var filter = new NostrFilter { Kinds = [InfoKind], Authors = [walletPubkey], Limit = 1 };
        var infos = await Task.WhenAll(connected.Select(c => ReadInfoAsync(c, filter, limit.Token))).ConfigureAwait(false);
        var info = infos.OfType<NostrEvent>().OrderByDescending(e => e.CreatedAt).FirstOrDefault();
        if (info is null)
        {
            return false; // not cached: a relay that was slow this time may carry it next time
        }

        var modes = info.TagValues("encryption").SelectMany(v => v.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList();
        legacyNip04 = modes.Count == 0 || (!modes.Contains("nip44_v2") && modes.Contains("nip04"))
            ? true
            : modes.Contains("nip44_v2")
                ? false
                : throw new DsrsException(NodeErrorCodes.UnsupportedEncryption, $"the NWC wallet offers only encryption it does not name as nip44_v2 or nip04 ({string.Join(' ', modes.Select(m => m.Length <= 20 ? m : "(unreadable)"))}); nothing was sent");
        return legacyNip04.Value;
    }

    private async Task<NostrEvent?> ReadInfoAsync(RelayClient client, NostrFilter filter, CancellationToken token)
    {
        try
        {
            await using var subscription = await client.SubscribeAsync([filter], null, token).ConfigureAwait(false);
            await foreach (var item in subscription.Items.ReadAllAsync(token).ConfigureAwait(false))
            {
                if (item.Kind != SubscriptionItemKind.Event)
                {
                    return null;
                }

                if (item.Event is { } e && e.Kind == InfoKind && e.PubKey == walletPubkey && NostrEventVerifier.IsValid(e))
                {
                    return e;
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or RelayException or System.Threading.Channels.ChannelClosedException)
        {
            // This relay had no answer in time; another may.
        }

        return null;
    }

    private async Task<List<RelayClient>> ConnectAsync(CancellationToken cancellationToken)
    {
        await connecting.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            clients?.RemoveAll(c => !c.IsConnected);
            if (clients is { Count: > 0 })
            {
                return clients;
            }

            clients = [];
            var failures = new List<string>();
            foreach (var relay in relays)
            {
                var client = new RelayClient(relay, relayOptions);
                try
                {
                    await client.ConnectAsync(cancellationToken).ConfigureAwait(false);
                    clients.Add(client);
                }
                catch (Exception e) when (e is RelayException or System.Net.WebSockets.WebSocketException or IOException or DsrsException)
                {
                    failures.Add(relay.Authority);
                    await client.DisposeAsync().ConfigureAwait(false);
                }
            }

            return clients.Count > 0
                ? clients
                : throw new DsrsException(NodeErrorCodes.Unreachable, $"no NWC relay could be reached ({string.Join(", ", failures)}); nothing was sent");
        }
        finally
        {
            connecting.Release();
        }
    }

    private static string Clean(string? text)
    {
        var result = new string([.. (text ?? string.Empty).Select(c => char.IsControl(c) ? ' ' : c)]).Trim();
        return result.Length > 300 ? result[..300] + "..." : result;
    }

    private sealed record NwcAnswer(JsonNode? Result, NwcError? Error);

    private sealed record NwcError(string Code, string Message);
}
