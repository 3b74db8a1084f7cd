using System.Security.Cryptography;
using System.Text;
using ManifestBuild.Nostr;
using NBitcoin.Secp256k1;

namespace ManifestBuild.Lightning.Tests.SpecFakes;

/// <summary>
/// The wallet side of NIP-04 as nostr-protocol/nips 04.md (commit db5fe3de) states it, written apart
/// from the adapter's: key = the ECDH shared point's X coordinate, not hashed; AES-256-CBC with PKCS#7;
/// content "base64(ciphertext)?iv=base64(iv)".
/// </summary>
internal static class LegacyNip04
{
    public static string Encrypt(string text, NostrKeyPair self, string peerHex)
    {
        using var aes = Aes.Create();
        aes.Key = Key(self, peerHex);
        aes.GenerateIV();
        using var encryptor = aes.CreateEncryptor();
        var plain = Encoding.UTF8.GetBytes(text);
        var cipher = encryptor.TransformFinalBlock(plain, 0, plain.Length);
        return $"{Convert.ToBase64String(cipher)}?iv={Convert.ToBase64String(aes.IV)}";
    }

    public static string Decrypt(string content, NostrKeyPair self, string peerHex)
    {
        var parts = content.Split("?iv=");
        if (parts.Length != 2)
        {
            throw new FormatException("not ciphertext?iv=iv");
        }

        using var aes = Aes.Create();
        aes.Key = Key(self, peerHex);
        aes.IV = Convert.FromBase64String(parts[1]);
        using var decryptor = aes.CreateDecryptor();
        var cipher = Convert.FromBase64String(parts[0]);
        return Encoding.UTF8.GetString(decryptor.TransformFinalBlock(cipher, 0, cipher.Length));
    }

    private static byte[] Key(NostrKeyPair self, string peerHex)
    {
        var peer = ECPubKey.Create(Convert.FromHexString("02" + peerHex));
        using var secret = ECPrivKey.Create(self.ExportSecretBytes());
        var point = new byte[33];
        peer.GetSharedPubkey(secret).WriteToSpan(true, point, out _);
        return point.AsSpan(1, 32).ToArray();
    }
}
