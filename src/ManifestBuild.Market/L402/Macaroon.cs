using System.Security.Cryptography;
using System.Text;

namespace ManifestBuild.Market.L402;

/// <summary>
/// A macaroon with first-party caveats only, as L402 uses it: identifier, optional location, caveats,
/// and the HMAC-SHA256 chain signature. Serialized in the libmacaroons v2 binary format so that other
/// L402 implementations (aperture, lsat-js) can read the tokens we mint.
/// </summary>
public sealed class Macaroon
{
    // libmacaroons/go-macaroon derive the chain key from the root key with this fixed HMAC key.
    private static readonly byte[] KeyGenerator = Encoding.ASCII.GetBytes("macaroons-key-generator");

    public Macaroon(byte[] identifier, string? location, IReadOnlyList<string> caveats, byte[] signature)
    {
        Identifier = identifier;
        Location = location;
        Caveats = caveats;
        Signature = signature;
    }

    public byte[] Identifier { get; }

    public string? Location { get; }

    /// <summary>First-party caveat identifiers, e.g. <c>compiled_id=ab12...</c>, in order.</summary>
    public IReadOnlyList<string> Caveats { get; }

    /// <summary>The 32-byte chained HMAC.</summary>
    public byte[] Signature { get; }

    /// <summary>Mints a macaroon: sig = HMAC(derive(rootKey), id), then sig = HMAC(sig, caveat) per caveat.</summary>
    public static Macaroon Mint(ReadOnlySpan<byte> rootKey, byte[] identifier, string? location, IReadOnlyList<string> caveats)
    {
        var signature = ComputeSignature(rootKey, identifier, caveats);
        return new Macaroon(identifier, location, caveats, signature);
    }

    /// <summary>Returns a copy with one more first-party caveat, re-chaining the signature (no root key needed).</summary>
    public Macaroon WithCaveat(string caveat)
    {
        var signature = HMACSHA256.HashData(Signature, Encoding.UTF8.GetBytes(caveat));
        return new Macaroon(Identifier, Location, [.. Caveats, caveat], signature);
    }

    /// <summary>True when the signature is the chain of this identifier and these caveats under the root key.</summary>
    public bool HasValidSignature(ReadOnlySpan<byte> rootKey)
    {
        var expected = ComputeSignature(rootKey, Identifier, Caveats);
        return Signature.Length == expected.Length && CryptographicOperations.FixedTimeEquals(expected, Signature);
    }

    public byte[] Serialize() => MacaroonBinary.Write(this);

    public string ToBase64() => Convert.ToBase64String(Serialize());

    public static Macaroon Deserialize(ReadOnlySpan<byte> data) => MacaroonBinary.Read(data);

    /// <summary>Reads standard or URL-safe base64, padded or not (clients differ).</summary>
    public static Macaroon FromBase64(string text) => Deserialize(MacaroonBinary.DecodeBase64(text));

    private static byte[] ComputeSignature(ReadOnlySpan<byte> rootKey, byte[] identifier, IReadOnlyList<string> caveats)
    {
        var key = HMACSHA256.HashData(KeyGenerator, rootKey);
        var signature = HMACSHA256.HashData(key, identifier);
        foreach (var caveat in caveats)
        {
            signature = HMACSHA256.HashData(signature, Encoding.UTF8.GetBytes(caveat));
        }

        CryptographicOperations.ZeroMemory(key);
        return signature;
    }
}
