using System.Security.Cryptography;
using System.Text;
using ManifestBuild.Format;
using NBitcoin.Secp256k1;

namespace ManifestBuild.Lightning.Nodes;

/// <summary>
/// NIP-04 encryption, which NIP-47 keeps for wallet services that predate NIP-44 (an info event
/// without an `encryption` tag): AES-256-CBC (PKCS#7) keyed by the x coordinate of the ECDH shared
/// point, unhashed; content = base64(ciphertext) + "?iv=" + base64(16-byte IV). Used only by NWC.
/// </summary>
internal static class Nip04
{
    public static string Encrypt(string plaintext, string secretHex, string peerPubkeyHex)
    {
        using var aes = Aes.Create();
        aes.Key = SharedX(secretHex, peerPubkeyHex);
        var iv = RandomNumberGenerator.GetBytes(16);
        var ciphertext = aes.EncryptCbc(Encoding.UTF8.GetBytes(plaintext), iv, PaddingMode.PKCS7);
        return Convert.ToBase64String(ciphertext) + "?iv=" + Convert.ToBase64String(iv);
    }

    public static string Decrypt(string content, string secretHex, string peerPubkeyHex)
    {
        var separator = content.IndexOf("?iv=", StringComparison.Ordinal);
        if (separator < 0)
        {
            throw new FormatException("a NIP-04 payload is base64?iv=base64");
        }

        var iv = Convert.FromBase64String(content[(separator + 4)..]);
        if (iv.Length != 16)
        {
            throw new FormatException("the NIP-04 IV is not 16 bytes");
        }

        using var aes = Aes.Create();
        aes.Key = SharedX(secretHex, peerPubkeyHex);
        return Encoding.UTF8.GetString(aes.DecryptCbc(Convert.FromBase64String(content[..separator]), iv, PaddingMode.PKCS7));
    }

    private static byte[] SharedX(string secretHex, string peerPubkeyHex)
    {
        using var secret = ECPrivKey.Create(Convert.FromHexString(secretHex));
        if (!ECPubKey.TryCreate(Convert.FromHexString("02" + peerPubkeyHex), Context.Instance, out _, out var peer) || peer is null)
        {
            throw new DsrsException(NodeErrorCodes.InvalidArgument, "the NWC wallet's public key is not a point on secp256k1");
        }

        var shared = new byte[33];
        peer.GetSharedPubkey(secret).WriteToSpan(true, shared, out _);
        return shared[1..];
    }
}
