using System.Text;
using ManifestBuild.Format;

namespace ManifestBuild.Market.L402;

/// <summary>
/// The libmacaroons v2 binary format: version byte 2; fields as (type varint, length varint, bytes);
/// header [location] identifier EOS; per caveat [location] identifier [vid] EOS; EOS; signature.
/// </summary>
internal static class MacaroonBinary
{
    private const byte Version = 2;
    private const int FieldEos = 0;
    private const int FieldLocation = 1;
    private const int FieldIdentifier = 2;
    private const int FieldVerificationId = 4;
    private const int FieldSignature = 6;
    private const int MaxSerializedBytes = 64 * 1024;

    public static byte[] Write(Macaroon macaroon)
    {
        using var stream = new MemoryStream();
        stream.WriteByte(Version);
        if (!string.IsNullOrEmpty(macaroon.Location))
        {
            WriteField(stream, FieldLocation, Encoding.UTF8.GetBytes(macaroon.Location));
        }

        WriteField(stream, FieldIdentifier, macaroon.Identifier);
        WriteVarint(stream, FieldEos);
        foreach (var caveat in macaroon.Caveats)
        {
            WriteField(stream, FieldIdentifier, Encoding.UTF8.GetBytes(caveat));
            WriteVarint(stream, FieldEos);
        }

        WriteVarint(stream, FieldEos);
        WriteField(stream, FieldSignature, macaroon.Signature);
        return stream.ToArray();
    }

    public static Macaroon Read(ReadOnlySpan<byte> data)
    {
        if (data.Length == 0 || data.Length > MaxSerializedBytes)
        {
            throw Malformed("empty or larger than 64 KiB");
        }

        if (data[0] != Version)
        {
            throw Malformed($"version byte {data[0]} is not 2 (only the v2 binary format is accepted)");
        }

        var position = 1;
        string? location = null;
        var type = ReadVarint(data, ref position);
        if (type == FieldLocation)
        {
            location = Encoding.UTF8.GetString(ReadBytes(data, ref position));
            type = ReadVarint(data, ref position);
        }

        if (type != FieldIdentifier)
        {
            throw Malformed("the header has no identifier");
        }

        var identifier = ReadBytes(data, ref position).ToArray();
        if (ReadVarint(data, ref position) != FieldEos)
        {
            throw Malformed("the header does not end after the identifier");
        }

        var caveats = new List<string>();
        while (true)
        {
            type = ReadVarint(data, ref position);
            if (type == FieldEos)
            {
                break;
            }

            if (type == FieldLocation)
            {
                ReadBytes(data, ref position);
                type = ReadVarint(data, ref position);
            }

            if (type != FieldIdentifier)
            {
                throw Malformed("a caveat has no identifier");
            }

            var caveat = ReadBytes(data, ref position);
            type = ReadVarint(data, ref position);
            if (type == FieldVerificationId)
            {
                // Third-party caveats need discharge macaroons, which L402 here never issues.
                throw Malformed("third-party caveats are not supported");
            }

            if (type != FieldEos)
            {
                throw Malformed("a caveat does not end with EOS");
            }

            caveats.Add(Encoding.UTF8.GetString(caveat));
        }

        if (ReadVarint(data, ref position) != FieldSignature)
        {
            throw Malformed("no signature field");
        }

        var signature = ReadBytes(data, ref position);
        if (signature.Length != 32)
        {
            throw Malformed("the signature is not 32 bytes");
        }

        if (position != data.Length)
        {
            throw Malformed("trailing bytes after the signature");
        }

        return new Macaroon(identifier, location, caveats, signature.ToArray());
    }

    public static byte[] DecodeBase64(string text)
    {
        var normalized = (text ?? string.Empty).Trim().Replace('-', '+').Replace('_', '/');
        normalized = normalized.PadRight(normalized.Length + ((4 - (normalized.Length % 4)) % 4), '=');
        try
        {
            return Convert.FromBase64String(normalized);
        }
        catch (FormatException)
        {
            throw Malformed("the token is not base64");
        }
    }

    private static void WriteField(Stream stream, int type, byte[] bytes)
    {
        WriteVarint(stream, type);
        WriteVarint(stream, bytes.Length);
        stream.Write(bytes);
    }

    private static void WriteVarint(Stream stream, int value)
    {
        var v = (uint)value;
        while (v >= 0x80)
        {
            stream.WriteByte((byte)(v | 0x80));
            v >>= 7;
        }

        stream.WriteByte((byte)v);
    }

    private static int ReadVarint(ReadOnlySpan<byte> data, ref int position)
    {
        uint value = 0;
        for (var shift = 0; shift < 32; shift += 7)
        {
            if (position >= data.Length)
            {
                throw Malformed("truncated");
            }

            var b = data[position++];
            value |= (uint)(b & 0x7f) << shift;
            if ((b & 0x80) == 0)
            {
                return value > MaxSerializedBytes ? throw Malformed("a length is out of range") : (int)value;
            }
        }

        throw Malformed("a varint is too long");
    }

    private static ReadOnlySpan<byte> ReadBytes(ReadOnlySpan<byte> data, ref int position)
    {
        var length = ReadVarint(data, ref position);
        if (position + length > data.Length)
        {
            throw Malformed("a field runs past the end");
        }

        var slice = data.Slice(position, length);
        position += length;
        return slice;
    }

    private static DsrsException Malformed(string why) =>
        new(MarketErrorCodes.MalformedMacaroon, "the L402 token is not a valid macaroon: " + why);
}
