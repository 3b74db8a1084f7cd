using System.Diagnostics.CodeAnalysis;

namespace ManifestBuild.Nostr;

/// <summary>Which checksum constant a bech32 string uses: BIP-173 bech32 or BIP-350 bech32m.</summary>
public enum Bech32Variant
{
    Bech32,
    Bech32m,
}

/// <summary>Why a string is not bech32, so each reader can report it under its own code.</summary>
public enum Bech32Failure
{
    /// <summary>Empty, too long, a character outside US-ASCII 33-126 or the charset, mixed case, no separator.</summary>
    Malformed,

    /// <summary>The data part is shorter than the 6-character checksum.</summary>
    TooShort,

    /// <summary>The checksum matches neither bech32 nor bech32m.</summary>
    BadChecksum,
}

/// <summary>A checked bech32 string: the lowercase human-readable part and the 5-bit data words without checksum.</summary>
public sealed record Bech32String(string Hrp, byte[] Words, Bech32Variant Variant);

/// <summary>
/// The one BIP-173 bech32 / BIP-350 bech32m codec, on 5-bit words. It has no built-in 90-character
/// limit: BOLT #11 invoices and NIP-19 nprofile/nevent/naddr are longer, so every reader passes its own
/// bound. NIP-19's byte-level helpers (<see cref="EncodeBytes"/>, <see cref="DecodeBytes"/>) sit on top.
/// </summary>
public static class Bech32
{
    public const string Charset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";

    /// <summary>A generous bound for NIP-19 entities, so a hostile string cannot cost unbounded work.</summary>
    public const int MaxLength = 5000;

    private const uint Bech32Constant = 1;
    private const uint Bech32mConstant = 0x2bc830a3;

    private static readonly sbyte[] CharsetRev = BuildReverse();

    /// <summary>Encodes lowercase bech32 (or bech32m) with the checksum appended.</summary>
    public static string Encode(string hrp, ReadOnlySpan<byte> words, Bech32Variant variant = Bech32Variant.Bech32)
    {
        var all = new byte[words.Length + 6];
        words.CopyTo(all);
        var mod = Polymod(hrp, all) ^ (variant == Bech32Variant.Bech32m ? Bech32mConstant : Bech32Constant);
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

    /// <summary>Splits and checks a bech32 or bech32m string of at most <paramref name="maxLength"/> characters.</summary>
    public static bool TryDecode(string? text, int maxLength, [NotNullWhen(true)] out Bech32String? decoded, out Bech32Failure failure, out string reason)
    {
        decoded = null;
        failure = Bech32Failure.Malformed;
        if (string.IsNullOrEmpty(text) || text.Length > maxLength)
        {
            reason = $"must be 8 to {maxLength} characters";
            return false;
        }

        bool hasLower = false, hasUpper = false;
        foreach (var c in text)
        {
            if (c < 33 || c > 126)
            {
                reason = $"has character U+{(int)c:X4}, which bech32 does not allow";
                return false;
            }

            hasLower |= c is >= 'a' and <= 'z';
            hasUpper |= c is >= 'A' and <= 'Z';
        }

        if (hasLower && hasUpper)
        {
            reason = "mixes upper and lower case (BIP-173)";
            return false;
        }

        var lower = text.ToLowerInvariant();
        var separator = lower.LastIndexOf('1');
        if (separator < 1)
        {
            reason = "has no '1' separator after a human-readable part";
            return false;
        }

        if (lower.Length - separator - 1 < 6)
        {
            failure = Bech32Failure.TooShort;
            reason = "is too short to hold a checksum";
            return false;
        }

        var hrp = lower[..separator];
        var words = new byte[lower.Length - separator - 1];
        for (var i = 0; i < words.Length; i++)
        {
            var c = lower[separator + 1 + i];
            var value = CharsetRev[c];
            if (value < 0)
            {
                reason = $"has '{c}' at position {separator + 1 + i}, which is not a bech32 character";
                return false;
            }

            words[i] = (byte)value;
        }

        var variant = Polymod(hrp, words) switch
        {
            Bech32Constant => Bech32Variant.Bech32,
            Bech32mConstant => Bech32Variant.Bech32m,
            _ => (Bech32Variant?)null,
        };
        if (variant is null)
        {
            failure = Bech32Failure.BadChecksum;
            reason = "has a checksum that does not match (a typo?)";
            return false;
        }

        decoded = new Bech32String(hrp, words[..^6], variant.Value);
        reason = string.Empty;
        return true;
    }

    /// <summary>A bech32 or bech32m string of at most <paramref name="maxLength"/> characters, split; DSRS0310 otherwise.</summary>
    public static Bech32String Decode(string text, int maxLength = MaxLength) =>
        TryDecode(text, maxLength, out var decoded, out _, out var reason) ? decoded : throw Invalid(reason);

    /// <summary>NIP-19: eight-bit data under a bech32 (not bech32m) checksum.</summary>
    public static string EncodeBytes(string hrp, ReadOnlySpan<byte> data) => Encode(hrp, ConvertBits(data, 8, 5, pad: true));

    /// <summary>NIP-19: a bech32 string's prefix and bytes; DSRS0310 when it is not strict bech32 with zero padding.</summary>
    public static (string Hrp, byte[] Data) DecodeBytes(string text)
    {
        if (!TryDecode(text, MaxLength, out var decoded, out _, out var reason))
        {
            throw Invalid(reason);
        }

        if (decoded.Variant != Bech32Variant.Bech32)
        {
            throw Invalid("uses the bech32m checksum; NIP-19 uses bech32");
        }

        var data = TryConvertBitsStrict(decoded.Words, 5, 8) ?? throw Invalid("has non-zero or excess padding bits");
        return (decoded.Hrp, data);
    }

    /// <summary>
    /// Regroups bits (e.g. 5 to 8). Without padding, an incomplete tail group is dropped, as BOLT #11
    /// readers do (writers pad field data to 5 bits with zeros).
    /// </summary>
    public static byte[] ConvertBits(ReadOnlySpan<byte> data, int fromBits, int toBits, bool pad) =>
        Regroup(data, fromBits, toBits, pad, strict: false)!;

    /// <summary>BIP-173's strict regrouping without padding: null when the tail is a whole group or not zero.</summary>
    public static byte[]? TryConvertBitsStrict(ReadOnlySpan<byte> data, int fromBits, int toBits) =>
        Regroup(data, fromBits, toBits, pad: false, strict: true);

    private static byte[]? Regroup(ReadOnlySpan<byte> data, int fromBits, int toBits, bool pad, bool strict)
    {
        var acc = 0;
        var bits = 0;
        var maxValue = (1 << toBits) - 1;
        var result = new List<byte>((data.Length * fromBits / toBits) + 1);
        foreach (var value in data)
        {
            acc = (acc << fromBits) | value;
            bits += fromBits;
            while (bits >= toBits)
            {
                bits -= toBits;
                result.Add((byte)((acc >> bits) & maxValue));
            }

            acc &= (1 << bits) - 1;
        }

        if (pad && bits > 0)
        {
            result.Add((byte)((acc << (toBits - bits)) & maxValue));
        }
        else if (strict && (bits >= fromBits || acc != 0))
        {
            return null;
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

    private static Format.DsrsException Invalid(string why) => new(NostrErrorCodes.InvalidBech32, "invalid bech32 string: it " + why);
}
