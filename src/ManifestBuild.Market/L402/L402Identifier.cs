using System.Buffers.Binary;
using System.Security.Cryptography;
using ManifestBuild.Format;

namespace ManifestBuild.Market.L402;

/// <summary>
/// The L402 macaroon identifier, as aperture encodes it: uint16 big-endian version (0), the 32-byte
/// payment hash, and a random 32-byte token id. It commits the token to exactly one invoice.
/// </summary>
public sealed record L402Identifier(ushort Version, byte[] PaymentHash, byte[] TokenId)
{
    public const int EncodedLength = 2 + 32 + 32;

    public string PaymentHashHex => Hex.Encode(PaymentHash);

    public string TokenIdHex => Hex.Encode(TokenId);

    public static L402Identifier Create(string paymentHashHex)
    {
        var hash = L402Hex.Decode32(paymentHashHex, "payment hash");
        return new L402Identifier(0, hash, RandomNumberGenerator.GetBytes(32));
    }

    public byte[] Encode()
    {
        var bytes = new byte[EncodedLength];
        BinaryPrimitives.WriteUInt16BigEndian(bytes, Version);
        PaymentHash.CopyTo(bytes, 2);
        TokenId.CopyTo(bytes, 34);
        return bytes;
    }

    public static L402Identifier Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < 2)
        {
            throw new DsrsException(MarketErrorCodes.MalformedTokenIdentifier, "the token identifier is too short to hold a version");
        }

        var version = BinaryPrimitives.ReadUInt16BigEndian(bytes);
        if (version != 0)
        {
            throw new DsrsException(MarketErrorCodes.MalformedTokenIdentifier, $"token identifier version {version} is unknown (only 0)");
        }

        if (bytes.Length != EncodedLength)
        {
            throw new DsrsException(MarketErrorCodes.MalformedTokenIdentifier, $"a version 0 token identifier is {EncodedLength} bytes, this one is {bytes.Length}");
        }

        return new L402Identifier(version, bytes.Slice(2, 32).ToArray(), bytes.Slice(34, 32).ToArray());
    }
}

internal static class L402Hex
{
    public static byte[] Decode32(string? hex, string what)
    {
        if (hex is null || hex.Length != 64)
        {
            throw new DsrsException(MarketErrorCodes.MalformedL402Header, $"the {what} must be 64 hex characters");
        }

        return Hex.TryDecode(hex) ?? throw new DsrsException(MarketErrorCodes.MalformedL402Header, $"the {what} is not hex");
    }
}
