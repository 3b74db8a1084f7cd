namespace ManifestBuild.Nostr;

/// <summary>Lowercase hex, as Nostr writes it (ids, pubkeys, signatures are lowercase on the wire).</summary>
public static class Hex
{
    private const string Digits = "0123456789abcdef";

    public static string Encode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length == 0)
        {
            return string.Empty;
        }

        var chars = bytes.Length <= 256 ? stackalloc char[bytes.Length * 2] : new char[bytes.Length * 2];
        for (var i = 0; i < bytes.Length; i++)
        {
            chars[i * 2] = Digits[bytes[i] >> 4];
            chars[(i * 2) + 1] = Digits[bytes[i] & 0xF];
        }

        return new string(chars);
    }

    /// <summary>Decodes hex of either case into <paramref name="destination"/>; false on any non-hex char or wrong length.</summary>
    public static bool TryDecode(ReadOnlySpan<char> hex, Span<byte> destination)
    {
        if (hex.Length != destination.Length * 2)
        {
            return false;
        }

        for (var i = 0; i < destination.Length; i++)
        {
            var hi = Nibble(hex[i * 2]);
            var lo = Nibble(hex[(i * 2) + 1]);
            if ((hi | lo) < 0)
            {
                return false;
            }

            destination[i] = (byte)((hi << 4) | lo);
        }

        return true;
    }

    public static byte[]? TryDecode(string hex)
    {
        if (hex.Length % 2 != 0)
        {
            return null;
        }

        var bytes = new byte[hex.Length / 2];
        return TryDecode(hex, bytes) ? bytes : null;
    }

    /// <summary>True when <paramref name="value"/> is exactly <paramref name="byteLength"/> bytes of lowercase hex (the NIP-01 form).</summary>
    public static bool IsLowerHex(string? value, int byteLength)
    {
        if (value is null || value.Length != byteLength * 2)
        {
            return false;
        }

        foreach (var c in value)
        {
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
            {
                return false;
            }
        }

        return true;
    }

    private static int Nibble(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };
}
