using ManifestBuild.Format;

namespace ManifestBuild.Nostr.Tests;

public class NostrPublicKeyTests
{
    // NIP-19's own examples: this npub and this nprofile name the key below.
    private const string SpecHex = "3bf0c63fcb93463407af97a5e5ee64fa883d107ef9e558472c4eb9aaaefa459d";
    private const string SpecNprofile = "nprofile1qqsrhuxx8l9ex335q7he0f09aej04zpazpl0ne2cgukyawd24mayt8gpp4mhxue69uhhytnc9e3k7mgpz4mhxue69uhkg6nzv9ejuumpv34kytnrdaksjlyr9p";

    public static TheoryData<string> Spellings() =>
    [
        SpecHex,
        SpecHex.ToUpperInvariant(),
        "  " + SpecHex + "\n",
        Nip19.EncodeNpub(SpecHex),
        "nostr:" + Nip19.EncodeNpub(SpecHex),
        SpecNprofile,
        "nostr:" + SpecNprofile,
        "NOSTR:" + SpecNprofile.ToUpperInvariant(),
        "nostr:" + SpecHex,
    ];

    [Theory]
    [MemberData(nameof(Spellings))]
    public void Every_spelling_of_a_key_is_the_same_key(string text)
    {
        var key = NostrPublicKey.Parse(text);
        Assert.Equal(SpecHex, key.Hex);
        Assert.Equal(Nip19.EncodeNpub(SpecHex), key.Npub);
        Assert.Equal(NostrPublicKey.Parse(SpecHex), key);
    }

    [Fact]
    public void An_nprofile_keeps_its_relays()
    {
        Assert.Equal(["wss://r.x.com", "wss://djbas.sadkb.com"], NostrPublicKey.Parse("nostr:" + SpecNprofile).Relays);
        Assert.Empty(NostrPublicKey.Parse(SpecHex).Relays);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not a key")]
    [InlineData("3bf0c63fcb93463407af97a5e5ee64fa883d107ef9e558472c4eb9aaaefa459")] // 63 digits
    [InlineData("3bf0c63fcb93463407af97a5e5ee64fa883d107ef9e558472c4eb9aaaefa459g")]
    [InlineData("npub10elfcs4fr0l0r8af98jlmgdh9c8tcxjvz9qkw038js35mp4dma8qzvjptq")] // checksum
    [InlineData("note1fntxtkcy9pjwucqwa9mddn7v03wwwsu9j330jj350nvhpky2tuaspk6nqc")]
    [InlineData("nostr:")]
    public void Anything_else_is_DSRS0340(string text)
    {
        var error = Assert.Throws<DsrsException>(() => NostrPublicKey.Parse(text));
        Assert.Equal(NostrErrorCodes.InvalidPublicKeyText, error.Code);
        Assert.False(NostrPublicKey.TryParse(text, out _));
    }

    [Fact]
    public void A_secret_key_given_by_mistake_is_refused_without_echoing_it()
    {
        var nsec = Nip19.EncodeNsec(NostrKeyPair.Generate());
        var error = Assert.Throws<DsrsException>(() => NostrPublicKey.Parse("nostr:" + nsec));
        Assert.Equal(NostrErrorCodes.InvalidPublicKeyText, error.Code);
        Assert.DoesNotContain(nsec[5..], error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("secret key", error.Message, StringComparison.Ordinal);
    }
}
