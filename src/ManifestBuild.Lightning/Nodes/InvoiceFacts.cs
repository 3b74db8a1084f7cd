using ManifestBuild.Format;

namespace ManifestBuild.Lightning.Nodes;

/// <summary>
/// The two facts some adapters need from an invoice they are asked to pay: its amount (to check a
/// node's fee floor, which is a percentage) and its payment hash (to look the payment up when the
/// node's answer does not carry it). This is reading, not validation: the payment guard has already
/// verified the invoice (signature, network, payee...) with the BOLT #11 decoder before any adapter
/// sees it. The bech32 checksum is still checked, so a corrupted string is refused here too.
/// </summary>
internal sealed record InvoiceFacts(string PaymentHashHex, long? AmountMsat, string Currency)
{
    private const string Charset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";

    public static InvoiceFacts Read(string bolt11)
    {
        var text = (bolt11 ?? string.Empty).Trim();
        if (text.StartsWith("lightning:", StringComparison.OrdinalIgnoreCase))
        {
            text = text["lightning:".Length..];
        }

        text = text.ToLowerInvariant();
        var separator = text.LastIndexOf('1');
        if (!text.StartsWith("ln", StringComparison.Ordinal) || separator < 3 || text.Length - separator - 1 < 7 + 104 + 6)
        {
            throw Unreadable("not a bech32 BOLT #11 string");
        }

        var hrp = text[..separator];
        var words = new byte[text.Length - separator - 1];
        for (var i = 0; i < words.Length; i++)
        {
            var value = Charset.IndexOf(text[separator + 1 + i], StringComparison.Ordinal);
            if (value < 0)
            {
                throw Unreadable("character outside the bech32 alphabet");
            }

            words[i] = (byte)value;
        }

        if (Polymod(hrp, words) != 1)
        {
            throw Unreadable("bech32 checksum mismatch");
        }

        var (currency, amount) = ReadHrp(hrp);
        var data = words.AsSpan(0, words.Length - 6 - 104); // drop checksum and signature
        for (var position = 7; position + 3 <= data.Length;)
        {
            var type = data[position];
            var length = (data[position + 1] << 5) | data[position + 2];
            position += 3;
            if (position + length > data.Length)
            {
                throw Unreadable("a tagged field runs past the end");
            }

            if (type == 1 && length == 52)
            {
                return new InvoiceFacts(Hex.Encode(ToBytes(data.Slice(position, length))[..32]), amount, currency);
            }

            position += length;
        }

        throw Unreadable("no payment hash (p field)");
    }

    private static (string Currency, long? AmountMsat) ReadHrp(string hrp)
    {
        var index = 2;
        while (index < hrp.Length && char.IsAsciiLetterLower(hrp[index]))
        {
            index++;
        }

        var currency = hrp[2..index];
        if (index == hrp.Length)
        {
            return (currency, null);
        }

        var digitsEnd = index;
        while (digitsEnd < hrp.Length && char.IsAsciiDigit(hrp[digitsEnd]))
        {
            digitsEnd++;
        }

        if (digitsEnd == index || digitsEnd < hrp.Length - 1 || !decimal.TryParse(hrp[index..digitsEnd], out var number))
        {
            throw Unreadable("malformed amount");
        }

        // Millisatoshis per unit: 1 BTC = 100_000_000_000 msat.
        decimal perUnit = digitsEnd == hrp.Length ? 100_000_000_000m : hrp[digitsEnd] switch
        {
            'm' => 100_000_000m,
            'u' => 100_000m,
            'n' => 100m,
            'p' => 0.1m,
            _ => throw Unreadable("unknown amount multiplier"),
        };
        var msat = number * perUnit;
        if (msat != decimal.Truncate(msat) || msat <= 0 || msat > long.MaxValue)
        {
            throw Unreadable("amount is not a whole number of millisatoshis");
        }

        return (currency, (long)msat);
    }

    private static byte[] ToBytes(ReadOnlySpan<byte> words)
    {
        var bytes = new List<byte>(words.Length * 5 / 8);
        int accumulator = 0, bits = 0;
        foreach (var word in words)
        {
            accumulator = (accumulator << 5) | word;
            bits += 5;
            if (bits >= 8)
            {
                bits -= 8;
                bytes.Add((byte)((accumulator >> bits) & 0xff));
            }
        }

        return [.. bytes];
    }

    private static uint Polymod(string hrp, byte[] words)
    {
        uint[] generator = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];
        uint checksum = 1;
        void Step(int value)
        {
            var top = checksum >> 25;
            checksum = ((checksum & 0x1ffffff) << 5) ^ (uint)value;
            for (var i = 0; i < 5; i++)
            {
                if (((top >> i) & 1) != 0)
                {
                    checksum ^= generator[i];
                }
            }
        }

        foreach (var c in hrp)
        {
            Step(c >> 5);
        }

        Step(0);
        foreach (var c in hrp)
        {
            Step(c & 31);
        }

        foreach (var word in words)
        {
            Step(word);
        }

        return checksum;
    }

    private static DsrsException Unreadable(string why) =>
        new(NodeErrorCodes.UnreadableInvoice, "the invoice handed to the node adapter cannot be read: " + why);
}
