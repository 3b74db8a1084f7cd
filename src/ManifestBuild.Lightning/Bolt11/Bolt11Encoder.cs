using System.Text;
using ManifestBuild.Format;
using ManifestBuild.Nostr;
using NBitcoin.Secp256k1;

namespace ManifestBuild.Lightning.Bolt11;

/// <summary>What a writer puts into an invoice. Hex values are lowercase or uppercase hex.</summary>
public sealed record Bolt11InvoiceRequest
{
    /// <summary>"bitcoin", "testnet", "signet" or "regtest".</summary>
    public required string Network { get; init; }

    public long? AmountMsat { get; init; }

    public required DateTimeOffset Timestamp { get; init; }

    public required string PaymentHash { get; init; }

    public required string PaymentSecret { get; init; }

    /// <summary>Exactly one of Description and DescriptionHash.</summary>
    public string? Description { get; init; }

    public string? DescriptionHash { get; init; }

    /// <summary>Written as `x` when set (readers assume 3600 s otherwise).</summary>
    public TimeSpan? Expiry { get; init; }

    /// <summary>Written as `c` when set.</summary>
    public int? MinFinalCltvExpiry { get; init; }

    /// <summary>Feature bits for the `9` field; the default is var_onion_optin and payment_secret, both required.</summary>
    public IReadOnlyList<int> Features { get; init; } = [Bolt11Features.VarOnionOptinRequired, Bolt11Features.PaymentSecretRequired];

    /// <summary>Write the payee's node id as an `n` field (otherwise readers recover it from the signature).</summary>
    public bool IncludePayeeField { get; init; }

    public IReadOnlyList<IReadOnlyList<RouteHintHop>> RouteHints { get; init; } = [];

    /// <summary>`f` fields: (version, program hex).</summary>
    public IReadOnlyList<(int Version, string Program)> Fallbacks { get; init; } = [];

    public string? Metadata { get; init; }
}

/// <summary>Writes and signs BOLT #11 invoices (the dev node and the seller tests use it).</summary>
public static class Bolt11Encoder
{
    /// <summary>Encodes the request and signs it with the 32-byte node secret key.</summary>
    public static string Encode(Bolt11InvoiceRequest request, ReadOnlySpan<byte> nodeSecretKey)
    {
        if (!ECPrivKey.TryCreate(nodeSecretKey, out var key) || key is null)
        {
            throw new DsrsException(Bolt11ErrorCodes.InvalidEncoderInput, "the node secret key is not a valid 32-byte secp256k1 scalar");
        }

        using (key)
        {
            return Encode(request, key);
        }
    }

    public static string Encode(Bolt11InvoiceRequest request, ECPrivKey key)
    {
        ArgumentNullException.ThrowIfNull(request);
        var hrp = Bolt11Networks.PrefixOf(request.Network) + AmountText(request.AmountMsat);
        var words = new List<byte>();
        AppendNumber(words, request.Timestamp.ToUnixTimeSeconds(), fixedWords: 7);

        AppendBytes(words, 'p', HexBytes(request.PaymentHash, 32, "payment hash"));
        AppendBytes(words, 's', HexBytes(request.PaymentSecret, 32, "payment secret"));
        if ((request.Description is null) == (request.DescriptionHash is null))
        {
            throw new DsrsException(Bolt11ErrorCodes.InvalidEncoderInput, "an invoice needs exactly one of a description and a description hash");
        }

        if (request.Description is not null)
        {
            var description = Encoding.UTF8.GetBytes(request.Description);
            if (description.Length > 639)
            {
                throw new DsrsException(Bolt11ErrorCodes.InvalidEncoderInput, $"the description is {description.Length} bytes; BOLT #11 fits at most 639 (use a description hash)");
            }

            AppendBytes(words, 'd', description);
        }
        else
        {
            AppendBytes(words, 'h', HexBytes(request.DescriptionHash!, 32, "description hash"));
        }

        if (request.IncludePayeeField)
        {
            AppendBytes(words, 'n', key.CreatePubKey().ToBytes(compressed: true));
        }

        if (request.Expiry is { } expiry)
        {
            AppendTaggedNumber(words, 'x', (long)expiry.TotalSeconds);
        }

        if (request.MinFinalCltvExpiry is { } cltv)
        {
            AppendTaggedNumber(words, 'c', cltv);
        }

        foreach (var (version, program) in request.Fallbacks)
        {
            var data = new List<byte> { (byte)version };
            data.AddRange(Bech32.ConvertBits(HexBytes(program, "fallback program"), 8, 5, pad: true));
            AppendWords(words, 'f', data.ToArray());
        }

        foreach (var route in request.RouteHints)
        {
            AppendBytes(words, 'r', RouteBytes(route));
        }

        if (request.Metadata is not null)
        {
            AppendBytes(words, 'm', HexBytes(request.Metadata, "metadata"));
        }

        var features = Bolt11Features.ToWords(request.Features);
        if (features.Length > 0)
        {
            AppendWords(words, '9', features);
        }

        var dataWords = words.ToArray();
        var hash = Bolt11Decoder.SigningHash(hrp, dataWords);
        if (!key.TrySignRecoverable(hash, out var signature) || signature is null)
        {
            throw new DsrsException(Bolt11ErrorCodes.InvalidEncoderInput, "signing the invoice failed");
        }

        var sig = new byte[65];
        signature.WriteToSpanCompact(sig.AsSpan(0, 64), out var recoveryId);
        sig[64] = (byte)recoveryId;
        words.AddRange(Bech32.ConvertBits(sig, 8, 5, pad: true));
        return Bech32.Encode(hrp, words.ToArray());
    }

    /// <summary>The shortest amount text: the largest multiplier that divides the amount exactly.</summary>
    internal static string AmountText(long? amountMsat)
    {
        if (amountMsat is null)
        {
            return string.Empty;
        }

        var msat = amountMsat.Value;
        if (msat <= 0)
        {
            throw new DsrsException(Bolt11ErrorCodes.InvalidEncoderInput, $"amount {msat} msat is not positive");
        }

        if (msat % 100_000_000_000L == 0)
        {
            return (msat / 100_000_000_000L).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        foreach (var (unit, letter) in new[] { (100_000_000L, 'm'), (100_000L, 'u'), (100L, 'n') })
        {
            if (msat % unit == 0)
            {
                return (msat / unit).ToString(System.Globalization.CultureInfo.InvariantCulture) + letter;
            }
        }

        return checked(msat * 10).ToString(System.Globalization.CultureInfo.InvariantCulture) + "p";
    }

    private static byte[] RouteBytes(IReadOnlyList<RouteHintHop> route)
    {
        var bytes = new List<byte>();
        foreach (var hop in route)
        {
            bytes.AddRange(HexBytes(hop.Pubkey, 33, "route hint pubkey"));
            var parts = hop.ShortChannelId.Split('x');
            if (parts.Length != 3)
            {
                throw new DsrsException(Bolt11ErrorCodes.InvalidEncoderInput, $"short channel id '{hop.ShortChannelId}' is not BLOCKxTXxOUT");
            }

            var scid = (ulong.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture) << 40)
                | (ulong.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture) << 16)
                | ulong.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture);
            var buffer = new byte[18];
            System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(buffer.AsSpan(0, 8), scid);
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(buffer.AsSpan(8, 4), hop.FeeBaseMsat);
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(buffer.AsSpan(12, 4), hop.FeeProportionalMillionths);
            System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(buffer.AsSpan(16, 2), hop.CltvExpiryDelta);
            bytes.AddRange(buffer);
        }

        return bytes.ToArray();
    }

    private static byte[] HexBytes(string hex, string what) =>
        Hex.TryDecode(hex) ?? throw new DsrsException(Bolt11ErrorCodes.InvalidEncoderInput, $"the {what} is not hex");

    private static byte[] HexBytes(string hex, int length, string what)
    {
        var bytes = HexBytes(hex, what);
        if (bytes.Length != length)
        {
            throw new DsrsException(Bolt11ErrorCodes.InvalidEncoderInput, $"the {what} is {bytes.Length} bytes, not {length}");
        }

        return bytes;
    }

    private static void AppendBytes(List<byte> words, char tag, byte[] bytes) =>
        AppendWords(words, tag, Bech32.ConvertBits(bytes, 8, 5, pad: true));

    private static void AppendTaggedNumber(List<byte> words, char tag, long value)
    {
        var data = new List<byte>();
        AppendNumber(data, value, fixedWords: null);
        AppendWords(words, tag, data.ToArray());
    }

    private static void AppendWords(List<byte> words, char tag, byte[] data)
    {
        if (data.Length >= 1024)
        {
            throw new DsrsException(Bolt11ErrorCodes.InvalidEncoderInput, $"the `{tag}` field needs {data.Length} words; at most 1023 fit");
        }

        words.Add((byte)Bech32.Charset.IndexOf(tag));
        words.Add((byte)(data.Length >> 5));
        words.Add((byte)(data.Length & 31));
        words.AddRange(data);
    }

    /// <summary>Big-endian 5-bit words: a fixed count, or the minimum (one word for 0).</summary>
    private static void AppendNumber(List<byte> words, long value, int? fixedWords)
    {
        if (value < 0)
        {
            throw new DsrsException(Bolt11ErrorCodes.InvalidEncoderInput, $"number {value} is negative");
        }

        var digits = new List<byte>();
        do
        {
            digits.Add((byte)(value & 31));
            value >>= 5;
        }
        while (value > 0);

        if (fixedWords is { } n)
        {
            if (digits.Count > n)
            {
                throw new DsrsException(Bolt11ErrorCodes.InvalidEncoderInput, "timestamp does not fit in 35 bits");
            }

            while (digits.Count < n)
            {
                digits.Add(0);
            }
        }

        digits.Reverse();
        words.AddRange(digits);
    }
}
