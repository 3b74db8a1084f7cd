using ManifestBuild.Format;

namespace ManifestBuild.Nostr;

/// <summary>
/// BIP-173 bech32 (not bech32m), as NIP-19 uses it: without BIP-173's 90-character limit, because
/// nprofile/nevent/naddr with relays are longer.
/// </summary>
public static class Bech32
{
    private const string Charset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
    private static readonly uint[] Generator = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];

    /// <summary>A generous bound so a hostile string cannot cost unbounded work (NIP-19 entities are far shorter).</summary>
    public const int MaxLength = 5000;

    public static string Encode(string hrp, ReadOnlySpan<byte> data)
    {
        var values = ConvertBits(data, 8, 5, pad: true) ?? throw new InvalidOperationException("8-to-5 conversion cannot fail with padding");
        var checksum = CreateChecksum(hrp, values);
        var chars = new char[hrp.Length + 1 + values.Length + 6];
        hrp.CopyTo(0, chars, 0, hrp.Length);
        chars[hrp.Length] = '1';
        for (var i = 0; i < values.Length; i++)
        {
            chars[hrp.Length + 1 + i] = Charset[values[i]];
        }

        for (var i = 0; i < 6; i++)
        {
            chars[hrp.Length + 1 + values.Length + i] = Charset[checksum[i]];
        }

        return new string(chars);
    }

    public static (string Hrp, byte[] Data) Decode(string text)
    {
        if (string.IsNullOrEmpty(text) || text.Length > MaxLength)
        {
            throw Invalid($"must be 8 to {MaxLength} characters");
        }

        var hasLower = text.Any(char.IsAsciiLetterLower);
        var hasUpper = text.Any(char.IsAsciiLetterUpper);
        if (hasLower && hasUpper)
        {
            throw Invalid("mixes upper and lower case");
        }

        var lower = text.ToLowerInvariant();
        var separator = lower.LastIndexOf('1');
        if (separator < 1 || separator + 7 > lower.Length)
        {
            throw Invalid("has no human-readable part or a data part shorter than the checksum");
        }

        var hrp = lower[..separator];
        if (hrp.Any(c => c < 33 || c > 126))
        {
            throw Invalid("has a character outside US-ASCII 33-126 in its prefix");
        }

        var values = new byte[lower.Length - separator - 1];
        for (var i = 0; i < values.Length; i++)
        {
            var index = Charset.IndexOf(lower[separator + 1 + i]);
            if (index < 0)
            {
                throw Invalid($"has '{lower[separator + 1 + i]}', which is not a bech32 character");
            }

            values[i] = (byte)index;
        }

        if (Polymod(HrpExpand(hrp).Concat(values)) != 1)
        {
            throw Invalid("checksum does not match (a typo, or bech32m)");
        }

        var data = ConvertBits(values.AsSpan(0, values.Length - 6), 5, 8, pad: false) ?? throw Invalid("has non-zero or excess padding bits");
        return (hrp, data);
    }

    private static byte[] CreateChecksum(string hrp, byte[] values)
    {
        var polymod = Polymod(HrpExpand(hrp).Concat(values).Concat(new byte[6])) ^ 1;
        var checksum = new byte[6];
        for (var i = 0; i < 6; i++)
        {
            checksum[i] = (byte)((polymod >> (5 * (5 - i))) & 31);
        }

        return checksum;
    }

    private static uint Polymod(IEnumerable<byte> values)
    {
        uint chk = 1;
        foreach (var v in values)
        {
            var top = chk >> 25;
            chk = ((chk & 0x1ffffff) << 5) ^ v;
            for (var i = 0; i < 5; i++)
            {
                if (((top >> i) & 1) != 0)
                {
                    chk ^= Generator[i];
                }
            }
        }

        return chk;
    }

    private static byte[] HrpExpand(string hrp)
    {
        var result = new byte[(hrp.Length * 2) + 1];
        for (var i = 0; i < hrp.Length; i++)
        {
            result[i] = (byte)(hrp[i] >> 5);
            result[hrp.Length + 1 + i] = (byte)(hrp[i] & 31);
        }

        return result;
    }

    private static byte[]? ConvertBits(ReadOnlySpan<byte> data, int fromBits, int toBits, bool pad)
    {
        var acc = 0;
        var bits = 0;
        var maxValue = (1 << toBits) - 1;
        var result = new List<byte>((data.Length * fromBits / toBits) + 1);
        foreach (var value in data)
        {
            acc = ((acc << fromBits) | value) & 0xFFFFFF;
            bits += fromBits;
            while (bits >= toBits)
            {
                bits -= toBits;
                result.Add((byte)((acc >> bits) & maxValue));
            }
        }

        if (pad)
        {
            if (bits > 0)
            {
                result.Add((byte)((acc << (toBits - bits)) & maxValue));
            }
        }
        else if (bits >= fromBits || ((acc << (toBits - bits)) & maxValue) != 0)
        {
            return null;
        }

        return result.ToArray();
    }

    private static DsrsException Invalid(string why) => new(NostrErrorCodes.InvalidBech32, "invalid bech32 string: it " + why);
}
