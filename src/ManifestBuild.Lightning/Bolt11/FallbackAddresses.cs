using System.Numerics;
using System.Security.Cryptography;
using ManifestBuild.Nostr;

namespace ManifestBuild.Lightning.Bolt11;

/// <summary>Spells an `f` field as an on-chain address (base58check for 17/18, segwit bech32/bech32m for 0-16).</summary>
internal static class FallbackAddresses
{
    private const string Base58Alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

    public static string? Spell(string network, int version, byte[] program)
    {
        var (segwitHrp, p2pkh, p2sh) = Bolt11Networks.AddressParameters(network);
        return version switch
        {
            17 when program.Length == 20 => Base58Check(p2pkh, program),
            18 when program.Length == 20 => Base58Check(p2sh, program),
            <= 16 when program.Length is >= 2 and <= 40 => Segwit(segwitHrp, version, program),
            _ => null,
        };
    }

    private static string Segwit(string hrp, int version, byte[] program)
    {
        var words = new List<byte> { (byte)version };
        words.AddRange(Bech32.ConvertBits(program, 8, 5, pad: true));
        return Bech32.Encode(hrp, words.ToArray(), version == 0 ? Bech32Variant.Bech32 : Bech32Variant.Bech32m);
    }

    private static string Base58Check(byte prefix, byte[] payload)
    {
        var data = new byte[1 + payload.Length + 4];
        data[0] = prefix;
        payload.CopyTo(data, 1);
        var checksum = SHA256.HashData(SHA256.HashData(data.AsSpan(0, 1 + payload.Length)));
        checksum.AsSpan(0, 4).CopyTo(data.AsSpan(1 + payload.Length));

        var value = new BigInteger(data, isUnsigned: true, isBigEndian: true);
        var chars = new List<char>();
        while (value > 0)
        {
            value = BigInteger.DivRem(value, 58, out var remainder);
            chars.Add(Base58Alphabet[(int)remainder]);
        }

        foreach (var b in data)
        {
            if (b != 0)
            {
                break;
            }

            chars.Add('1');
        }

        chars.Reverse();
        return new string(chars.ToArray());
    }
}
