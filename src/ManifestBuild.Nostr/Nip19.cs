using System.Buffers.Binary;
using System.Text;
using ManifestBuild.Format;

namespace ManifestBuild.Nostr;

/// <summary>A decoded NIP-19 entity.</summary>
public abstract record Nip19Entity;

public sealed record Nip19PublicKey(string PubKey) : Nip19Entity;

/// <summary>A decoded nsec. <see cref="ToString"/> never shows the secret.</summary>
public sealed record Nip19SecretKey(string SecretHex) : Nip19Entity
{
    public override string ToString() => "Nip19SecretKey(hidden)";
}

public sealed record Nip19Note(string EventId) : Nip19Entity;

public sealed record Nip19Profile(string PubKey, IReadOnlyList<string> Relays) : Nip19Entity;

public sealed record Nip19Event(string EventId, IReadOnlyList<string> Relays, string? Author = null, int? Kind = null) : Nip19Entity;

public sealed record Nip19Address(string Identifier, string PubKey, int Kind, IReadOnlyList<string> Relays) : Nip19Entity
{
    /// <summary>The <c>kind:pubkey:identifier</c> coordinate used in <c>a</c> tags.</summary>
    public string Coordinate => $"{Kind}:{PubKey}:{Identifier}";
}

/// <summary>
/// NIP-19 bech32 entities: npub, nsec, note (bare 32 bytes) and nprofile, nevent, naddr (TLV).
/// TLV order is free; entries are written highest type first, as nostr-tools does, so both
/// produce the same strings.
/// </summary>
public static class Nip19
{
    private const byte TlvSpecial = 0, TlvRelay = 1, TlvAuthor = 2, TlvKind = 3;

    public static string EncodeNpub(string pubKeyHex) => Bech32.EncodeBytes("npub", Key32(pubKeyHex, "public key"));

    public static string EncodeNsec(NostrKeyPair key) => Bech32.EncodeBytes("nsec", key.ExportSecretBytes());

    public static string EncodeNote(string eventIdHex) => Bech32.EncodeBytes("note", Key32(eventIdHex, "event id"));

    public static string EncodeNprofile(string pubKeyHex, IEnumerable<string>? relays = null)
    {
        var tlv = new List<byte>();
        AddRelays(tlv, relays);
        AddTlv(tlv, TlvSpecial, Key32(pubKeyHex, "public key"));
        return Bech32.EncodeBytes("nprofile", tlv.ToArray());
    }

    public static string EncodeNevent(string eventIdHex, IEnumerable<string>? relays = null, string? authorHex = null, int? kind = null)
    {
        var tlv = new List<byte>();
        if (kind is { } k)
        {
            AddTlv(tlv, TlvKind, KindBytes(k));
        }

        if (authorHex is not null)
        {
            AddTlv(tlv, TlvAuthor, Key32(authorHex, "author"));
        }

        AddRelays(tlv, relays);
        AddTlv(tlv, TlvSpecial, Key32(eventIdHex, "event id"));
        return Bech32.EncodeBytes("nevent", tlv.ToArray());
    }

    public static string EncodeNaddr(string identifier, string pubKeyHex, int kind, IEnumerable<string>? relays = null)
    {
        var tlv = new List<byte>();
        AddTlv(tlv, TlvKind, KindBytes(kind));
        AddTlv(tlv, TlvAuthor, Key32(pubKeyHex, "author"));
        AddRelays(tlv, relays);
        AddTlv(tlv, TlvSpecial, Encoding.UTF8.GetBytes(identifier));
        return Bech32.EncodeBytes("naddr", tlv.ToArray());
    }

    /// <summary>Decodes any NIP-19 entity (a leading NIP-21 <c>nostr:</c> is accepted).</summary>
    public static Nip19Entity Decode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        text = text.Trim();
        if (text.StartsWith("nostr:", StringComparison.OrdinalIgnoreCase))
        {
            text = text[6..];
        }

        var (hrp, data) = Bech32.DecodeBytes(text);
        switch (hrp)
        {
            case "npub":
                return new Nip19PublicKey(Bare32(data, hrp));
            case "nsec":
                var secret = Bare32(data, hrp);
                NostrKeyPair.FromSecretHex(secret); // range check: zero or >= n is not a key
                return new Nip19SecretKey(secret);
            case "note":
                return new Nip19Note(Bare32(data, hrp));
            case "nprofile":
            {
                var tlv = ParseTlv(data, hrp);
                return new Nip19Profile(Required32(tlv, TlvSpecial, hrp, "public key"), Relays(tlv));
            }

            case "nevent":
            {
                var tlv = ParseTlv(data, hrp);
                return new Nip19Event(Required32(tlv, TlvSpecial, hrp, "event id"), Relays(tlv), Optional32(tlv, TlvAuthor, hrp), OptionalKind(tlv, hrp));
            }

            case "naddr":
            {
                var tlv = ParseTlv(data, hrp);
                var identifier = tlv.FirstOrDefault(t => t.Type == TlvSpecial).Value
                    ?? throw Invalid(hrp, "has no identifier (TLV 0)");
                return new Nip19Address(
                    DecodeUtf8(identifier, hrp),
                    Required32(tlv, TlvAuthor, hrp, "author"),
                    OptionalKind(tlv, hrp) ?? throw Invalid(hrp, "has no kind (TLV 3)"),
                    Relays(tlv));
            }

            default:
                throw Invalid(hrp, "is not a NIP-19 prefix (npub, nsec, note, nprofile, nevent, naddr)");
        }
    }

    /// <summary>The hex public key of 64 hex, an npub, an nprofile or a nostr: URI; see <see cref="NostrPublicKey"/>.</summary>
    public static string DecodePublicKey(string text) => NostrPublicKey.Parse(text).Hex;

    private static byte[] Key32(string hex, string what)
    {
        var bytes = new byte[32];
        if (hex is null || !Hex.TryDecode(hex, bytes))
        {
            throw new DsrsException(NostrErrorCodes.InvalidNip19, $"the {what} must be 64 hex characters");
        }

        return bytes;
    }

    private static byte[] KindBytes(int kind)
    {
        if (kind < 0)
        {
            throw new DsrsException(NostrErrorCodes.InvalidNip19, "a kind cannot be negative");
        }

        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, (uint)kind);
        return bytes;
    }

    private static void AddRelays(List<byte> tlv, IEnumerable<string>? relays)
    {
        foreach (var relay in relays ?? [])
        {
            AddTlv(tlv, TlvRelay, Encoding.UTF8.GetBytes(relay));
        }
    }

    private static void AddTlv(List<byte> tlv, byte type, byte[] value)
    {
        if (value.Length > 255)
        {
            throw new DsrsException(NostrErrorCodes.InvalidNip19, $"a NIP-19 TLV value holds at most 255 bytes, not {value.Length}");
        }

        tlv.Add(type);
        tlv.Add((byte)value.Length);
        tlv.AddRange(value);
    }

    private static List<(byte Type, byte[] Value)> ParseTlv(byte[] data, string hrp)
    {
        var result = new List<(byte, byte[])>();
        var i = 0;
        while (i < data.Length)
        {
            if (i + 2 > data.Length || i + 2 + data[i + 1] > data.Length)
            {
                throw Invalid(hrp, "has a truncated TLV entry");
            }

            result.Add((data[i], data.AsSpan(i + 2, data[i + 1]).ToArray()));
            i += 2 + data[i + 1];
        }

        return result; // unknown types are kept here and ignored by the readers, as NIP-19 asks
    }

    private static string Bare32(byte[] data, string hrp) =>
        data.Length == 32 ? Hex.Encode(data) : throw Invalid(hrp, $"holds {data.Length} bytes instead of 32");

    private static string Required32(List<(byte Type, byte[] Value)> tlv, byte type, string hrp, string what) =>
        Optional32(tlv, type, hrp) ?? throw Invalid(hrp, $"has no {what} (TLV {type})");

    private static string? Optional32(List<(byte Type, byte[] Value)> tlv, byte type, string hrp)
    {
        foreach (var (t, value) in tlv)
        {
            if (t == type)
            {
                return value.Length == 32 ? Hex.Encode(value) : throw Invalid(hrp, $"has a TLV {type} of {value.Length} bytes instead of 32");
            }
        }

        return null;
    }

    private static int? OptionalKind(List<(byte Type, byte[] Value)> tlv, string hrp)
    {
        foreach (var (t, value) in tlv)
        {
            if (t == TlvKind)
            {
                if (value.Length != 4)
                {
                    throw Invalid(hrp, $"has a kind of {value.Length} bytes instead of 4");
                }

                var kind = BinaryPrimitives.ReadUInt32BigEndian(value);
                return kind <= int.MaxValue ? (int)kind : throw Invalid(hrp, "has a kind out of range");
            }
        }

        return null;
    }

    private static IReadOnlyList<string> Relays(List<(byte Type, byte[] Value)> tlv) =>
        tlv.Where(t => t.Type == TlvRelay).Select(t => Encoding.UTF8.GetString(t.Value)).ToArray();

    private static string DecodeUtf8(byte[] value, string hrp)
    {
        try
        {
            return new UTF8Encoding(false, true).GetString(value);
        }
        catch (DecoderFallbackException)
        {
            throw Invalid(hrp, "has an identifier that is not UTF-8");
        }
    }

    private static DsrsException Invalid(string hrp, string why) => new(NostrErrorCodes.InvalidNip19, $"invalid NIP-19 {hrp}: it {why}");
}
