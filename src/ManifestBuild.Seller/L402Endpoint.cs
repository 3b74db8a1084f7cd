using System.Text;
using ManifestBuild.Format;
using ManifestBuild.Format.Json;
using ManifestBuild.Market.L402;
using ManifestBuild.Seller.Sales;
using Microsoft.AspNetCore.Http;

namespace ManifestBuild.Seller;

/// <summary>
/// The request handler of <c>dsrs serve</c>: <c>GET /manifests/{compiled_id}</c> (402 with an invoice
/// and a token, or 200 with the manifest for a valid credential), <c>GET /health</c>. Every failure is
/// a 4xx with a JSON reason, or 503 when the node cannot make an invoice; never a 500. Each request
/// is logged with its status and why (request data escaped: <see cref="UntrustedText"/>).
/// </summary>
internal sealed partial class L402Endpoint
{
    private const string BundlesPrefix = "/bundles/";
    private const string WhyItem = "dsrs.why";
    private readonly SellerServerOptions options;
    private readonly CatalogWatcher catalog;
    private readonly ConnectionBudget connections;
    private readonly byte[] rootKey;
    private readonly ClientRateLimiter requests;
    private readonly ClientRateLimiter invoices;
    private readonly SalesJournal sales;
    private long invoicesCreated;
    private long deliveries;

    public L402Endpoint(SellerServerOptions options, CatalogWatcher catalog, ConnectionBudget connections, byte[] rootKey, SalesJournal sales)
    {
        this.options = options;
        this.sales = sales;
        this.catalog = catalog;
        this.connections = connections;
        this.rootKey = rootKey;
        requests = new ClientRateLimiter(options.RateLimitPerWindow, options.RateLimitWindow);
        invoices = new ClientRateLimiter(options.InvoiceLimitPerWindow, options.RateLimitWindow);
    }

    public long InvoicesCreated => Interlocked.Read(ref invoicesCreated);

    public long Deliveries => Interlocked.Read(ref deliveries);

    public long ConnectionsRefused => connections.Refused;

    public async Task HandleAsync(HttpContext context)
    {
        var status = 500;
        try
        {
            status = await RouteAsync(context).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            status = 499; // the client went away
            Why(context, "the client went away");
        }
        catch (Exception e)
        {
            // Last line of defence: an unexpected fault is the server's, but its text may carry
            // internals, so the client gets a generic reason and the log the type only.
            status = await WriteErrorAsync(context, StatusCodes.Status503ServiceUnavailable, "the seller could not handle this request (" + e.GetType().Name + ")").ConfigureAwait(false);
        }
        finally
        {
            var why = context.Items.TryGetValue(WhyItem, out var text) ? ": " + UntrustedText.Neutralise(text as string, 300) : string.Empty;
            options.Log?.Invoke($"{UntrustedText.Neutralise(context.Connection.RemoteIpAddress?.ToString(), 46)} {UntrustedText.Neutralise(context.Request.Method, 16)} {UntrustedText.Neutralise(context.Request.Path.Value, 120)} -> {status}{why}");
        }
    }

    private async Task<int> RouteAsync(HttpContext context)
    {
        var request = context.Request;
        if (!requests.TryAcquire(ClientAddress.Key(context.Connection.RemoteIpAddress)))
        {
            context.Response.Headers.RetryAfter = ((int)options.RateLimitWindow.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return await WriteErrorAsync(context, StatusCodes.Status429TooManyRequests, "too many requests from this address; retry later").ConfigureAwait(false);
        }

        if (request.ContentLength > 0 || request.Headers.ContainsKey("Transfer-Encoding"))
        {
            return await WriteErrorAsync(context, StatusCodes.Status413PayloadTooLarge, "requests carry no body").ConfigureAwait(false);
        }

        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method))
        {
            context.Response.Headers.Allow = "GET, HEAD";
            return await WriteErrorAsync(context, StatusCodes.Status405MethodNotAllowed, "only GET is served").ConfigureAwait(false);
        }

        var path = request.Path.Value ?? string.Empty;
        if (path == "/health")
        {
            return await WriteJsonAsync(context, StatusCodes.Status200OK, JsonWriter.Write(Health(), false)).ConfigureAwait(false);
        }

        if (path.StartsWith(SubscriptionsPrefix, StringComparison.Ordinal))
        {
            return await SubscriptionAsync(context, path[SubscriptionsPrefix.Length..].TrimEnd('/')).ConfigureAwait(false);
        }

        if (path.StartsWith(BundlesPrefix, StringComparison.Ordinal))
        {
            return await BundleAsync(context, path[BundlesPrefix.Length..].TrimEnd('/')).ConfigureAwait(false);
        }

        var kind = path.StartsWith(CatalogAsset.PathPrefix(CatalogAssetKind.Dataset), StringComparison.Ordinal) ? CatalogAssetKind.Dataset : CatalogAssetKind.Manifest;
        if (!path.StartsWith(CatalogAsset.PathPrefix(kind), StringComparison.Ordinal))
        {
            return await WriteErrorAsync(context, StatusCodes.Status404NotFound, "not found; manifests are at /manifests/<compiled_id>, datasets at /datasets/<dataset_id>").ConfigureAwait(false);
        }

        var id = path[CatalogAsset.PathPrefix(kind).Length..].TrimEnd('/');
        if (!CompiledId.IsWellFormed(id))
        {
            return await WriteErrorAsync(context, StatusCodes.Status400BadRequest, "the compiled_id must be 64 lowercase hex characters").ConfigureAwait(false);
        }

        var current = catalog.Current;
        var entry = current.Find(id);
        if (entry is null || entry.Kind != kind)
        {
            return await WriteErrorAsync(context, StatusCodes.Status404NotFound, "this seller does not sell " + (kind == CatalogAssetKind.Dataset ? "dataset " : "manifest ") + id).ConfigureAwait(false);
        }

        var authorizations = request.Headers.Authorization;
        if (authorizations.Count == 0)
        {
            return await ChallengeAsync(context, entry.CompiledId, entry.PriceMsat, entry.PriceSource, InvoiceDescription(entry), hash => L402Token.Mint(rootKey, hash, entry.CompiledId), "no credential", entry.SignatureName).ConfigureAwait(false);
        }

        // A bundle's token downloads each member: the catalog on sale now says which bundle holds which manifest.
        // A subscription token downloads each version of its line published before its expiry.
        return await DeliverAsync(context, id, entry.Text, bundleId => current.BundleGrants(bundleId, id), entry.SignatureName, entry.PriceMsat, claim => current.SubscriptionGrants(claim, id)).ConfigureAwait(false);
    }

    /// <summary><c>GET /bundles/{bundle_id}</c>: one invoice for the whole bundle, or its document for the bundle's credential.</summary>
    private async Task<int> BundleAsync(HttpContext context, string bundleId)
    {
        if (!CompiledId.IsWellFormed(bundleId))
        {
            return await WriteErrorAsync(context, StatusCodes.Status400BadRequest, "the bundle_id must be 64 lowercase hex characters").ConfigureAwait(false);
        }

        var bundle = catalog.Current.FindBundle(bundleId);
        if (bundle is null)
        {
            return await WriteErrorAsync(context, StatusCodes.Status404NotFound, "this seller does not sell bundle " + bundleId).ConfigureAwait(false);
        }

        if (context.Request.Headers.Authorization.Count == 0)
        {
            var description = ManifestBuild.Lightning.Nodes.InvoiceDescriptions.ForManifest(bundleId, "bundle " + bundle.Document.Name);
            return await ChallengeAsync(context, bundleId, bundle.PriceMsat, bundle.PriceSource, description, hash => L402Token.MintForBundle(rootKey, hash, bundleId), "no credential for the bundle", "bundle " + bundle.Document.Name, bundleId).ConfigureAwait(false);
        }

        return await DeliverAsync(context, bundleId, bundle.Document.ToText(), b => b == bundleId, "bundle " + bundle.Document.Name, bundle.PriceMsat).ConfigureAwait(false);
    }

    /// <param name="saleName">What the sales journal calls the item (its signature name, or the bundle's).</param>
    /// <param name="fallbackPriceMsat">The price the journal counts when the invoice predates it.</param>
    /// <param name="subscriptionGrants">Null when a subscription token's claim opens the item, else the refusal; null refuses every subscription token.</param>
    private Task<int> DeliverAsync(HttpContext context, string id, string text, Func<string, bool> bundleGrants, string saleName, long fallbackPriceMsat, Func<SubscriptionClaim, DsrsException?>? subscriptionGrants = null) =>
        DeliverAsync(context, id, new Lazy<string>(() => text), bundleGrants, saleName, fallbackPriceMsat, subscriptionGrants);

    /// <param name="text">What a valid credential receives, made only once it is valid.</param>
    private async Task<int> DeliverAsync(HttpContext context, string id, Lazy<string> text, Func<string, bool> bundleGrants, string saleName, long fallbackPriceMsat, Func<SubscriptionClaim, DsrsException?>? subscriptionGrants)
    {
        string? grantedLine = null;
        DsrsException? Subscribed(SubscriptionClaim claim)
        {
            var refusal = subscriptionGrants is null
                ? new DsrsException(Market.MarketErrorCodes.SubscriptionWrongLine, "the token is a subscription's, which does not open this item")
                : subscriptionGrants(claim);
            grantedLine = refusal is null ? claim.Line : grantedLine;
            return refusal;
        }

        string? grantedBundle = null;
        bool Granting(string bundleId)
        {
            var granted = bundleGrants(bundleId);
            grantedBundle = granted ? bundleId : grantedBundle;
            return granted;
        }

        var authorizations = context.Request.Headers.Authorization;
        if (authorizations.Count > 1)
        {
            return await WriteErrorAsync(context, StatusCodes.Status401Unauthorized, "send exactly one Authorization header").ConfigureAwait(false);
        }

        L402Identifier paid;
        try
        {
            var credential = L402Credential.ParseAuthorization(authorizations[0]);
            paid = L402Token.Verify(rootKey, credential, id, Granting, Subscribed);
        }
        catch (DsrsException e)
        {
            // An expired subscription is a payment to make (a renewal), not a bad credential.
            var status = e.Code == Market.MarketErrorCodes.SubscriptionExpired ? StatusCodes.Status402PaymentRequired : StatusCodes.Status401Unauthorized;
            return await WriteErrorAsync(context, status, e.ToString()).ConfigureAwait(false);
        }

        Interlocked.Increment(ref deliveries);
        var first = Record(() => sales.RecordDelivery(paid.PaymentHashHex, id, saleName, fallbackPriceMsat, grantedBundle, grantedLine));
        Why(context, first switch { true => "a valid credential: delivered (a sale)", false => "a valid credential: delivered again (a re-download)", null => "a valid credential: delivered" });
        return await WriteJsonAsync(context, StatusCodes.Status200OK, text.Value).ConfigureAwait(false);
    }

    /// <summary>The health answer: counts only (no paths, keys or addresses).</summary>
    private JsonObject Health()
    {
        var current = catalog.Current;
        return new JsonObject()
            .Add("status", current.Entries.Count > 0 ? "ok" : "empty")
            .Add("manifests", current.Entries.Count)
            .Add("bundles", current.Bundles.Count)
            .Add("lines", current.Lines.Count)
            .Add("not_sold", current.Problems.Count)
            .Add("catalog_reloads", catalog.Reloads)
            .Add("invoices", InvoicesCreated)
            .Add("deliveries", Deliveries)
            .Add("connections_refused", ConnectionsRefused);
    }

    private async Task<int> ChallengeAsync(HttpContext context, string id, long priceMsat, string priceSource, string description, Func<string, Macaroon> mint, string why, string saleName, string? bundle = null, string? line = null)
    {
        if (!invoices.TryAcquire(ClientAddress.Key(context.Connection.RemoteIpAddress)))
        {
            context.Response.Headers.RetryAfter = ((int)options.RateLimitWindow.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return await WriteErrorAsync(context, StatusCodes.Status429TooManyRequests, "too many invoices requested from this address; retry later").ConfigureAwait(false);
        }

        Lightning.Nodes.CreatedInvoice invoice;
        var price = $"invoice for {priceMsat.ToString(System.Globalization.CultureInfo.InvariantCulture)} msat ({priceSource})";
        try
        {
            invoice = await options.Node.CreateInvoiceAsync(priceMsat, description, options.InvoiceExpiry, context.RequestAborted).ConfigureAwait(false);
        }
        catch (DsrsException e)
        {
            Why(context, $"{SellerErrorCodes.InvoiceFailed}: the node could not create the {price}: {e.Code}");
            return await WriteErrorAsync(context, StatusCodes.Status503ServiceUnavailable, "the seller's node could not create an invoice; retry later").ConfigureAwait(false);
        }

        Interlocked.Increment(ref invoicesCreated);
        Record(() => sales.RecordInvoice(invoice.PaymentHashHex, id, saleName, priceMsat, bundle, line));
        var token = mint(invoice.PaymentHashHex).ToBase64();
        var challenge = new L402Challenge(token, invoice.Bolt11);
        context.Response.Headers.WWWAuthenticate = new Microsoft.Extensions.Primitives.StringValues(challenge.ToHeaderValues().ToArray());
        Why(context, $"{why}: challenge with an {price}");
        var body = new JsonObject()
            .Add("error", "payment required")
            .Add("compiled_id", id)
            .Add("price_msat", priceMsat)
            .Add("invoice", invoice.Bolt11);
        return await WriteJsonAsync(context, StatusCodes.Status402PaymentRequired, JsonWriter.Write(body, false)).ConfigureAwait(false);
    }

    /// <summary>The invoice description names the compiled_id, as buyers and reviews check (§3, §4).</summary>
    /// <remarks>
    /// Kept within <see cref="ManifestBuild.Lightning.Nodes.InvoiceDescriptions.MaxLength"/> characters, the
    /// strictest node's limit (phoenixd): the compiled_id always stays whole, a long signature name is cut.
    /// </remarks>
    public static string InvoiceDescription(CatalogEntry entry) =>
        ManifestBuild.Lightning.Nodes.InvoiceDescriptions.ForManifest(entry.CompiledId, entry.SignatureName);

    /// <summary>
    /// Journals a sale event. A journal that cannot be written (a full disk) never costs the buyer the
    /// delivery they paid for: the request goes on and the log says what was not recorded.
    /// </summary>
    private T? Record<T>(Func<T> write)
        where T : struct
    {
        try
        {
            return write();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            options.Log?.Invoke($"warning {SellerErrorCodes.SaleNotRecorded}: the sales journal {sales.Path} could not be written ({e.GetType().Name}: {UntrustedText.Neutralise(e.Message, 200)})");
            return null;
        }
    }

    private void Record(Action write) => Record(() =>
    {
        write();
        return true;
    });

    /// <summary>Why the request got its status, for the log line (escaped when written).</summary>
    private static void Why(HttpContext context, string why) => context.Items[WhyItem] = why;

    private static Task<int> WriteErrorAsync(HttpContext context, int status, string reason)
    {
        if (!context.Items.ContainsKey(WhyItem))
        {
            Why(context, reason);
        }

        return WriteJsonAsync(context, status, JsonWriter.Write(new JsonObject().Add("error", reason), false));
    }

    private static async Task<int> WriteJsonAsync(HttpContext context, int status, string json)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        var bytes = Encoding.UTF8.GetBytes(json);
        context.Response.ContentLength = bytes.Length;
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await context.Response.Body.WriteAsync(bytes, context.RequestAborted).ConfigureAwait(false);
        }

        return status;
    }
}
