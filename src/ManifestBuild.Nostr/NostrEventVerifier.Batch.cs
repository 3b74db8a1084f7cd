using System.Buffers;
using ManifestBuild.Format;
using NBitcoin.Secp256k1;
using Sha256 = System.Security.Cryptography.SHA256;

namespace ManifestBuild.Nostr;

public static partial class NostrEventVerifier
{
    /// <summary>Below this many signatures, checking them one by one is as fast as a batch.</summary>
    public const int MinimumBatch = 16;

    /// <summary>Signatures per multi-scalar multiplication; larger sets are split.</summary>
    public const int MaximumBatch = 256;

    private static readonly byte[] ChallengeTag = Sha256.HashData("BIP0340/challenge"u8);

    /// <summary>
    /// Verifies many events at once: <paramref name="results"/>[i] is exactly what
    /// <see cref="Verify(NostrEvent)"/> says of <paramref name="events"/>[i]. The ids, keys and
    /// signature encodings are checked one by one; the signatures that remain are checked together
    /// with BIP-340's batch verification (one multi-scalar multiplication with random 128-bit
    /// weights, about 1.5-2x faster than one by one), and one by one again only if the batch fails,
    /// to name the bad ones. <paramref name="batch"/> false checks every signature on its own (the
    /// relay pool does so for a relay that has already sent a bad signature, so that a hostile relay
    /// cannot make every batch fail and be checked twice).
    /// </summary>
    public static void VerifyMany(ReadOnlySpan<NostrEvent> events, Span<EventVerification> results, bool batch = true)
    {
        if (results.Length < events.Length)
        {
            throw new ArgumentException("results must have room for every event", nameof(results));
        }

        for (var start = 0; start < events.Length; start += MaximumBatch)
        {
            var length = Math.Min(MaximumBatch, events.Length - start);
            VerifyChunk(events.Slice(start, length), results.Slice(start, length), batch);
        }
    }

    /// <summary>
    /// Verifies many BIP-340 signatures over 32-byte messages at once, as
    /// <see cref="VerifyMany(ReadOnlySpan{NostrEvent}, Span{EventVerification}, bool)"/> does for events:
    /// <paramref name="results"/>[i] is exactly what <see cref="VerifySignature"/> says of
    /// <paramref name="checks"/>[i].
    /// </summary>
    public static void VerifySignatures(ReadOnlySpan<SignatureCheck> checks, Span<EventVerification> results, bool batch = true)
    {
        if (results.Length < checks.Length)
        {
            throw new ArgumentException("results must have room for every signature", nameof(results));
        }

        for (var start = 0; start < checks.Length; start += MaximumBatch)
        {
            var chunk = checks.Slice(start, Math.Min(MaximumBatch, checks.Length - start));
            var chunkResults = results.Slice(start, chunk.Length);
            VerifyChunk(chunk.Length, chunkResults, batch, chunk, static (check, bytes) =>
            {
                if (check.Message32.Length != 32)
                {
                    return EventVerification.Malformed;
                }

                check.Message32.CopyTo(bytes.Message);
                return EventVerification.Valid;
            }, static check => (check.PubKeyHex, check.SigHex));
        }
    }

    /// <summary>Whether the batch equation alone accepts <paramref name="checks"/> (all must decode), with no fallback.</summary>
    internal static bool BatchEquationHolds(ReadOnlySpan<SignatureCheck> checks)
    {
        var count = checks.Length;
        var keys = new ECXOnlyPubKey[count];
        var signatures = new SecpSchnorrSignature[count];
        var bytes = new byte[count * SignedBytes.Length];
        for (var i = 0; i < count; i++)
        {
            var slot = SignedBytes.Of(bytes, i);
            checks[i].Message32.CopyTo(slot.Message);
            if (PrepareSignature(checks[i].PubKeyHex, checks[i].SigHex, slot, out keys[i], out signatures[i]) != EventVerification.Valid)
            {
                throw new ArgumentException($"signature {i} does not decode", nameof(checks));
            }
        }

        return BatchHolds(Enumerable.Range(0, count).ToArray(), keys, signatures, bytes);
    }

    private static void VerifyChunk(ReadOnlySpan<NostrEvent> events, Span<EventVerification> results, bool batch) =>
        VerifyChunk(events.Length, results, batch, events, static (e, bytes) =>
        {
            if (!Hex.IsLowerHex(e.Id, 32) || !Hex.IsLowerHex(e.PubKey, 32) || !Hex.IsLowerHex(e.Sig, 64))
            {
                return EventVerification.Malformed;
            }

            Span<byte> stated = stackalloc byte[32];
            NostrEventId.Compute(e.PubKey, e.CreatedAt, e.Kind, e.Tags, e.Content, bytes.Message);
            Hex.TryDecode(e.Id, stated);
            return bytes.Message.SequenceEqual(stated) ? EventVerification.Valid : EventVerification.BadId;
        }, static e => (e.PubKey, e.Sig));

    private delegate EventVerification MessageReader<T>(T item, SignedBytes bytes);

    /// <summary>
    /// Reads each item's message (checking what is item-specific, such as the event id), then its key
    /// and signature encoding, then the signatures of everything still valid: together, or one by one
    /// when the set is small, batching is off, or the batch fails (to name the bad ones).
    /// </summary>
    private static void VerifyChunk<T>(int count, Span<EventVerification> results, bool batch, ReadOnlySpan<T> items, MessageReader<T> readMessage, Func<T, (string PubKey, string Sig)> keyAndSignature)
    {
        var keys = ArrayPool<ECXOnlyPubKey>.Shared.Rent(count);
        var signatures = ArrayPool<SecpSchnorrSignature>.Shared.Rent(count);
        var bytes = ArrayPool<byte>.Shared.Rent(count * SignedBytes.Length);
        var ready = ArrayPool<int>.Shared.Rent(count);
        try
        {
            var readyCount = 0;
            for (var i = 0; i < count; i++)
            {
                var slot = SignedBytes.Of(bytes, i);
                var (pubKey, sig) = keyAndSignature(items[i]);
                results[i] = readMessage(items[i], slot);
                if (results[i] == EventVerification.Valid)
                {
                    results[i] = PrepareSignature(pubKey, sig, slot, out keys[i], out signatures[i]);
                }

                if (results[i] == EventVerification.Valid)
                {
                    ready[readyCount++] = i;
                }
            }

            var candidates = ready.AsSpan(0, readyCount);
            if (batch && readyCount >= MinimumBatch && BatchHolds(candidates, keys, signatures, bytes))
            {
                return;
            }

            foreach (var i in candidates)
            {
                var message = SignedBytes.Of(bytes, i).Message;
                results[i] = keys[i].SigVerifyBIP340(signatures[i], message) ? EventVerification.Valid : EventVerification.BadSignature;
            }
        }
        finally
        {
            ArrayPool<ECXOnlyPubKey>.Shared.Return(keys, clearArray: true);
            ArrayPool<SecpSchnorrSignature>.Shared.Return(signatures, clearArray: true);
            ArrayPool<byte>.Shared.Return(bytes);
            ArrayPool<int>.Shared.Return(ready);
        }
    }

    /// <summary>The checks of <see cref="VerifySignature"/> before the signature equation: the key is a point, the signature decodes.</summary>
    private static EventVerification PrepareSignature(string pubKeyHex, string sigHex, SignedBytes bytes, out ECXOnlyPubKey key, out SecpSchnorrSignature signature)
    {
        signature = null!;
        if (!TryGetPubKey(pubKeyHex, out key))
        {
            return EventVerification.BadPublicKey;
        }

        Hex.TryDecode(pubKeyHex, bytes.PubKey);
        if (!Hex.TryDecode(sigHex, bytes.Signature) || !SecpSchnorrSignature.TryCreate(bytes.Signature, out var parsed) || parsed is null)
        {
            return EventVerification.BadSignature;
        }

        signature = parsed;
        return EventVerification.Valid;
    }

    /// <summary>
    /// BIP-340 batch verification: with a_1 = 1 and a_i random 128-bit weights,
    /// (Σ a_i·s_i)·G = Σ a_i·R_i + Σ (a_i·e_i)·P_i, where R_i = lift_x(r_i) (even y) and
    /// e_i = H_challenge(r_i || P_i || m_i). Checked as one multi-scalar multiplication that must give
    /// the point at infinity; terms of the same key are merged, as listings come from few sellers.
    /// False when any signature in the set is bad (and, with probability 2^-128, never otherwise).
    /// </summary>
    private static bool BatchHolds(ReadOnlySpan<int> candidates, ECXOnlyPubKey[] keys, SecpSchnorrSignature[] signatures, byte[] bytes)
    {
        var count = candidates.Length;
        var scalars = ArrayPool<Scalar>.Shared.Rent(2 * count);
        var points = ArrayPool<GE>.Shared.Rent(2 * count);
        var keySlots = ArrayPool<(ECXOnlyPubKey Key, int Slot)>.Shared.Rent(count);
        var weights = ArrayPool<byte>.Shared.Rent(16 * count);
        try
        {
            System.Security.Cryptography.RandomNumberGenerator.Fill(weights.AsSpan(0, 16 * count));
            Span<byte> weight32 = stackalloc byte[32];
            Span<byte> challengeInput = stackalloc byte[32 + 32 + 32 + 32 + 32];
            Span<byte> challenge = stackalloc byte[32];
            ChallengeTag.CopyTo(challengeInput);
            ChallengeTag.CopyTo(challengeInput[32..]);
            var generatorScalar = Scalar.Zero;
            var terms = 0;
            var distinctKeys = 0;
            for (var c = 0; c < count; c++)
            {
                var i = candidates[c];
                var signed = SignedBytes.Of(bytes, i);
                var signature = signatures[i];
                if (!GE.TryCreateXOVariable(signature.rx, false, out var r))
                {
                    return false; // r is no point's x: the one-by-one check names this signature
                }

                signed.Signature[..32].CopyTo(challengeInput[64..]);
                signed.PubKey.CopyTo(challengeInput[96..]);
                signed.Message.CopyTo(challengeInput[128..]);
                Sha256.HashData(challengeInput, challenge);
                var e = new Scalar(challenge, out _);

                var a = Scalar.One;
                if (c > 0)
                {
                    weight32[..16].Clear();
                    weights.AsSpan(16 * c, 16).CopyTo(weight32[16..]);
                    a = new Scalar(weight32, out _);
                    if (a.IsZero)
                    {
                        a = Scalar.One;
                    }
                }

                generatorScalar += a * signature.s;
                scalars[terms] = a.Negate();
                points[terms++] = r;

                var keyTerm = (a * e).Negate();
                var slot = -1;
                for (var k = 0; k < distinctKeys; k++)
                {
                    if (ReferenceEquals(keySlots[k].Key, keys[i]))
                    {
                        slot = keySlots[k].Slot;
                        break;
                    }
                }

                if (slot >= 0)
                {
                    scalars[slot] += keyTerm;
                }
                else
                {
                    keySlots[distinctKeys++] = (keys[i], terms);
                    scalars[terms] = keyTerm;
                    points[terms++] = keys[i].Q;
                }
            }

            var sum = ECMultContext.Instance.MultBatch(generatorScalar, scalars.AsSpan(0, terms), points.AsSpan(0, terms), ECMultiImplementation.Pippenger);
            return sum.IsInfinity;
        }
        finally
        {
            ArrayPool<Scalar>.Shared.Return(scalars);
            ArrayPool<GE>.Shared.Return(points);
            ArrayPool<(ECXOnlyPubKey, int)>.Shared.Return(keySlots, clearArray: true);
            ArrayPool<byte>.Shared.Return(weights, clearArray: true);
        }
    }

    /// <summary>One event's decoded bytes inside a shared buffer: the id (the signed message), the key and the signature.</summary>
    private readonly ref struct SignedBytes(Span<byte> slot)
    {
        public const int Length = 32 + 32 + 64;

        private readonly Span<byte> slot = slot;

        public Span<byte> Message => slot[..32];

        public Span<byte> PubKey => slot.Slice(32, 32);

        public Span<byte> Signature => slot.Slice(64, 64);

        public static SignedBytes Of(byte[] buffer, int index) => new(buffer.AsSpan(index * Length, Length));
    }
}

/// <summary>One BIP-340 signature to check: an x-only key and a signature (lowercase hex) over a 32-byte message.</summary>
public readonly record struct SignatureCheck(string PubKeyHex, string SigHex, byte[] Message32);
