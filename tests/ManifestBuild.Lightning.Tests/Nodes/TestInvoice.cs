using System.Security.Cryptography;
using System.Text;

namespace ManifestBuild.Lightning.Tests.Nodes;

/// <summary>
/// Well-formed bech32 BOLT #11 strings with a chosen amount and a payment hash from a known preimage,
/// for feeding adapters. The signature is a zero placeholder: adapters do not verify signatures
/// (the payment guard does, before any adapter is called).
/// </summary>
internal sealed record TestInvoice(string Bolt11, string PaymentHashHex, string PreimageHex)
{
    private const string Charset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";

    /// <summary>amountHrp is the HRP amount part, e.g. "2500u" (250000000 msat), or "" for none.</summary>
    public static TestInvoice Create(string amountHrp = "10u", string currency = "bcrt")
    {
        var preimage = RandomNumberGenerator.GetBytes(32);
        var hash = SHA256.HashData(preimage);
        var words = new List<byte>();
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        for (var i = 6; i >= 0; i--)
        {
            words.Add((byte)((timestamp >> (5 * i)) & 31));
        }

        var hashWords = ToWords(hash);
        words.AddRange([1, (byte)(hashWords.Count >> 5), (byte)(hashWords.Count & 31)]);
        words.AddRange(hashWords);
        var description = ToWords(Encoding.UTF8.GetBytes("test"));
        words.AddRange([13, (byte)(description.Count >> 5), (byte)(description.Count & 31)]);
        words.AddRange(description);
        words.AddRange(new byte[104]);
        var hrp = "ln" + currency + amountHrp;
        var checksum = Checksum(hrp, words);
        var text = new StringBuilder(hrp).Append('1');
        foreach (var word in words.Concat(checksum))
        {
            text.Append(Charset[word]);
        }

        return new TestInvoice(text.ToString(), Convert.ToHexString(hash).ToLowerInvariant(), Convert.ToHexString(preimage).ToLowerInvariant());
    }

    private static List<byte> ToWords(byte[] bytes)
    {
        var words = new List<byte>();
        int accumulator = 0, bits = 0;
        foreach (var b in bytes)
        {
            accumulator = (accumulator << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                bits -= 5;
                words.Add((byte)((accumulator >> bits) & 31));
            }
        }

        if (bits > 0)
        {
            words.Add((byte)((accumulator << (5 - bits)) & 31));
        }

        return words;
    }

    private static byte[] Checksum(string hrp, List<byte> words)
    {
        var values = hrp.Select(c => (byte)(c >> 5)).Append((byte)0).Concat(hrp.Select(c => (byte)(c & 31))).Concat(words).Concat(new byte[6]);
        uint[] generator = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];
        uint chk = 1;
        foreach (var value in values)
        {
            var top = chk >> 25;
            chk = ((chk & 0x1ffffff) << 5) ^ value;
            for (var i = 0; i < 5; i++)
            {
                if (((top >> i) & 1) != 0)
                {
                    chk ^= generator[i];
                }
            }
        }

        chk ^= 1;
        return [.. Enumerable.Range(0, 6).Select(i => (byte)((chk >> (5 * (5 - i))) & 31))];
    }
}
