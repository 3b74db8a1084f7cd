using ManifestBuild.Format;

namespace ManifestBuild.Nostr.Tests;

/// <summary>The one bech32/bech32m codec that NIP-19 and BOLT #11 share.</summary>
public class Bech32Tests
{
    // Valid strings from BIP-173 (bech32) and BIP-350 (bech32m).
    [Theory]
    [InlineData("A12UEL5L", Bech32Variant.Bech32)]
    [InlineData("a12uel5l", Bech32Variant.Bech32)]
    [InlineData("abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw", Bech32Variant.Bech32)]
    [InlineData("?1ezyfcl", Bech32Variant.Bech32)]
    [InlineData("A1LQFN3A", Bech32Variant.Bech32m)]
    [InlineData("abcdef1l7aum6echk45nj3s0wdvt2fg8x9yrzpqzd3ryx", Bech32Variant.Bech32m)]
    [InlineData("split1checkupstagehandshakeupstreamerranterredcaperredlc445v", Bech32Variant.Bech32m)]
    [InlineData("?1v759aa", Bech32Variant.Bech32m)]
    public void Bip_vectors_decode_with_their_variant_and_re_encode(string text, Bech32Variant variant)
    {
        Assert.True(Bech32.TryDecode(text, 90, out var decoded, out _, out var reason), reason);
        Assert.Equal(variant, decoded.Variant);
        Assert.Equal(text.ToLowerInvariant(), Bech32.Encode(decoded.Hrp, decoded.Words, decoded.Variant));
    }

    [Theory]
    [InlineData("a12uel5m", Bech32Failure.BadChecksum)]
    [InlineData("A12uEL5L", Bech32Failure.Malformed)] // mixed case
    [InlineData("12uel5l", Bech32Failure.Malformed)] // empty human-readable part
    [InlineData("a1b2uel5l", Bech32Failure.Malformed)] // 'b' is not in the charset
    [InlineData("a1qqqqq", Bech32Failure.TooShort)]
    [InlineData("", Bech32Failure.Malformed)]
    public void Broken_strings_say_why(string text, Bech32Failure expected)
    {
        Assert.False(Bech32.TryDecode(text, 90, out _, out var failure, out var reason));
        Assert.Equal(expected, failure);
        Assert.NotEmpty(reason);
    }

    [Fact]
    public void Strings_longer_than_bip173s_90_characters_are_read_up_to_the_callers_bound()
    {
        // BOLT #11 invoices and NIP-19 TLV entities exceed BIP-173's 90 characters; the bound is the reader's.
        var words = Enumerable.Range(0, 500).Select(i => (byte)(i % 32)).ToArray();
        var text = Bech32.Encode("lnbc", words);
        Assert.True(text.Length > 500);
        Assert.True(Bech32.TryDecode(text, int.MaxValue, out var decoded, out _, out _));
        Assert.Equal(words, decoded.Words);
        Assert.False(Bech32.TryDecode(text, 90, out _, out var failure, out _));
        Assert.Equal(Bech32Failure.Malformed, failure);
    }

    [Fact]
    public void Nip19_bytes_refuse_bech32m_and_non_zero_padding()
    {
        var key = Enumerable.Repeat((byte)0x7e, 32).ToArray();
        var npubWords = Bech32.ConvertBits(key, 8, 5, pad: true);
        Assert.Equal(key, Bech32.DecodeBytes(Bech32.Encode("npub", npubWords)).Data);
        Assert.Equal(NostrErrorCodes.InvalidBech32, Assert.Throws<DsrsException>(() => Bech32.DecodeBytes(Bech32.Encode("npub", npubWords, Bech32Variant.Bech32m))).Code);
        var dirtyPadding = npubWords.ToArray();
        dirtyPadding[^1] |= 1; // 256 bits in 52 words leave 4 padding bits, which must be zero
        Assert.Equal(NostrErrorCodes.InvalidBech32, Assert.Throws<DsrsException>(() => Bech32.DecodeBytes(Bech32.Encode("npub", dirtyPadding))).Code);
        Assert.Null(Bech32.TryConvertBitsStrict(dirtyPadding, 5, 8));
        Assert.Equal(key, Bech32.ConvertBits(dirtyPadding, 5, 8, pad: false)); // BOLT #11 readers drop the tail
    }
}
