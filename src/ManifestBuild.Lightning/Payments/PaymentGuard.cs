using ManifestBuild.Format;
using ManifestBuild.Lightning.Bolt11;
using ManifestBuild.Lightning.Nodes;

namespace ManifestBuild.Lightning.Payments;

/// <summary>
/// Pays an L402 invoice safely (protocol §4 steps 2-4): every check before any payment, a durable
/// `paying` record before the node is called, an absolute fee cap, and recovery that looks a
/// payment up instead of re-sending it. Exactly one payment per manifest, across crashes and processes.
/// </summary>
public sealed class PaymentGuard
{
    private readonly ILightningNode node;
    private readonly PurchaseLedger ledger;
    private readonly PaymentGuardOptions options;

    public PaymentGuard(ILightningNode node, PurchaseLedger ledger, PaymentGuardOptions? options = null)
    {
        this.node = node ?? throw new ArgumentNullException(nameof(node));
        this.ledger = ledger ?? throw new ArgumentNullException(nameof(ledger));
        this.options = options ?? new PaymentGuardOptions();
    }

    /// <summary>
    /// Every check of protocol §4 step 2, in a fixed order; the first miss throws its own code
    /// (DSRS0470-0481). Returns the decoded invoice. Pays nothing.
    /// </summary>
    public static Bolt11Invoice Check(PurchaseRequest request, DateTimeOffset now, TimeSpan safetyMargin)
    {
        ArgumentNullException.ThrowIfNull(request);
        var compiledId = PurchaseLedger.NormalizeHex(request.CompiledId, "compiled_id");
        var listingNode = PurchaseLedger.NormalizeHex(request.ListingNodeId, "listing node id", 66);
        if (request.PriceMsat <= 0)
        {
            throw new DsrsException(PaymentErrorCodes.InvalidRequest, $"the listing price {request.PriceMsat} msat is not positive: a free manifest is never paid for");
        }

        var invoice = DecodeInvoice(request.Bolt11);
        if (invoice.AmountMsat is not { } amount)
        {
            throw new DsrsException(PaymentErrorCodes.NoAmount, "the invoice has no amount; ManifestBuild never pays an amount it would have to choose");
        }

        if (amount != request.PriceMsat)
        {
            throw new DsrsException(PaymentErrorCodes.AmountMismatch, $"the invoice asks {amount} msat but the listing's price is {request.PriceMsat} msat");
        }

        if (request.MaxPriceMsat is { } cap && amount > cap)
        {
            throw new DsrsException(PaymentErrorCodes.OverItemCap, $"the price {amount} msat is above the item's MaxPriceMsat of {cap} msat");
        }

        if (request.Budget is { } budget && amount > budget.RemainingMsat)
        {
            throw new DsrsException(PaymentErrorCodes.OverBudget, $"the price {amount} msat is above what is left of the build's budget ({budget.RemainingMsat} of {budget.TotalMsat} msat)");
        }

        var expectedNetwork = Bolt11Networks.Normalize(request.ExpectedNetwork);
        if (invoice.Network != expectedNetwork)
        {
            throw new DsrsException(PaymentErrorCodes.WrongNetwork, $"the invoice is for {invoice.Network} but the node is configured for {expectedNetwork}");
        }

        if (invoice.Payee != listingNode)
        {
            throw new DsrsException(PaymentErrorCodes.WrongPayee, $"the invoice is signed by node {invoice.Payee}, not by the listing's node {listingNode}");
        }

        if (now + safetyMargin >= invoice.ExpiresAt)
        {
            throw new DsrsException(PaymentErrorCodes.Expired, now >= invoice.ExpiresAt
                ? $"the invoice expired at {invoice.ExpiresAt:O}"
                : $"the invoice expires at {invoice.ExpiresAt:O}, within the {safetyMargin.TotalSeconds:0} s safety margin");
        }

        if (invoice.Description is null || !invoice.Description.Contains(compiledId, StringComparison.OrdinalIgnoreCase))
        {
            throw new DsrsException(PaymentErrorCodes.DescriptionWithoutCompiledId, invoice.Description is null
                ? $"the invoice carries only a description hash; its description must name the compiled_id {compiledId}"
                : $"the invoice description does not name the compiled_id {compiledId}");
        }

        return invoice;
    }

    /// <summary>
    /// Pays the request's invoice once, or returns the existing receipt when this manifest is already
    /// paid (by an earlier run or a concurrent process). Throws DsrsException with the failed check,
    /// DSRS0482 after a definitive node failure, DSRS0483 when the payment stays in flight.
    /// </summary>
    public async Task<PaidPurchase> PayAsync(PurchaseRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var compiledId = PurchaseLedger.NormalizeHex(request.CompiledId, "compiled_id");
        using (await ledger.LockAsync(compiledId, options.LockTimeout, cancellationToken).ConfigureAwait(false))
        {
            var resumed = await ResolveEarlierAsync(compiledId, request, cancellationToken).ConfigureAwait(false);
            if (resumed is not null)
            {
                return resumed;
            }

            var invoice = Check(request, options.Time.GetUtcNow(), options.ExpirySafetyMargin);
            var amount = invoice.AmountMsat!.Value;
            var feeCap = request.MaxFeeMsat ?? options.DefaultFeeCap(amount);
            if (feeCap < 0)
            {
                throw new DsrsException(PaymentErrorCodes.InvalidRequest, "the fee cap is negative");
            }

            if (request.Budget is { } budget && !budget.TryReserve(amount))
            {
                throw new DsrsException(PaymentErrorCodes.OverBudget, $"the price {amount} msat no longer fits in the build's budget ({budget.RemainingMsat} msat left)");
            }

            var now = options.Time.GetUtcNow();
            var previous = ledger.Find(invoice.PaymentHash);
            var record = new PurchaseRecord
            {
                PaymentHash = invoice.PaymentHash,
                CompiledId = compiledId,
                Bolt11 = invoice.Bolt11,
                Token = request.Token,
                AmountMsat = amount,
                Payee = invoice.Payee,
                State = PurchaseState.Paying,
                MaxFeeMsat = feeCap,
                Seller = request.Seller,
                NodeKind = node.Kind,
                Attempts = (previous?.Attempts ?? 0) + 1,
                CreatedAt = previous?.CreatedAt ?? now,
                UpdatedAt = now,
            };
            ledger.Save(record);
            await StepAsync(PurchaseStep.RecordWritten, cancellationToken).ConfigureAwait(false);

            PaymentResult result;
            try
            {
                result = await node.PayAsync(invoice.Bolt11, feeCap, cancellationToken).ConfigureAwait(false);
            }
            catch (DsrsException e)
            {
                // The node contract: a DsrsException means it refused before any attempt, nothing was paid.
                ledger.Save(record with { State = PurchaseState.Failed, FailureReason = e.ToString(), UpdatedAt = options.Time.GetUtcNow() });
                request.Budget?.Release(amount);
                throw;
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // Anything else (connection dropped, timeout): the outcome is unknown, so the record stays
                // `paying` and the next run looks the payment up; the budget stays reserved.
                throw new DsrsException(PaymentErrorCodes.PaymentInFlight, $"the node did not say whether payment {invoice.PaymentHash} went through ({e.GetType().Name}); it stays recorded as in flight and the next run looks it up instead of paying again", e);
            }

            await StepAsync(PurchaseStep.NodeReturned, cancellationToken).ConfigureAwait(false);
            return await SettleAsync(record, result, request.Budget, alreadyPaid: false, cancellationToken).ConfigureAwait(false);
        }
    }

    private static Bolt11Invoice DecodeInvoice(string bolt11)
    {
        try
        {
            return Bolt11Decoder.Decode(bolt11);
        }
        catch (DsrsException e) when (e.Code is Bolt11ErrorCodes.SignatureInvalid or Bolt11ErrorCodes.SignatureNotRecoverable
                                          or Bolt11ErrorCodes.HighS or Bolt11ErrorCodes.BadRecoveryId)
        {
            throw new DsrsException(PaymentErrorCodes.BadSignature, $"the invoice signature is bad: {e}", e);
        }
        catch (DsrsException e) when (e.Code == Bolt11ErrorCodes.MissingPaymentSecret)
        {
            throw new DsrsException(PaymentErrorCodes.NoPaymentSecret, $"the invoice has no payment secret: {e}", e);
        }
        catch (DsrsException e)
        {
            throw new DsrsException(PaymentErrorCodes.InvalidInvoice, $"the invoice is not valid BOLT #11: {e}", e);
        }
    }

    /// <summary>
    /// Looks at earlier records of this manifest: a receipt (or a settled, undelivered payment) from the
    /// same seller and node is returned as it is, never one from another seller, whose credential must
    /// never reach this one; a `paying` record is resolved on the node (Succeeded: take the preimage;
    /// Pending: track; NotFound/Failed: it becomes `failed` and a new payment is allowed).
    /// </summary>
    private async Task<PaidPurchase?> ResolveEarlierAsync(string compiledId, PurchaseRequest request, CancellationToken cancellationToken)
    {
        var records = ledger.FindByCompiledId(compiledId);
        if (records.FirstOrDefault(r => (r.IsReceipt || r.IsPaidUndelivered) && SameIssuer(r, request)) is { } receipt)
        {
            return receipt.ToPaidPurchase(alreadyPaid: true);
        }

        foreach (var paying in records.Where(r => r.State == PurchaseState.Paying))
        {
            var lookup = await node.LookupPaymentAsync(paying.PaymentHash, cancellationToken).ConfigureAwait(false);
            if (lookup.Status is PaymentStatus.NotFound or PaymentStatus.Failed)
            {
                ledger.Save(paying with
                {
                    State = PurchaseState.Failed,
                    FailureReason = lookup.Status == PaymentStatus.NotFound ? "the node never saw this payment" : lookup.FailureReason ?? "the node reports the payment failed",
                    UpdatedAt = options.Time.GetUtcNow(),
                });
                continue;
            }

            var settled = await SettleAsync(paying, lookup, budget: null, alreadyPaid: true, cancellationToken).ConfigureAwait(false);
            if (!SameIssuer(paying, request))
            {
                // Paid to another seller: never hand its credential to this one, never pay a second seller for it.
                throw new DsrsException(PaymentErrorCodes.PaymentInFlight, $"manifest {compiledId} was already paid to node {paying.Payee} (payment {paying.PaymentHash}), not to this listing's node {request.ListingNodeId}; it is not paid again: its delivery comes from that seller");
            }

            return settled;
        }

        return null;
    }

    private static bool SameIssuer(PurchaseRecord record, PurchaseRequest request) =>
        string.Equals(record.Payee, request.ListingNodeId, StringComparison.OrdinalIgnoreCase)
        && (record.Seller is null || request.Seller is null || string.Equals(record.Seller, request.Seller, StringComparison.OrdinalIgnoreCase));

    /// <summary>Turns a node answer into the final record: paid, failed, or still in flight after a bounded wait.</summary>
    private async Task<PaidPurchase> SettleAsync(PurchaseRecord record, PaymentResult result, BuildBudget? budget, bool alreadyPaid, CancellationToken cancellationToken)
    {
        var deadline = options.Time.GetUtcNow() + options.PendingWait;
        while (result.Status is PaymentStatus.Pending or PaymentStatus.NotFound)
        {
            // In flight: never re-send. NotFound right after a send is treated the same (the node may lag).
            if (options.Time.GetUtcNow() >= deadline)
            {
                throw new DsrsException(PaymentErrorCodes.PaymentInFlight, $"payment {record.PaymentHash} is still in flight after {options.PendingWait.TotalSeconds:0} s; it is tracked, not re-sent: run again to pick up its outcome");
            }

            await Task.Delay(options.PendingPollInterval, options.Time, cancellationToken).ConfigureAwait(false);
            result = await node.LookupPaymentAsync(record.PaymentHash, cancellationToken).ConfigureAwait(false);
        }

        if (result.Status == PaymentStatus.Failed)
        {
            var reason = result.FailureReason ?? "the node reports the payment failed";
            ledger.Save(record with { State = PurchaseState.Failed, FailureReason = reason, UpdatedAt = options.Time.GetUtcNow() });
            budget?.Release(record.AmountMsat);
            throw new DsrsException(PaymentErrorCodes.PaymentFailed, $"payment {record.PaymentHash} failed at the node: {reason}; nothing was paid");
        }

        if (result.PreimageHex is not { } preimage || !PurchaseLedger.PreimageMatches(preimage, record.PaymentHash))
        {
            throw new DsrsException(PaymentErrorCodes.PreimageMismatch, $"the node reports payment {record.PaymentHash} succeeded but its preimage does not hash to the payment hash; the record stays in flight");
        }

        var paid = record with
        {
            State = PurchaseState.Paid,
            Preimage = preimage.ToLowerInvariant(),
            FeeMsat = result.FeeMsat,
            FeeWarning = result.Warning ?? (result.FeeMsat > record.MaxFeeMsat
                ? $"the node reports a fee of {result.FeeMsat} msat, above the fee cap of {record.MaxFeeMsat} msat"
                : null),
            FailureReason = null,
            UpdatedAt = options.Time.GetUtcNow(),
        };
        ledger.Save(paid);
        await StepAsync(PurchaseStep.PreimageStored, cancellationToken).ConfigureAwait(false);
        return paid.ToPaidPurchase(alreadyPaid);
    }

    private Task StepAsync(PurchaseStep step, CancellationToken cancellationToken) =>
        options.OnStep?.Invoke(step, cancellationToken) ?? Task.CompletedTask;
}
