using ManifestBuild.Format;

namespace ManifestBuild.Lightning.Bolt11;

/// <summary>
/// BIP-173 bech32 (and BIP-350 bech32m for segwit v1+ addresses) without the 90-character limit,
/// which BOLT #11 lifts. Works on 5-bit words.
/// </summary>
public static class Bech32
{
    public const string Charset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";

    private const uint Bech32Constant = 1;
    private const uint Bech32mConstant = 0x2bc830a3;

    private static readonly sbyte[] CharsetRev = BuildReverse();

    /// <summary>Splits and checks a bech32 string; returns the lowercase hrp and the data words without checksum.</summary>
    public static (string Hrp, byte[] Words) Decode(string text)
    {
        if (string.IsNullOrEmpty(text))
        {
            throw new DsrsException(Bolt11ErrorCodes.MalformedBech32, "the invoice is empty");
        }

        bool hasLower = false, hasUpper = false;
        foreach (var c in text)
        {
            if (c < 33 || c > 126)
            {
                throw new DsrsException(Bolt11ErrorCodes.MalformedBech32, $"character U+{(int)c:X4} is not allowed in bech32");
            }

            hasLower |= c is >= 'a' and <= 'z';
            hasUpper |= c is >= 'A' and <= 'Z';
        }

        if (hasLower && hasUpper)
        {
            throw new DsrsException(Bolt11ErrorCodes.MalformedBech32, "bech32 string mixes upper and lower case (BIP-173)");
        }

        var lower = text.ToLowerInvariant();
        var separator = lower.LastIndexOf('1');
        if (separator < 1)
        {
            throw new DsrsException(Bolt11ErrorCodes.MalformedBech32, "bech32 string has no '1' separator after a human-readable part");
        }

        if (lower.Length - separator - 1 < 6)
        {
            throw new DsrsException(Bolt11ErrorCodes.TooShort, "bech32 string is too short to hold a checksum");
        }

        var hrp = lower[..separator];
        var words = new byte[lower.Length - separator - 1];
        for (var i = 0; i < words.Length; i++)
        {
            var c = lower[separator + 1 + i];
            var value = c < 128 ? CharsetRev[c] : (sbyte)-1;
            if (value < 0)
            {
                throw new DsrsException(Bolt11ErrorCodes.MalformedBech32, $"character '{c}' at position {separator + 1 + i} is not in the bech32 charset");
            }

            words[i] = (byte)value;
        }

        if (Polymod(hrp, words) != Bech32Constant)
        {
            throw new DsrsException(Bolt11ErrorCodes.BadChecksum, "bech32 checksum is invalid");
        }

        return (hrp, words[..^6]);
    }

    /// <summary>Encodes lowercase bech32 (or bech32m) with the checksum appended.</summary>
    public static string Encode(string hrp, ReadOnlySpan<byte> words, bool bech32m = false)
    {
        var all = new byte[words.Length + 6];
        words.CopyTo(all);
        var mod = Polymod(hrp, all) ^ (bech32m ? Bech32mConstant : Bech32Constant);
        for (var i = 0; i < 6; i++)
        {
            all[words.Length + i] = (byte)((mod >> (5 * (5 - i))) & 31);
        }

        var chars = new char[hrp.Length + 1 + all.Length];
        hrp.CopyTo(0, chars, 0, hrp.Length);
        chars[hrp.Length] = '1';
        for (var i = 0; i < all.Length; i++)
        {
            chars[hrp.Length + 1 + i] = Charset[all[i]];
        }

        return new string(chars);
    }

    /// <summary>Regroups bits (e.g. 5 to 8). Without padding, an incomplete tail group is dropped (BOLT #11 pads field data to 5 bits with zeros).</summary>
    public static byte[] ConvertBits(ReadOnlySpan<byte> data, int fromBits, int toBits, bool pad)
    {
        var acc = 0;
        var bits = 0;
        var maxv = (1 << toBits) - 1;
        var result = new List<byte>(data.Length * fromBits / toBits + 1);
        foreach (var value in data)
        {
            acc = (acc << fromBits) | value;
            bits += fromBits;
            while (bits >= toBits)
            {
                bits -= toBits;
                result.Add((byte)((acc >> bits) & maxv));
            }

            acc &= (1 << bits) - 1;
        }

        if (pad && bits > 0)
        {
            result.Add((byte)((acc << (toBits - bits)) & maxv));
        }

        return result.ToArray();
    }

    private static uint Polymod(string hrp, ReadOnlySpan<byte> words)
    {
        uint chk = 1;
        foreach (var c in hrp)
        {
            chk = Step(chk) ^ (uint)(c >> 5);
        }

        chk = Step(chk);
        foreach (var c in hrp)
        {
            chk = Step(chk) ^ (uint)(c & 31);
        }

        foreach (var w in words)
        {
            chk = Step(chk) ^ w;
        }

        return chk;
    }

    private static uint Step(uint pre)
    {
        var b = pre >> 25;
        return ((pre & 0x1ffffff) << 5)
            ^ ((b & 1) != 0 ? 0x3b6a57b2u : 0)
            ^ ((b & 2) != 0 ? 0x26508e6du : 0)
            ^ ((b & 4) != 0 ? 0x1ea119fau : 0)
            ^ ((b & 8) != 0 ? 0x3d4233ddu : 0)
            ^ ((b & 16) != 0 ? 0x2a1462b3u : 0);
    }

    private static sbyte[] BuildReverse()
    {
        var rev = new sbyte[128];
        Array.Fill(rev, (sbyte)-1);
        for (var i = 0; i < Charset.Length; i++)
        {
            rev[Charset[i]] = (sbyte)i;
        }

        return rev;
    }
}
