using NBitcoin.Secp256k1;

namespace ManifestBuild.Nostr.Tests;

public class Bip340VectorTests
{
    public static TheoryData<string, string, string, string, string, string, bool> Rows()
    {
        var data = new TheoryData<string, string, string, string, string, string, bool>();
        foreach (var line in File.ReadLines(TestPaths.Data("bip340-test-vectors.csv")).Skip(1))
        {
            var f = line.Split(',');
            var message = f[4];
            var label = "row " + f[0] + (f.Length > 7 && f[7].Length > 0 ? " (" + f[7] + ")" : string.Empty);
            if (message.Length != 64)
            {
                // Nostr signs only 32-byte event ids; the rows with other message lengths test a
                // BIP-340 extension that NBitcoin's 32-byte API (and Nostr) never uses.
                continue;
            }

            data.Add(label, f[1], f[2], f[3], message, f[5], f[6] == "TRUE");
        }

        return data;
    }

    [Fact]
    public void EveryThirtyTwoByteRowIsCovered()
    {
        var all = File.ReadLines(TestPaths.Data("bip340-test-vectors.csv")).Skip(1).ToList();
        var skipped = all.Where(l => l.Split(',')[4].Length != 64).Select(l => l.Split(',')[0]).ToList();
        Assert.Equal(["15", "16", "17", "18"], skipped); // messages of 0, 1, 17 and 100 bytes
        Assert.Equal(all.Count - 4, Rows().Count);
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void VerifiesAndSigns(string label, string secret, string pubkey, string aux, string message, string signature, bool valid)
    {
        var msg = Convert.FromHexString(message);
        var verified = NostrEventVerifier.VerifySignature(pubkey.ToLowerInvariant(), signature.ToLowerInvariant(), msg);
        Assert.True(valid == (verified == EventVerification.Valid), $"{label}: expected valid={valid}, got {verified}");

        if (secret.Length > 0)
        {
            var key = NostrKeyPair.FromSecretHex(secret);
            Assert.Equal(pubkey.ToLowerInvariant(), key.PublicKeyHex);
            var produced = key.SignHash(msg, Convert.FromHexString(aux));
            Assert.Equal(signature.ToLowerInvariant(), produced);
        }
    }

    [Fact]
    public void RandomAuxSignaturesDifferButVerify()
    {
        var key = NostrKeyPair.Generate();
        var msg = new byte[32];
        msg[0] = 7;
        var a = key.SignHash(msg);
        var b = key.SignHash(msg);
        Assert.NotEqual(a, b);
        Assert.Equal(EventVerification.Valid, NostrEventVerifier.VerifySignature(key.PublicKeyHex, a, msg));
        Assert.Equal(EventVerification.Valid, NostrEventVerifier.VerifySignature(key.PublicKeyHex, b, msg));
        Assert.True(ECXOnlyPubKey.TryCreate(Convert.FromHexString(key.PublicKeyHex), out _));
    }
}
