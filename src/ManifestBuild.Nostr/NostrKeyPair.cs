using System.Security.Cryptography;
using ManifestBuild.Format;
using NBitcoin.Secp256k1;

namespace ManifestBuild.Nostr;

/// <summary>
/// A Nostr identity: a secp256k1 secret key and its x-only public key. The secret never appears
/// in <see cref="ToString"/>; it leaves only through the explicit Export methods.
/// </summary>
public sealed class NostrKeyPair
{
    private readonly ECPrivKey secret;

    private NostrKeyPair(ECPrivKey secret)
    {
        this.secret = secret;
        Span<byte> pub = stackalloc byte[32];
        secret.CreateXOnlyPubKey().WriteToSpan(pub);
        PublicKeyHex = Hex.Encode(pub);
    }

    /// <summary>The x-only public key as 64 lowercase hex characters (the event pubkey).</summary>
    public string PublicKeyHex { get; }

    /// <summary>A fresh key from the operating system's CSPRNG.</summary>
    public static NostrKeyPair Generate()
    {
        Span<byte> bytes = stackalloc byte[32];
        try
        {
            // A uniformly random 32 bytes is a valid key except with probability ~2^-128; retry then.
            for (var attempt = 0; attempt < 64; attempt++)
            {
                RandomNumberGenerator.Fill(bytes);
                if (ECPrivKey.TryCreate(bytes, out var key) && key is not null)
                {
                    return new NostrKeyPair(key);
                }
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }

        throw new CryptographicException("the random number generator produced no valid secp256k1 key");
    }

    /// <summary>From 32 secret bytes; refuses zero and values not below the curve order.</summary>
    public static NostrKeyPair FromSecretBytes(ReadOnlySpan<byte> secret32)
    {
        if (secret32.Length != 32 || !ECPrivKey.TryCreate(secret32, out var key) || key is null)
        {
            throw new DsrsException(NostrErrorCodes.InvalidSecretKey, "the secret key must be 32 bytes, non-zero and below the secp256k1 curve order");
        }

        return new NostrKeyPair(key);
    }

    /// <summary>From 64 hex characters (either case).</summary>
    public static NostrKeyPair FromSecretHex(string secretHex)
    {
        Span<byte> bytes = stackalloc byte[32];
        try
        {
            if (secretHex is null || !Hex.TryDecode(secretHex.Trim(), bytes))
            {
                throw new DsrsException(NostrErrorCodes.InvalidSecretKey, "the secret key must be 64 hex characters (32 bytes)");
            }

            return FromSecretBytes(bytes);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    /// <summary>The secret key as lowercase hex. Callers must not log it.</summary>
    public string ExportSecretHex()
    {
        Span<byte> bytes = stackalloc byte[32];
        try
        {
            secret.WriteToSpan(bytes);
            return Hex.Encode(bytes);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    /// <summary>The 32 secret bytes. Callers must not log them and should zero them after use.</summary>
    public byte[] ExportSecretBytes()
    {
        var bytes = new byte[32];
        secret.WriteToSpan(bytes);
        return bytes;
    }

    /// <summary>Builds, hashes and BIP-340-signs an event (fresh auxiliary randomness per signature).</summary>
    public NostrEvent Sign(int kind, IReadOnlyList<IReadOnlyList<string>> tags, string content, long? createdAt = null)
    {
        ArgumentNullException.ThrowIfNull(tags);
        ArgumentNullException.ThrowIfNull(content);
        var frozenTags = FreezeTags(tags);
        var timestamp = createdAt ?? DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        Span<byte> id = stackalloc byte[32];
        NostrEventId.Compute(PublicKeyHex, timestamp, kind, frozenTags, content, id);
        return new NostrEvent(Hex.Encode(id), PublicKeyHex, timestamp, kind, frozenTags, content, SignHash(id));
    }

    /// <summary>BIP-340 signature (128 hex chars) over a 32-byte message with random auxiliary data.</summary>
    public string SignHash(ReadOnlySpan<byte> message32)
    {
        var aux = new byte[32];
        RandomNumberGenerator.Fill(aux);
        return SignHash(message32, aux);
    }

    /// <summary>BIP-340 signature with caller-supplied auxiliary data (deterministic; for test vectors).</summary>
    public string SignHash(ReadOnlySpan<byte> message32, ReadOnlyMemory<byte> aux32)
    {
        if (message32.Length != 32)
        {
            throw new ArgumentException("BIP-340 signs a 32-byte message", nameof(message32));
        }

        if (aux32.Length != 32)
        {
            throw new ArgumentException("BIP-340 auxiliary data is 32 bytes", nameof(aux32));
        }

        var signature = secret.SignBIP340(message32, aux32);
        Span<byte> sig = stackalloc byte[64];
        signature.WriteToSpan(sig);
        return Hex.Encode(sig);
    }

    /// <summary>The secp256k1 secret for ECDH (NIP-44); internal so it cannot leak through the public API.</summary>
    internal ECPrivKey SecretKey => secret;

    public override string ToString() => "NostrKeyPair(" + PublicKeyHex + ")";

    private static IReadOnlyList<IReadOnlyList<string>> FreezeTags(IReadOnlyList<IReadOnlyList<string>> tags)
    {
        var copy = new IReadOnlyList<string>[tags.Count];
        for (var i = 0; i < tags.Count; i++)
        {
            var tag = tags[i] ?? throw new ArgumentException("a tag is null", nameof(tags));
            var items = new string[tag.Count];
            for (var j = 0; j < tag.Count; j++)
            {
                items[j] = tag[j] ?? throw new ArgumentException("a tag element is null", nameof(tags));
            }

            copy[i] = items;
        }

        return copy;
    }
}
