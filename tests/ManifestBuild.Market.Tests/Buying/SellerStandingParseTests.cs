using ManifestBuild.Format;
using ManifestBuild.Market.Buying;
using ManifestBuild.Nostr;

namespace ManifestBuild.Market.Tests.Buying;

/// <summary>The market's seller lists (DsrsBlockedSellers, `dsrs sellers block`) read keys through NostrPublicKey.</summary>
public class SellerStandingParseTests
{
    private static readonly string Key = NostrKeyPair.Generate().PublicKeyHex;

    [Fact]
    public void Every_spelling_of_a_seller_is_its_hex_key()
    {
        foreach (var spelling in new[] { Key, Key.ToUpperInvariant(), Nip19.EncodeNpub(Key), Nip19.EncodeNprofile(Key, ["wss://relay.example.com"]), "nostr:" + Nip19.EncodeNprofile(Key), "nostr:" + Nip19.EncodeNpub(Key) })
        {
            Assert.Equal(Key, SellerStanding.Normalize(spelling));
        }
    }

    [Fact]
    public void A_project_list_mixes_spellings_and_counts_each_seller_once()
    {
        var other = NostrKeyPair.Generate().PublicKeyHex;
        var list = SellerStanding.ParseList($"{Nip19.EncodeNprofile(Key)}; nostr:{Nip19.EncodeNpub(Key)},{other}\n{Key}");
        Assert.Equal([Key, other], list);
    }

    [Theory]
    [InlineData("npub1notakey")]
    [InlineData("abcd")]
    [InlineData("nostr:nevent1qqqqqqqq")]
    public void A_bad_seller_is_DSRS0546(string text)
    {
        Assert.Equal(MarketErrorCodes.InvalidSeller, Assert.Throws<DsrsException>(() => SellerStanding.Normalize(text)).Code);
    }
}
