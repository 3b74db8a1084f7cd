using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using ManifestBuild.Format;
using NBitcoin.Secp256k1;

namespace ManifestBuild.Nostr;

/// <summary>Why an event failed verification.</summary>
public enum EventVerification
{
    Valid,

    /// <summary>id, pubkey or sig is not lowercase hex of the right length.</summary>
    Malformed,

    /// <summary>The stated id is not the hash of the event's fields.</summary>
    BadId,

    /// <summary>The pubkey is not a point on the curve.</summary>
    BadPublicKey,

    /// <summary>The BIP-340 signature does not verify.</summary>
    BadSignature,
}

/// <summary>
/// Checks an event's id (recomputed from its fields) and its BIP-340 signature. Thread-safe and
/// allocation-light so the relay pool can verify on every core at once.
/// </summary>
public static partial class NostrEventVerifier
{
    // Parsing an x-only key costs a square root; floods come from few authors, so keep the parsed
    // points. Bounded: cleared when full rather than grown.
    private const int PubKeyCacheLimit = 4096;
    private static readonly ConcurrentDictionary<string, ECXOnlyPubKey> PubKeyCache = new(StringComparer.Ordinal);

    private static readonly AsyncLocal<FlowCounter?> Counting = new();

    public static bool IsValid(NostrEvent e) => Verify(e) == EventVerification.Valid;

    /// <summary>The entry point for an event that did not come through the relay pool (a file, the CLI, our own signing).</summary>
    public static bool TryVerify(NostrEvent e, [NotNullWhen(true)] out VerifiedEvent? verified, out EventVerification result)
    {
        result = Verify(e);
        verified = result == EventVerification.Valid ? new VerifiedEvent(e) : null;
        return verified is not null;
    }

    /// <summary>Like <see cref="TryVerify"/>, throwing what <see cref="EnsureValid"/> throws.</summary>
    public static VerifiedEvent EnsureVerified(NostrEvent e)
    {
        EnsureValid(e);
        return new VerifiedEvent(e);
    }

    public static EventVerification Verify(NostrEvent e)
    {
        FlowCounter.Increment(Counting);
        if (!Hex.IsLowerHex(e.Id, 32) || !Hex.IsLowerHex(e.PubKey, 32) || !Hex.IsLowerHex(e.Sig, 64))
        {
            return EventVerification.Malformed;
        }

        Span<byte> computed = stackalloc byte[32];
        Span<byte> stated = stackalloc byte[32];
        NostrEventId.Compute(e.PubKey, e.CreatedAt, e.Kind, e.Tags, e.Content, computed);
        Hex.TryDecode(e.Id, stated);
        if (!computed.SequenceEqual(stated))
        {
            return EventVerification.BadId;
        }

        return VerifySignature(e.PubKey, e.Sig, computed);
    }

    /// <summary>Verifies a BIP-340 signature (hex) by an x-only key (hex) over a 32-byte message.</summary>
    public static EventVerification VerifySignature(string pubKeyHex, string sigHex, ReadOnlySpan<byte> message32)
    {
        if (!TryGetPubKey(pubKeyHex, out var pubKey))
        {
            return EventVerification.BadPublicKey;
        }

        Span<byte> sigBytes = stackalloc byte[64];
        if (!Hex.TryDecode(sigHex, sigBytes) || !SecpSchnorrSignature.TryCreate(sigBytes, out var signature) || signature is null)
        {
            return EventVerification.BadSignature;
        }

        return pubKey.SigVerifyBIP340(signature, message32) ? EventVerification.Valid : EventVerification.BadSignature;
    }

    /// <summary>Throws <see cref="DsrsException"/> naming what failed unless the event is valid.</summary>
    public static void EnsureValid(NostrEvent e)
    {
        switch (Verify(e))
        {
            case EventVerification.Valid:
                return;
            case EventVerification.Malformed:
                throw new DsrsException(NostrErrorCodes.MalformedEvent, $"event {Describe(e.Id)}: id, pubkey or sig is not lowercase hex of the right length");
            case EventVerification.BadId:
                throw new DsrsException(NostrErrorCodes.BadEventId, $"event {Describe(e.Id)}: the id is not the SHA-256 of the event's NIP-01 serialization (expected {NostrEventId.Compute(e)})");
            case EventVerification.BadPublicKey:
                throw new DsrsException(NostrErrorCodes.InvalidPublicKey, $"event {Describe(e.Id)}: pubkey {Describe(e.PubKey)} is not a valid secp256k1 x-only key");
            default:
                throw new DsrsException(NostrErrorCodes.BadSignature, $"event {Describe(e.Id)}: the BIP-340 signature does not verify for pubkey {Describe(e.PubKey)}");
        }
    }

    internal static bool TryGetPubKey(string pubKeyHex, out ECXOnlyPubKey pubKey)
    {
        if (PubKeyCache.TryGetValue(pubKeyHex, out pubKey!))
        {
            return true;
        }

        Span<byte> bytes = stackalloc byte[32];
        if (!Hex.TryDecode(pubKeyHex, bytes) || !ECXOnlyPubKey.TryCreate(bytes, out var parsed) || parsed is null)
        {
            pubKey = null!;
            return false;
        }

        if (PubKeyCache.Count >= PubKeyCacheLimit)
        {
            PubKeyCache.Clear();
        }

        PubKeyCache[pubKeyHex] = parsed;
        pubKey = parsed;
        return true;
    }

    private static string Describe(string? value) =>
        value is null ? "(null)" : value.Length <= 64 ? value : value[..64] + "...";

    /// <summary>Test seam: counts the one-by-one verifications made in this async flow until disposed.</summary>
    internal static FlowCounter CountVerifications() => FlowCounter.Start(Counting);
}
