namespace ManifestBuild.Nostr.Relays;

public sealed partial class RelayClient
{
    /// <summary>The NIP-42 kind-22242 event answering <paramref name="challenge"/> for <paramref name="relay"/>.</summary>
    public static NostrEvent CreateAuthEvent(NostrKeyPair key, Uri relay, string challenge) =>
        key.Sign(NostrKinds.ClientAuthentication, [["relay", RelayUrl.Format(relay)], ["challenge", challenge]], string.Empty);

    /// <summary>True once the relay accepted our AUTH event.</summary>
    public bool IsAuthenticated => authenticated.Task.IsCompletedSuccessfully && authenticated.Task.Result;

    private async Task AuthenticateAsync(string challenge)
    {
        var key = options.AuthKey!;
        TaskCompletionSource<bool> attempt;
        lock (authGate)
        {
            // A new challenge restarts authentication; waiters on the old one see the new outcome.
            if (authenticated.Task.IsCompleted)
            {
                authenticated = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            attempt = authenticated;
        }

        var auth = CreateAuthEvent(key, Relay, challenge);
        var tcs = pendingOks.GetOrAdd(auth.Id, _ => new TaskCompletionSource<RelayOkMessage>(TaskCreationOptions.RunContinuationsAsynchronously));
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(lifetime.Token);
            timeout.CancelAfter(options.ConnectTimeout);
            await SendAsync(new ClientAuthMessage(auth), timeout.Token).ConfigureAwait(false);
            var ok = await tcs.Task.WaitAsync(timeout.Token).ConfigureAwait(false);
            if (ok.Accepted)
            {
                attempt.TrySetResult(true);
            }
            else
            {
                attempt.TrySetException(new RelayException(RelayException.CodeFor(RelayErrorKind.AuthRequired), RelayErrorKind.AuthRequired, Relay, "refused our NIP-42 AUTH: " + ok.Message));
            }
        }
        catch (Exception e) when (e is RelayException or OperationCanceledException)
        {
            attempt.TrySetException(e is RelayException ? e : new RelayException(RelayException.CodeFor(RelayErrorKind.AuthRequired), RelayErrorKind.AuthRequired, Relay, "no answer to our NIP-42 AUTH"));
        }
        finally
        {
            pendingOks.TryRemove(auth.Id, out _);
        }
    }

    private async Task WaitAuthenticatedAsync(CancellationToken cancellationToken)
    {
        Task<bool> task;
        lock (authGate)
        {
            task = authenticated.Task;
        }

        try
        {
            await task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (RelayException)
        {
            // The retry will report the relay's refusal itself.
        }
    }

    private async Task ResubscribeAfterAuthAsync(RelaySubscription subscription)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(lifetime.Token);
        timeout.CancelAfter(options.ConnectTimeout);
        try
        {
            await WaitAuthenticatedAsync(timeout.Token).ConfigureAwait(false);
            await SendAsync(new ClientReqMessage(subscription.Id, subscription.Filters), timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is RelayException or OperationCanceledException)
        {
            subscriptions.TryRemove(subscription.Id, out _);
            subscription.Complete(e as RelayException ?? new RelayException(RelayException.CodeFor(RelayErrorKind.AuthRequired), RelayErrorKind.AuthRequired, Relay, "requires NIP-42 authentication, which did not complete"));
        }
    }
}
