using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ManifestBuild.Format;

namespace ManifestBuild.Nostr.Tests;

public class Nip44Tests
{
    private static readonly JsonElement V2 = JsonDocument.Parse(File.ReadAllText(TestPaths.Data("nip44.vectors.json"))).RootElement.GetProperty("v2");

    private static byte[] H(string hex) => Convert.FromHexString(hex);

    private static string Sha(string text) => Hex.Encode(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    [Fact]
    public void VectorFileIsThePinnedOne()
    {
        Assert.Equal("269ed0f69e4c192512cc779e78c555090cebc7c785b609e338a62afc3ce25040", Hex.Encode(SHA256.HashData(File.ReadAllBytes(TestPaths.Data("nip44.vectors.json")))));
    }

    [Fact]
    public void ConversationKeys()
    {
        var count = 0;
        foreach (var v in V2.GetProperty("valid").GetProperty("get_conversation_key").EnumerateArray())
        {
            var key = Nip44.GetConversationKey(H(v.GetProperty("sec1").GetString()!), H(v.GetProperty("pub2").GetString()!));
            Assert.Equal(v.GetProperty("conversation_key").GetString(), Hex.Encode(key));
            count++;
        }

        Assert.True(count > 10);
    }

    [Fact]
    public void InvalidConversationKeysAreRefused()
    {
        var count = 0;
        foreach (var v in V2.GetProperty("invalid").GetProperty("get_conversation_key").EnumerateArray())
        {
            var e = Assert.Throws<DsrsException>(() => Nip44.GetConversationKey(H(v.GetProperty("sec1").GetString()!), H(v.GetProperty("pub2").GetString()!)));
            Assert.Contains(e.Code, new[] { NostrErrorCodes.InvalidSecretKey, NostrErrorCodes.InvalidPublicKey });
            count++;
        }

        Assert.Equal(8, count);
    }

    [Fact]
    public void MessageKeys()
    {
        var v = V2.GetProperty("valid").GetProperty("get_message_keys");
        var conversationKey = H(v.GetProperty("conversation_key").GetString()!);
        foreach (var k in v.GetProperty("keys").EnumerateArray())
        {
            var (chachaKey, chachaNonce, hmacKey) = Nip44.GetMessageKeys(conversationKey, H(k.GetProperty("nonce").GetString()!));
            Assert.Equal(k.GetProperty("chacha_key").GetString(), Hex.Encode(chachaKey));
            Assert.Equal(k.GetProperty("chacha_nonce").GetString(), Hex.Encode(chachaNonce));
            Assert.Equal(k.GetProperty("hmac_key").GetString(), Hex.Encode(hmacKey));
        }
    }

    [Fact]
    public void PaddedLengths()
    {
        foreach (var pair in V2.GetProperty("valid").GetProperty("calc_padded_len").EnumerateArray())
        {
            Assert.Equal(pair[1].GetInt64(), Nip44.CalcPaddedLength(pair[0].GetInt64()));
        }

        // The spec's extended-length table.
        Assert.Equal(65536, Nip44.CalcPaddedLength(65535));
        Assert.Equal(65536, Nip44.CalcPaddedLength(65536));
        Assert.Equal(81920, Nip44.CalcPaddedLength(65537));
        Assert.Equal(1L << 32, Nip44.CalcPaddedLength(uint.MaxValue));
    }

    [Fact]
    public void EncryptDecryptBothWays()
    {
        var count = 0;
        foreach (var v in V2.GetProperty("valid").GetProperty("encrypt_decrypt").EnumerateArray())
        {
            var sec1 = NostrKeyPair.FromSecretHex(v.GetProperty("sec1").GetString()!);
            var sec2 = NostrKeyPair.FromSecretHex(v.GetProperty("sec2").GetString()!);
            var expectedKey = v.GetProperty("conversation_key").GetString();
            var key12 = Nip44.GetConversationKey(sec1, sec2.PublicKeyHex);
            Assert.Equal(expectedKey, Hex.Encode(key12));
            Assert.Equal(expectedKey, Hex.Encode(Nip44.GetConversationKey(sec2, sec1.PublicKeyHex)));
            var plaintext = v.GetProperty("plaintext").GetString()!;
            var payload = Nip44.Encrypt(plaintext, key12, H(v.GetProperty("nonce").GetString()!));
            Assert.Equal(v.GetProperty("payload").GetString(), payload);
            Assert.Equal(plaintext, Nip44.Decrypt(payload, key12));
            count++;
        }

        Assert.True(count > 5);
    }

    [Fact]
    public void LongMessages()
    {
        foreach (var v in V2.GetProperty("valid").GetProperty("encrypt_decrypt_long_msg").EnumerateArray())
        {
            var key = H(v.GetProperty("conversation_key").GetString()!);
            var plaintext = string.Concat(Enumerable.Repeat(v.GetProperty("pattern").GetString()!, v.GetProperty("repeat").GetInt32()));
            Assert.Equal(v.GetProperty("plaintext_sha256").GetString(), Sha(plaintext));
            var payload = Nip44.Encrypt(plaintext, key, H(v.GetProperty("nonce").GetString()!));
            Assert.Equal(v.GetProperty("payload_sha256").GetString(), Sha(payload));
            Assert.Equal(plaintext, Nip44.Decrypt(payload, key));
        }
    }

    [Theory]
    [InlineData(65535, "6e1bebca6a8229364a162a72ef064826c4cd7457bf54f190ef782bd9deff3e42", "6d8c2810d1e870fbaa1f0a0937126cca837a15f9260e27060c331d70a3c0bc84")]
    [InlineData(65536, "bf718b6f653bebc184e1479f1935b8da974d701b893afcf49e701f3e2f9f9c5a", "b7b4edb36ba92e267d322d56d9aebc22e7fa96ff52e3c12adc07f07a43cbc616")]
    [InlineData(65537, "008ffc88d3c96a9f307524eb361e47c5222a887fc45fa0c1fb8d429c5c23b430", "eeb7c7c5373894ea2c1547cfd3ccb15d5a0b2d619da852e5c79df792dcc9e435")]
    public void ExtendedLengthTableOfTheSpec(int length, string plaintextSha, string payloadSha)
    {
        var key = H("c41c775356fd92eadc63ff5a0dc1da211b268cbea22316767095b2871ea1412d");
        var nonce = H("0000000000000000000000000000000000000000000000000000000000000001");
        var plaintext = new string('a', length);
        Assert.Equal(plaintextSha, Sha(plaintext));
        var payload = Nip44.Encrypt(plaintext, key, nonce);
        Assert.Equal(payloadSha, Sha(payload));
        Assert.Equal(plaintext, Nip44.Decrypt(payload, key));
        var raw = Convert.FromBase64String(payload);
        var prefix = length >= 65536 ? 6 : 2;
        Assert.Equal(65 + prefix + Nip44.CalcPaddedLength(length), raw.Length);
    }

    [Fact]
    public void MessageLengthsOfTheVectorFileFollowTheCurrentSpec()
    {
        // The file lists 0, 65536, 100000 and 10000000 as invalid; the current NIP-44 keeps 0 invalid
        // and allows the rest through the extended prefix.
        var key = RandomNumberGenerator.GetBytes(32);
        foreach (var length in V2.GetProperty("invalid").GetProperty("encrypt_msg_lengths").EnumerateArray().Select(l => l.GetInt32()))
        {
            if (length == 0)
            {
                Assert.Equal(NostrErrorCodes.Nip44InvalidPlaintext, Assert.Throws<DsrsException>(() => Nip44.Encrypt(string.Empty, key)).Code);
                continue;
            }

            var plaintext = new string('z', length);
            Assert.Equal(plaintext, Nip44.Decrypt(Nip44.Encrypt(plaintext, key), key, maxPlaintextBytes: 16 * 1024 * 1024));
        }
    }

    [Fact]
    public void InvalidPayloadsAreRefused()
    {
        var count = 0;
        foreach (var v in V2.GetProperty("invalid").GetProperty("decrypt").EnumerateArray())
        {
            var note = v.GetProperty("note").GetString();
            var e = Assert.Throws<DsrsException>(() => Nip44.Decrypt(v.GetProperty("payload").GetString()!, H(v.GetProperty("conversation_key").GetString()!)));
            Assert.True(e.Code is NostrErrorCodes.Nip44InvalidPayload or NostrErrorCodes.Nip44InvalidMac, note);
            count++;
        }

        Assert.True(count >= 8);
    }

    [Fact]
    public void TamperingAnyByteFailsTheMac()
    {
        var key = RandomNumberGenerator.GetBytes(32);
        var raw = Convert.FromBase64String(Nip44.Encrypt("pay 1000 msat", key));
        foreach (var index in new[] { 1, 20, 40, raw.Length - 33, raw.Length - 1 })
        {
            var copy = (byte[])raw.Clone();
            copy[index] ^= 0x01;
            Assert.Equal(NostrErrorCodes.Nip44InvalidMac, Assert.Throws<DsrsException>(() => Nip44.Decrypt(Convert.ToBase64String(copy), key)).Code);
        }
    }

    [Fact]
    public void OversizedPayloadIsRefusedBeforeDecoding()
    {
        var key = RandomNumberGenerator.GetBytes(32);
        var payload = Nip44.Encrypt(new string('q', 5000), key);
        var e = Assert.Throws<DsrsException>(() => Nip44.Decrypt(payload, key, maxPlaintextBytes: 1000));
        Assert.Equal(NostrErrorCodes.Nip44InvalidPayload, e.Code);
        Assert.Contains("longer than", e.Message);
    }
}
