using System.Text.Json.Nodes;
using ManifestBuild.Nostr;
using ManifestBuild.Nostr.Relays;

namespace ManifestBuild.Lightning.Tests.SpecFakes;

/// <summary>
/// A NIP-47 wallet service as nostr-protocol/nips at commit db5fe3de8c5d1443b634c9bbf66ecb004f337057
/// defines it in 47.md: an info event (kind 13194, content = the methods, an `encryption` tag listing
/// nip44_v2), kind 23194 requests tagged `p` (the service) and `encryption` nip44_v2, NIP-44 encrypted
/// {"method","params"}; kind 23195 answers tagged `p` and `e`, {"result_type","error","result"}; the
/// params each method takes; error codes PAYMENT_FAILED, NOT_FOUND, INTERNAL, OTHER...; lookup_invoice
/// transactions with type/state/invoice/payment_hash/preimage/amount/fees_paid (msat).
/// </summary>
internal sealed class NwcSpecServer : IAsyncDisposable
{
    private static readonly Dictionary<string, string[]> Params = new()
    {
        ["pay_invoice"] = ["invoice", "amount", "metadata"],
        ["lookup_invoice"] = ["payment_hash", "invoice"],
        ["make_invoice"] = ["amount", "description", "description_hash", "expiry", "metadata"],
        ["get_info"] = [],
        ["get_balance"] = [],
    };

    private readonly RelayClient client;
    private readonly RelaySubscription subscription;
    private readonly FakeLightningBackend backend;
    private readonly Task loop;

    private readonly bool legacy;

    private NwcSpecServer(NostrKeyPair key, RelayClient client, RelaySubscription subscription, FakeLightningBackend backend, bool legacy)
    {
        Key = key;
        this.legacy = legacy;
        this.client = client;
        this.subscription = subscription;
        this.backend = backend;
        loop = Task.Run(ServeAsync);
    }

    public NostrKeyPair Key { get; }

    /// <summary>
    /// <paramref name="encryption"/> is the info event's `encryption` tag; null publishes none, which
    /// NIP-47 defines as a wallet that speaks only NIP-04 (it then decrypts and answers with NIP-04).
    /// </summary>
    public static async Task<SpecNodeServer> StartAsync(FakeLightningBackend backend, Uri relay, string? encryption = "nip44_v2")
    {
        var key = NostrKeyPair.Generate();
        var client = new RelayClient(relay);
        await client.ConnectAsync();
        var info = key.Sign(13194, encryption is null ? [] : [["encryption", encryption]], "pay_invoice make_invoice lookup_invoice get_info get_balance");
        await client.PublishAsync(info, TimeSpan.FromSeconds(10));
        var subscription = await client.SubscribeAsync([new NostrFilter { Kinds = [23194] }.WithTag("p", key.PublicKeyHex)]);
        var server = new NwcSpecServer(key, client, subscription, backend, legacy: encryption is null || !encryption.Contains("nip44_v2"));
        var secret = NostrKeyPair.Generate();
        return new SpecNodeServer(server, backend, $"nostr+walletconnect://{key.PublicKeyHex}?relay={Uri.EscapeDataString(relay.ToString())}&secret={secret.ExportSecretHex()}");
    }

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

    private static JsonObject Result(string method, JsonObject result) => new() { ["result_type"] = method, ["error"] = null, ["result"] = result };

    private static JsonObject Error(string method, string code, string message) =>
        new() { ["result_type"] = method, ["error"] = new JsonObject { ["code"] = code, ["message"] = message }, ["result"] = null };

    private static JsonObject Transaction(FakePayment payment) => new()
    {
        ["type"] = "outgoing", ["state"] = payment.State switch { FakePaymentState.Succeeded => "settled", FakePaymentState.Failed => "failed", _ => "pending" },
        ["invoice"] = payment.Bolt11, ["payment_hash"] = payment.Hash, ["preimage"] = payment.Preimage, ["amount"] = payment.AmountMsat,
        ["fees_paid"] = payment.FeeMsat, ["created_at"] = payment.CreatedAt.ToUnixTimeSeconds(),
        ["settled_at"] = payment.State == FakePaymentState.Succeeded ? DateTimeOffset.UtcNow.ToUnixTimeSeconds() : null,
    };

    private async Task ServeAsync()
    {
        await foreach (var item in subscription.Items.ReadAllAsync())
        {
            if (item.Event is not { } request)
            {
                continue;
            }

            if (!NostrEventVerifier.IsValid(request))
            {
                backend.Violation("kind 23194: the request's signature is invalid");
                continue;
            }

            var claimed = request.TagValues("encryption").ToList();
            if ((legacy ? claimed.Any(c => c != "nip04") : !claimed.SequenceEqual(["nip44_v2"])) || !request.TagValues("p").SequenceEqual([Key.PublicKeyHex]))
            {
                backend.Violation($"kind 23194: the request lacks the p tag of the service or claims encryption [{string.Join(",", claimed)}] (the wallet speaks {(legacy ? "nip04 only" : "nip44_v2")})");
                continue;
            }

            JsonObject json;
            try
            {
                json = JsonNode.Parse(legacy ? LegacyNip04.Decrypt(request.Content, Key, request.PubKey) : Nip44.Decrypt(request.Content, Key, request.PubKey))!.AsObject();
            }
            catch (Exception e) when (e is FormatException or System.Security.Cryptography.CryptographicException or ManifestBuild.Format.DsrsException or System.Text.Json.JsonException)
            {
                backend.Violation($"kind 23194: the content cannot be decrypted as {(legacy ? "NIP-04" : "NIP-44")} ({e.GetType().Name})");
                continue;
            }

            var method = (string?)json["method"] ?? string.Empty;
            var parameters = json["params"] as JsonObject ?? new JsonObject();
            if (!Params.TryGetValue(method, out var allowed))
            {
                backend.Violation($"kind 23194: method '{method}' is not one the adapter should call");
                await ReplyAsync(request, Error(method, "NOT_IMPLEMENTED", "unknown method"));
                continue;
            }

            foreach (var key in parameters.Select(p => p.Key).Where(k => !allowed.Contains(k)))
            {
                backend.Violation($"{method}: unknown parameter '{key}'");
            }

            if (await AnswerAsync(method, parameters) is { } response)
            {
                await ReplyAsync(request, response);
            }
        }
    }

    private async Task<JsonObject?> AnswerAsync(string method, JsonObject parameters)
    {
        switch (method)
        {
            case "get_info":
                return Result(method, new JsonObject
                {
                    ["alias"] = "spec-nwc", ["network"] = "regtest", ["pubkey"] = backend.Wallet.NodeId,
                    ["methods"] = new JsonArray("pay_invoice", "make_invoice", "lookup_invoice", "get_info", "get_balance"),
                });
            case "get_balance":
                return Result(method, new JsonObject { ["balance"] = 1_000_000_000 });
            case "make_invoice":
                var created = await backend.Wallet.CreateInvoiceAsync((long)parameters["amount"]!, (string?)parameters["description"] ?? string.Empty, TimeSpan.FromSeconds((long?)parameters["expiry"] ?? 3600), default);
                return Result(method, new JsonObject
                {
                    ["type"] = "incoming", ["invoice"] = created.Bolt11, ["payment_hash"] = created.PaymentHashHex, ["amount"] = (long)parameters["amount"]!,
                    ["created_at"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(), ["expires_at"] = created.ExpiresAt.ToUnixTimeSeconds(),
                });
            case "lookup_invoice":
                var found = parameters["payment_hash"] is { } h ? await backend.FindAsync((string)h!) : null;
                return found is null ? Error(method, "NOT_FOUND", "no such invoice or payment") : Result(method, Transaction(found));
            default:
                var (payment, existing, outcome) = await backend.PayAsync((string)parameters["invoice"]!);
                if (existing)
                {
                    return payment.State == FakePaymentState.Succeeded
                        ? Result(method, new JsonObject { ["preimage"] = payment.Preimage, ["fees_paid"] = payment.FeeMsat })
                        : Error(method, "INTERNAL", "a payment for this invoice is in flight");
                }

                // Dropped or still retrying: the service never answers this request.
                return outcome is FakePayOutcome.PayThenDrop or FakePayOutcome.StayInFlight || payment.State == FakePaymentState.InFlight
                    ? null
                    : payment.State == FakePaymentState.Succeeded
                        ? Result(method, new JsonObject { ["preimage"] = payment.Preimage, ["fees_paid"] = payment.FeeMsat })
                        : Error(method, "PAYMENT_FAILED", "no route");
        }
    }

    private async Task ReplyAsync(NostrEvent request, JsonObject response)
    {
        var content = legacy ? LegacyNip04.Encrypt(response.ToJsonString(), Key, request.PubKey) : Nip44.Encrypt(response.ToJsonString(), Key, request.PubKey);
        var reply = Key.Sign(23195, [["p", request.PubKey], ["e", request.Id]], content);
        await client.PublishAsync(reply, TimeSpan.FromSeconds(10));
    }
}
