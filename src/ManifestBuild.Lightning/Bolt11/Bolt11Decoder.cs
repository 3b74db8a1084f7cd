using System.Security.Cryptography;
using System.Text;
using ManifestBuild.Format;
using ManifestBuild.Nostr;
using NBitcoin.Secp256k1;
using SHA256 = System.Security.Cryptography.SHA256;

namespace ManifestBuild.Lightning.Bolt11;

/// <summary>
/// Reads a BOLT #11 invoice per the current reader rules and checks its signature. Any breach is a
/// DsrsException naming the rule. Deliberate choices, stricter than "skip":
/// <list type="bullet">
/// <item>A `p`, `h`, `s` or `n` field of the wrong length is refused (DSRS0411), not skipped. Such an
/// invoice carries two candidate values for the payment's identity; a payer that spends money without a
/// human watching must not guess which one the payee meant (this is also how the vectors' README
/// classifies the "fields which must be ignored" example).</item>
/// <item>A second `p`, `s`, `n`, `d`, `h`, `x`, `c`, `9` or `m` is refused (DSRS0412) for the same reason.
/// Both refusals are raised after the signature check, so a bad signature is reported first.</item>
/// <item>An invoice without `s` is refused (current reader rule); without `p`, or with neither or both of
/// `d`/`h`, too.</item>
/// </list>
/// Unknown fields and `f` fields with versions 19-31 are skipped.
/// </summary>
public static class Bolt11Decoder
{
    private const int SignatureWords = 104; // 520 bits: 64-byte signature + recovery id
    private const int TimestampWords = 7;   // 35 bits

    // Half the secp256k1 group order: an S above it is "high".
    private static readonly byte[] HalfOrder = Convert.FromHexString("7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF5D576E7357A4501DDFE92F46681B20A0");

    /// <summary>Decodes and verifies; throws DsrsException (DSRS04xx) naming the broken rule.</summary>
    public static Bolt11Invoice Decode(string invoice)
    {
        ArgumentNullException.ThrowIfNull(invoice);
        var text = invoice.Trim();
        if (text.StartsWith("lightning:", StringComparison.OrdinalIgnoreCase))
        {
            text = text["lightning:".Length..];
        }

        var (hrp, words) = SplitBech32(text);
        var match = Bolt11Networks.Match(hrp)
            ?? throw new DsrsException(Bolt11ErrorCodes.UnknownPrefix, $"unknown invoice prefix in '{Truncate(hrp)}': expected lnbc, lntb, lntbs or lnbcrt followed by an optional amount");
        var amountMsat = ParseAmount(match.Amount);

        if (words.Length < TimestampWords + SignatureWords)
        {
            throw new DsrsException(Bolt11ErrorCodes.TooShort, $"the invoice is too short: {words.Length} data words cannot hold a timestamp and a 520-bit signature");
        }

        var dataWords = words.AsSpan(0, words.Length - SignatureWords);
        var signatureBytes = Bech32.ConvertBits(words.AsSpan(words.Length - SignatureWords), 5, 8, pad: false);
        var timestamp = ReadNumber(dataWords[..TimestampWords], "timestamp");

        var fields = new FieldReader(match.Network);
        var position = TimestampWords;
        while (position < dataWords.Length)
        {
            if (position + 3 > dataWords.Length)
            {
                throw new DsrsException(Bolt11ErrorCodes.TooShort, "a tagged field's header runs into the signature");
            }

            var tag = dataWords[position];
            var length = dataWords[position + 1] * 32 + dataWords[position + 2];
            position += 3;
            if (position + length > dataWords.Length)
            {
                throw new DsrsException(Bolt11ErrorCodes.TooShort, $"tagged field '{Bech32.Charset[tag]}' declares {length} words but runs into the signature");
            }

            fields.Read(tag, dataWords.Slice(position, length));
            position += length;
        }

        var message = SigningHash(hrp, dataWords);
        var recoveryId = signatureBytes[64];
        if (recoveryId > 3)
        {
            throw new DsrsException(Bolt11ErrorCodes.BadRecoveryId, $"signature recovery id {recoveryId} is not 0-3");
        }

        var compact = signatureBytes.AsSpan(0, 64);
        var payee = fields.Payee is { } n ? VerifyAgainst(n, compact, message) : Recover(compact, recoveryId, message);

        // Structural refusals come after the signature check, so a forged or malleated invoice is
        // reported as such rather than by whichever of its fields is odd.
        if (fields.DeferredError is { } structural)
        {
            throw structural;
        }

        var paymentHash = fields.PaymentHash
            ?? throw new DsrsException(Bolt11ErrorCodes.MissingPaymentHash, "the invoice has no `p` (payment hash) field");
        if (fields.PaymentSecret is null)
        {
            throw new DsrsException(Bolt11ErrorCodes.MissingPaymentSecret, "the invoice has no `s` (payment secret) field, which the current BOLT #11 reader rules require");
        }

        if ((fields.Description is null) == (fields.DescriptionHash is null))
        {
            throw new DsrsException(Bolt11ErrorCodes.DescriptionRule, fields.Description is null
                ? "the invoice has neither a `d` (description) nor an `h` (description hash) field"
                : "the invoice has both a `d` and an `h` field; exactly one is allowed");
        }

        Bolt11Features.Check(fields.Features);

        return new Bolt11Invoice
        {
            Bolt11 = text,
            Network = match.Network,
            Prefix = match.Prefix,
            AmountMsat = amountMsat,
            Timestamp = DateTimeOffset.FromUnixTimeSeconds(timestamp),
            Expiry = TimeSpan.FromSeconds(fields.Expiry ?? 3600),
            PaymentHash = Hex(paymentHash),
            PaymentSecret = Hex(fields.PaymentSecret),
            Description = fields.Description,
            DescriptionHash = fields.DescriptionHash is null ? null : Hex(fields.DescriptionHash),
            Payee = payee,
            PayeeFromField = fields.Payee is not null,
            MinFinalCltvExpiry = (int)(fields.MinFinalCltv ?? 18),
            Features = fields.Features.OrderBy(b => b).ToArray(),
            RouteHints = fields.RouteHints,
            Fallbacks = fields.Fallbacks,
            Metadata = fields.Metadata is null ? null : Hex(fields.Metadata),
            Signature = Hex(compact.ToArray()),
            RecoveryId = recoveryId,
        };
    }

    /// <summary>Decodes, returning false with the refusal instead of throwing.</summary>
    public static bool TryDecode(string invoice, out Bolt11Invoice? decoded, out DsrsException? error)
    {
        try
        {
            decoded = Decode(invoice);
            error = null;
            return true;
        }
        catch (DsrsException e)
        {
            decoded = null;
            error = e;
            return false;
        }
    }

    /// <summary>
    /// The reader rule for `h`: the SHA-256 of the description obtained out of band must equal it.
    /// Throws DSRS0421 on a mismatch or when the invoice carries `d` instead.
    /// </summary>
    public static void CheckDescriptionHash(Bolt11Invoice invoice, string description)
    {
        ArgumentNullException.ThrowIfNull(invoice);
        var actual = Hex(SHA256.HashData(Encoding.UTF8.GetBytes(description)));
        if (invoice.DescriptionHash != actual)
        {
            throw new DsrsException(Bolt11ErrorCodes.DescriptionHashMismatch, invoice.DescriptionHash is null
                ? "the invoice has no `h` (description hash) field to check the description against"
                : $"the description hashes to {actual}, not to the invoice's `h` field {invoice.DescriptionHash}");
        }
    }

    /// <summary>SHA-256 of the hrp's UTF-8 bytes followed by the data words (no signature) packed into bytes, zero-padded.</summary>
    internal static byte[] SigningHash(string hrp, ReadOnlySpan<byte> dataWords)
    {
        var hrpBytes = Encoding.UTF8.GetBytes(hrp);
        var dataBytes = Bech32.ConvertBits(dataWords, 5, 8, pad: true);
        return SHA256.HashData([.. hrpBytes, .. dataBytes]);
    }

    /// <summary>The shared bech32 codec under BOLT #11's codes; no length bound, since BOLT #11 lifts BIP-173's 90 characters.</summary>
    private static (string Hrp, byte[] Words) SplitBech32(string text)
    {
        if (text.Length == 0)
        {
            throw new DsrsException(Bolt11ErrorCodes.MalformedBech32, "the invoice is empty");
        }

        if (!Bech32.TryDecode(text, int.MaxValue, out var decoded, out var failure, out var reason))
        {
            var code = failure switch
            {
                Bech32Failure.TooShort => Bolt11ErrorCodes.TooShort,
                Bech32Failure.BadChecksum => Bolt11ErrorCodes.BadChecksum,
                _ => Bolt11ErrorCodes.MalformedBech32,
            };
            throw new DsrsException(code, "the invoice is not bech32: it " + reason);
        }

        if (decoded.Variant != Bech32Variant.Bech32)
        {
            throw new DsrsException(Bolt11ErrorCodes.BadChecksum, "the invoice's checksum is bech32m; BOLT #11 uses bech32");
        }

        return (decoded.Hrp, decoded.Words);
    }

    internal static string Hex(byte[] bytes) => Format.Hex.Encode(bytes);

    private static long? ParseAmount(string amount)
    {
        if (amount.Length == 0)
        {
            return null;
        }

        var multiplier = amount[^1];
        var digits = char.IsAsciiDigit(multiplier) ? amount : amount[..^1];
        if (digits.Length == 0 || !digits.All(char.IsAsciiDigit))
        {
            throw new DsrsException(Bolt11ErrorCodes.InvalidAmount, $"amount '{Truncate(amount)}' is not a decimal number followed by an optional multiplier m, u, n or p");
        }

        if (digits[0] == '0')
        {
            throw new DsrsException(Bolt11ErrorCodes.InvalidAmount, $"amount '{Truncate(amount)}' is zero or has a leading zero");
        }

        if (digits.Length > 19 || !long.TryParse(digits, out var value))
        {
            throw new DsrsException(Bolt11ErrorCodes.InvalidAmount, $"amount '{Truncate(amount)}' is too large");
        }

        try
        {
            return multiplier switch
            {
                'm' => checked(value * 100_000_000L),
                'u' => checked(value * 100_000L),
                'n' => checked(value * 100L),
                'p' when value % 10 != 0 => throw new DsrsException(Bolt11ErrorCodes.SubMillisatoshi, $"amount '{Truncate(amount)}' uses the p multiplier but does not end in 0: sub-millisatoshi precision"),
                'p' => value / 10,
                _ when char.IsAsciiDigit(multiplier) => checked(value * 100_000_000_000L),
                _ => throw new DsrsException(Bolt11ErrorCodes.InvalidAmount, $"'{multiplier}' is not a BOLT #11 amount multiplier (m, u, n or p)"),
            };
        }
        catch (OverflowException)
        {
            throw new DsrsException(Bolt11ErrorCodes.InvalidAmount, $"amount '{Truncate(amount)}' is too large");
        }
    }

    private static long ReadNumber(ReadOnlySpan<byte> words, string what)
    {
        if (words.Length > 12)
        {
            throw new DsrsException(Bolt11ErrorCodes.NumberTooLarge, $"{what} uses {words.Length} words; at most 12 (60 bits) are accepted");
        }

        long value = 0;
        foreach (var w in words)
        {
            value = (value << 5) | w;
        }

        return value;
    }

    private static string VerifyAgainst(byte[] payeeKey, ReadOnlySpan<byte> compact, byte[] message)
    {
        if (!ECPubKey.TryCreate(payeeKey, Context.Instance, out _, out var pubKey) || pubKey is null)
        {
            throw new DsrsException(Bolt11ErrorCodes.MalformedField, "the `n` field is not a valid secp256k1 public key");
        }

        if (compact[32..].SequenceCompareTo(HalfOrder) > 0)
        {
            throw new DsrsException(Bolt11ErrorCodes.HighS, "the signature is not canonical (high S) and an `n` field is given: BOLT #11 requires low-S when verifying against `n`");
        }

        if (!SecpECDSASignature.TryCreateFromCompact(compact, out var signature) || signature is null || !pubKey.SigVerify(signature, message))
        {
            throw new DsrsException(Bolt11ErrorCodes.SignatureInvalid, "the signature does not verify against the payee key in the `n` field");
        }

        return Hex(payeeKey);
    }

    private static string Recover(ReadOnlySpan<byte> compact, int recoveryId, byte[] message)
    {
        if (!SecpRecoverableECDSASignature.TryCreateFromCompact(compact, recoveryId, out var signature) || signature is null
            || !ECPubKey.TryRecover(Context.Instance, signature, message, out var pubKey) || pubKey is null)
        {
            throw new DsrsException(Bolt11ErrorCodes.SignatureNotRecoverable, "the signature is not recoverable to a public key");
        }

        return Hex(pubKey.ToBytes(compressed: true));
    }

    private static string Truncate(string s) => s.Length <= 40 ? s : s[..40] + "...";

    /// <summary>Collects tagged fields, applying the skip and refuse rules described on the class.</summary>
    private sealed class FieldReader(string network)
    {
        private readonly HashSet<char> seen = [];

        /// <summary>The first wrong-length or duplicate field; the first valid value of each field is kept.</summary>
        public DsrsException? DeferredError { get; private set; }

        public byte[]? PaymentHash { get; private set; }

        public byte[]? PaymentSecret { get; private set; }

        public byte[]? DescriptionHash { get; private set; }

        public byte[]? Payee { get; private set; }

        public string? Description { get; private set; }

        public long? Expiry { get; private set; }

        public long? MinFinalCltv { get; private set; }

        public List<int> Features { get; private set; } = [];

        public byte[]? Metadata { get; private set; }

        public List<IReadOnlyList<RouteHintHop>> RouteHints { get; } = [];

        public List<FallbackAddress> Fallbacks { get; } = [];

        public void Read(byte tag, ReadOnlySpan<byte> data)
        {
            var name = Bech32.Charset[tag];
            switch (name)
            {
                case 'p':
                    var paymentHash = Fixed(name, data, 52, "payment hash");
                    PaymentHash ??= paymentHash;
                    break;
                case 's':
                    var paymentSecret = Fixed(name, data, 52, "payment secret");
                    PaymentSecret ??= paymentSecret;
                    break;
                case 'h':
                    var descriptionHash = Fixed(name, data, 52, "description hash");
                    DescriptionHash ??= descriptionHash;
                    break;
                case 'n':
                    var payee = Fixed(name, data, 53, "payee node id");
                    Payee ??= payee;
                    break;
                case 'd' when Once(name):
                    Description = Utf8(Bech32.ConvertBits(data, 5, 8, pad: false));
                    break;
                case 'x' when Once(name):
                    Expiry = ReadNumber(data, "expiry (`x`)");
                    break;
                case 'c' when Once(name):
                    MinFinalCltv = ReadNumber(data, "min_final_cltv_expiry (`c`)");
                    if (MinFinalCltv > int.MaxValue)
                    {
                        throw new DsrsException(Bolt11ErrorCodes.NumberTooLarge, "min_final_cltv_expiry (`c`) is too large");
                    }

                    break;
                case '9' when Once(name):
                    Features = Bolt11Features.FromWords(data);
                    break;
                case 'm' when Once(name):
                    Metadata = Bech32.ConvertBits(data, 5, 8, pad: false);
                    break;
                case 'r':
                    RouteHints.Add(ReadRoute(Bech32.ConvertBits(data, 5, 8, pad: false)));
                    break;
                case 'f':
                    ReadFallback(data);
                    break;
                default:
                    break; // unknown fields are skipped (BOLT #11 reader rule)
            }
        }

        private byte[]? Fixed(char name, ReadOnlySpan<byte> data, int words, string what)
        {
            if (data.Length != words)
            {
                DeferredError ??= new DsrsException(Bolt11ErrorCodes.WrongFieldLength, $"the `{name}` ({what}) field has data_length {data.Length}, not {words}; an invoice carrying a malformed {what} is refused rather than guessed at");
                return null;
            }

            return Once(name) ? Bech32.ConvertBits(data, 5, 8, pad: false) : null;
        }

        /// <summary>True the first time a field is seen; later copies are recorded as the deferred refusal.</summary>
        private bool Once(char name)
        {
            if (seen.Add(name))
            {
                return true;
            }

            DeferredError ??= new DsrsException(Bolt11ErrorCodes.DuplicateField, $"the `{name}` field appears more than once; an invoice with two values for it is refused rather than guessed at");
            return false;
        }

        private static string Utf8(byte[] bytes)
        {
            try
            {
                return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
            }
            catch (DecoderFallbackException)
            {
                throw new DsrsException(Bolt11ErrorCodes.DescriptionNotUtf8, "the `d` (description) field is not valid UTF-8");
            }
        }

        private static List<RouteHintHop> ReadRoute(byte[] bytes)
        {
            const int hopSize = 33 + 8 + 4 + 4 + 2;
            if (bytes.Length == 0 || bytes.Length % hopSize != 0)
            {
                throw new DsrsException(Bolt11ErrorCodes.MalformedField, $"an `r` field holds {bytes.Length} bytes, not a whole number of {hopSize}-byte hops");
            }

            var hops = new List<RouteHintHop>();
            for (var offset = 0; offset < bytes.Length; offset += hopSize)
            {
                var hop = bytes.AsSpan(offset, hopSize);
                hops.Add(new RouteHintHop(
                    Hex(hop[..33].ToArray()),
                    FormatShortChannelId(hop.Slice(33, 8)),
                    System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(hop.Slice(41, 4)),
                    System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(hop.Slice(45, 4)),
                    System.Buffers.Binary.BinaryPrimitives.ReadUInt16BigEndian(hop.Slice(49, 2))));
            }

            return hops;
        }

        /// <summary>BOLT #7 form: block x transaction index x output index.</summary>
        private static string FormatShortChannelId(ReadOnlySpan<byte> scid)
        {
            var value = System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(scid);
            return $"{value >> 40}x{(value >> 16) & 0xFFFFFF}x{value & 0xFFFF}";
        }

        private void ReadFallback(ReadOnlySpan<byte> data)
        {
            if (data.Length == 0)
            {
                return;
            }

            var version = data[0];
            if (version > 18)
            {
                return; // unknown fallback versions 19-31 are skipped (BOLT #11 reader rule)
            }

            var program = Bech32.ConvertBits(data[1..], 5, 8, pad: false);
            Fallbacks.Add(new FallbackAddress(version, Hex(program), FallbackAddresses.Spell(network, version, program)));
        }
    }
}
