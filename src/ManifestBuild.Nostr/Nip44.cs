using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using ManifestBuild.Format;
using NBitcoin.Secp256k1;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Parameters;

namespace ManifestBuild.Nostr;

/// <summary>
/// NIP-44 v2 encrypted payloads: secp256k1 ECDH (unhashed x), HKDF-SHA256, ChaCha20 (RFC 8439,
/// counter 0), HMAC-SHA256 over nonce||ciphertext, power-of-two padding with the extended 6-byte
/// length prefix for plaintexts of 65536 bytes and more.
/// </summary>
public static class Nip44
{
    public const byte Version = 2;

    /// <summary>Plaintexts at or above this use the 6-byte prefix (two zero bytes + u32).</summary>
    public const int ExtendedPrefixThreshold = 65536;

    /// <summary>The format's limit (2^32 - 1); <see cref="DefaultMaxPlaintextBytes"/> is what this implementation accepts by default.</summary>
    public const long MaxPlaintextBytesByFormat = uint.MaxValue;

    /// <summary>The spec asks implementations to bound payloads before decoding; 16 MiB covers every NWC or DM use.</summary>
    public const int DefaultMaxPlaintextBytes = 16 * 1024 * 1024;

    private static readonly byte[] Salt = Encoding.UTF8.GetBytes("nip44-v2");
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The long-term key between two users: the same from either side.</summary>
    public static byte[] GetConversationKey(NostrKeyPair self, string peerPubKeyHex)
    {
        Span<byte> pub = stackalloc byte[32];
        if (!Hex.TryDecode(peerPubKeyHex, pub))
        {
            throw new DsrsException(NostrErrorCodes.InvalidPublicKey, "the peer public key must be 64 hex characters");
        }

        return GetConversationKey(self.SecretKey, pub);
    }

    /// <summary>From raw key bytes (the form the vectors use).</summary>
    public static byte[] GetConversationKey(ReadOnlySpan<byte> secret32, ReadOnlySpan<byte> peerPub32)
    {
        if (secret32.Length != 32 || !ECPrivKey.TryCreate(secret32, out var secret) || secret is null)
        {
            throw new DsrsException(NostrErrorCodes.InvalidSecretKey, "the secret key must be 32 bytes in [1, n-1]");
        }

        return GetConversationKey(secret, peerPub32);
    }

    internal static byte[] GetConversationKey(ECPrivKey secret, ReadOnlySpan<byte> peerPub32)
    {
        // lift_x: the x-only key as the point with even y (BIP-340), then a·B.
        Span<byte> compressed = stackalloc byte[33];
        compressed[0] = 0x02;
        if (peerPub32.Length != 32)
        {
            throw new DsrsException(NostrErrorCodes.InvalidPublicKey, "the peer public key must be 32 bytes");
        }

        peerPub32.CopyTo(compressed[1..]);
        if (!ECPubKey.TryCreate(compressed, Context.Instance, out _, out var peer) || peer is null)
        {
            throw new DsrsException(NostrErrorCodes.InvalidPublicKey, "the peer public key is not a point on secp256k1");
        }

        Span<byte> shared = stackalloc byte[33];
        peer.GetSharedPubkey(secret).WriteToSpan(true, shared, out _);
        try
        {
            return HKDF.Extract(HashAlgorithmName.SHA256, shared[1..].ToArray(), Salt);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(shared);
        }
    }

    /// <summary>The per-message ChaCha20 key (32), ChaCha20 nonce (12) and HMAC key (32).</summary>
    public static (byte[] ChaChaKey, byte[] ChaChaNonce, byte[] HmacKey) GetMessageKeys(ReadOnlySpan<byte> conversationKey, ReadOnlySpan<byte> nonce)
    {
        if (conversationKey.Length != 32)
        {
            throw new DsrsException(NostrErrorCodes.Nip44InvalidKey, "the NIP-44 conversation key must be 32 bytes");
        }

        if (nonce.Length != 32)
        {
            throw new DsrsException(NostrErrorCodes.Nip44InvalidKey, "the NIP-44 nonce must be 32 bytes");
        }

        Span<byte> keys = stackalloc byte[76];
        HKDF.Expand(HashAlgorithmName.SHA256, conversationKey, keys, nonce);
        var result = (keys[..32].ToArray(), keys[32..44].ToArray(), keys[44..].ToArray());
        CryptographicOperations.ZeroMemory(keys);
        return result;
    }

    /// <summary>The padded length (without prefix) of a plaintext of <paramref name="unpaddedLength"/> bytes.</summary>
    public static long CalcPaddedLength(long unpaddedLength)
    {
        if (unpaddedLength <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(unpaddedLength), "plaintext must be at least 1 byte");
        }

        if (unpaddedLength <= 32)
        {
            return 32;
        }

        var nextPower = 1L << (64 - (int)long.LeadingZeroCount(unpaddedLength - 1));
        var chunk = nextPower <= 256 ? 32 : nextPower / 8;
        return chunk * (((unpaddedLength - 1) / chunk) + 1);
    }

    /// <summary>Encrypts with a fresh random nonce.</summary>
    public static string Encrypt(string plaintext, ReadOnlySpan<byte> conversationKey)
    {
        Span<byte> nonce = stackalloc byte[32];
        RandomNumberGenerator.Fill(nonce);
        return Encrypt(plaintext, conversationKey, nonce);
    }

    /// <summary>Encrypts with a caller-supplied nonce (never reuse one; for test vectors).</summary>
    public static string Encrypt(string plaintext, ReadOnlySpan<byte> conversationKey, ReadOnlySpan<byte> nonce)
    {
        ArgumentNullException.ThrowIfNull(plaintext);
        var (chachaKey, chachaNonce, hmacKey) = GetMessageKeys(conversationKey, nonce);
        var padded = Pad(Encoding.UTF8.GetBytes(plaintext));
        ChaCha20(chachaKey, chachaNonce, padded);
        var payload = new byte[1 + 32 + padded.Length + 32];
        payload[0] = Version;
        nonce.CopyTo(payload.AsSpan(1));
        padded.CopyTo(payload.AsSpan(33));
        Mac(hmacKey, nonce, padded, payload.AsSpan(33 + padded.Length));
        CryptographicOperations.ZeroMemory(chachaKey);
        CryptographicOperations.ZeroMemory(hmacKey);
        return Convert.ToBase64String(payload);
    }

    public static string Encrypt(string plaintext, NostrKeyPair sender, string recipientPubKeyHex) =>
        Encrypt(plaintext, GetConversationKey(sender, recipientPubKeyHex));

    public static string Decrypt(string payload, NostrKeyPair recipient, string senderPubKeyHex) =>
        Decrypt(payload, GetConversationKey(recipient, senderPubKeyHex));

    /// <summary>Decrypts and authenticates; any failure is a <see cref="DsrsException"/> and yields no plaintext.</summary>
    public static string Decrypt(string payload, ReadOnlySpan<byte> conversationKey, int maxPlaintextBytes = DefaultMaxPlaintextBytes)
    {
        ArgumentNullException.ThrowIfNull(payload);
        if (payload.Length == 0 || payload[0] == '#')
        {
            throw Invalid("unknown encryption version (not base64; only version 2 is supported)");
        }

        if (payload.Length < 132)
        {
            throw Invalid($"payload of {payload.Length} characters is shorter than the 132 a version-2 payload needs");
        }

        // Bound work before decoding: base64 of version + nonce + prefix + padded + mac.
        var maxPadded = CalcPaddedLength(Math.Max(1, maxPlaintextBytes)) + 6;
        if ((long)payload.Length > ((65 + maxPadded + 2) / 3 * 4) + 4)
        {
            throw new DsrsException(NostrErrorCodes.Nip44InvalidPayload, $"payload is longer than a {maxPlaintextBytes}-byte plaintext allows");
        }

        byte[] data;
        try
        {
            data = Convert.FromBase64String(payload);
        }
        catch (FormatException)
        {
            throw Invalid("payload is not valid base64");
        }

        if (data.Length < 99)
        {
            throw Invalid($"decoded payload of {data.Length} bytes is shorter than 99");
        }

        if (data[0] != Version)
        {
            throw Invalid($"unknown encryption version {data[0]}");
        }

        var nonce = data.AsSpan(1, 32);
        var ciphertext = data.AsSpan(33, data.Length - 65);
        var mac = data.AsSpan(data.Length - 32);
        var (chachaKey, chachaNonce, hmacKey) = GetMessageKeys(conversationKey, nonce);
        Span<byte> expected = stackalloc byte[32];
        Mac(hmacKey, nonce, ciphertext, expected);
        CryptographicOperations.ZeroMemory(hmacKey);
        if (!CryptographicOperations.FixedTimeEquals(expected, mac))
        {
            CryptographicOperations.ZeroMemory(chachaKey);
            throw new DsrsException(NostrErrorCodes.Nip44InvalidMac, "NIP-44 MAC mismatch: the payload was altered or the key is wrong");
        }

        var padded = ciphertext.ToArray();
        ChaCha20(chachaKey, chachaNonce, padded);
        CryptographicOperations.ZeroMemory(chachaKey);
        return Unpad(padded);
    }

    private static byte[] Pad(byte[] unpadded)
    {
        var length = unpadded.LongLength;
        if (length < 1 || length > MaxPlaintextBytesByFormat)
        {
            throw new DsrsException(NostrErrorCodes.Nip44InvalidPlaintext, $"NIP-44 plaintext must be 1 to {MaxPlaintextBytesByFormat} bytes, not {length}");
        }

        var prefix = length >= ExtendedPrefixThreshold ? 6 : 2;
        var padded = new byte[prefix + CalcPaddedLength(length)];
        if (prefix == 2)
        {
            BinaryPrimitives.WriteUInt16BigEndian(padded, (ushort)length);
        }
        else
        {
            BinaryPrimitives.WriteUInt32BigEndian(padded.AsSpan(2), (uint)length);
        }

        unpadded.CopyTo(padded, prefix);
        return padded;
    }

    private static string Unpad(byte[] padded)
    {
        if (padded.Length < 2)
        {
            throw Invalid("padding is shorter than its length prefix");
        }

        long length = BinaryPrimitives.ReadUInt16BigEndian(padded);
        var prefix = 2;
        if (length == 0)
        {
            if (padded.Length < 6)
            {
                throw Invalid("extended length prefix is truncated");
            }

            length = BinaryPrimitives.ReadUInt32BigEndian(padded.AsSpan(2));
            prefix = 6;
            if (length < ExtendedPrefixThreshold)
            {
                throw Invalid("extended length prefix used for a plaintext shorter than 65536 bytes");
            }
        }

        if (length == 0 || prefix + length > padded.Length || padded.Length != prefix + CalcPaddedLength(length))
        {
            throw Invalid("padding does not match the stated plaintext length");
        }

        try
        {
            return StrictUtf8.GetString(padded, prefix, (int)length);
        }
        catch (DecoderFallbackException)
        {
            throw Invalid("plaintext is not valid UTF-8");
        }
    }

    private static void ChaCha20(byte[] key, byte[] nonce12, byte[] data)
    {
        var engine = new ChaCha7539Engine();
        engine.Init(true, new ParametersWithIV(new KeyParameter(key), nonce12));
        engine.ProcessBytes(data, 0, data.Length, data, 0);
    }

    private static void Mac(byte[] hmacKey, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> ciphertext, Span<byte> destination)
    {
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, hmacKey);
        hmac.AppendData(nonce);
        hmac.AppendData(ciphertext);
        hmac.GetHashAndReset(destination);
    }

    private static DsrsException Invalid(string why) => new(NostrErrorCodes.Nip44InvalidPayload, "invalid NIP-44 payload: " + why);
}
