using ManifestBuild.Format;
using ManifestBuild.Nostr;
using ManifestBuild.Tasks.Resolution;
using ManifestBuild.Tasks.Tests.Support;

namespace ManifestBuild.Tasks.Tests.Unit;

public sealed class DeclarationTests : IDisposable
{
    private readonly ResolverHarness h = new();

    public void Dispose() => h.Dispose();

    [Fact]
    public void ReadsEveryMetadata()
    {
        var pin = TestManifests.Planner().CompiledId;
        var item = h.Declare("ComplexityClassification", ("Family", "Complexity"), ("Domains", "rust; Systems;rust"), ("MinAccuracy", "0.85"),
            ("MaxPriceMsat", "100000"), ("Seller", new string('A', 64)), ("CompiledId", pin));

        Assert.Equal("complexity", item.Family);
        Assert.Equal(["rust", "systems"], item.Domains);
        Assert.Equal(0.85, item.MinAccuracy);
        Assert.Equal(100_000, item.MaxPriceMsat);
        Assert.Equal(new string('a', 64), item.SellerHex);
        Assert.Equal(pin, item.CompiledId);
        Assert.False(item.IsLocal);
    }

    [Fact]
    public void DecodesAnNpubSeller()
    {
        var key = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();
        var npub = Bech32.Encode("npub", Bech32.ConvertBits(key, 8, 5, true));

        var item = h.Declare("A", ("Family", "complexity"), ("Seller", npub));

        Assert.Equal(Convert.ToHexString(key).ToLowerInvariant(), item.SellerHex);
    }

    [Fact]
    public void DecodesAnNprofileAndANostrUriSeller()
    {
        var key = NostrKeyPair.Generate().PublicKeyHex;
        foreach (var seller in new[] { Nip19.EncodeNprofile(key, ["wss://relay.example.com"]), "nostr:" + Nip19.EncodeNpub(key), "nostr:" + Nip19.EncodeNprofile(key) })
        {
            Assert.Equal(key, h.Declare("A", ("Family", "complexity"), ("Seller", seller)).SellerHex);
        }
    }

    [Fact]
    public void AnNsecSellerIsRefusedWithoutPrintingIt()
    {
        var nsec = Nip19.EncodeNsec(NostrKeyPair.Generate());
        var e = Assert.Throws<DsrsException>(() => h.Declare("A", ("Family", "complexity"), ("Seller", nsec)));
        Assert.Equal(BuildErrorCodes.InvalidSeller, e.Code);
        Assert.DoesNotContain(nsec[5..], e.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("class", "Family", "x", BuildErrorCodes.InvalidItemName)]
    [InlineData("9Lives", "Family", "x", BuildErrorCodes.InvalidItemName)]
    [InlineData("Has-Dash", "Family", "x", BuildErrorCodes.InvalidItemName)]
    [InlineData("A", "MinAccuracy", "1.5", BuildErrorCodes.InvalidItemNumber)]
    [InlineData("A", "MaxPriceMsat", "-3", BuildErrorCodes.InvalidItemNumber)]
    [InlineData("A", "MaxPriceMsat", "1e5", BuildErrorCodes.InvalidItemNumber)]
    [InlineData("A", "Seller", "npub1notreally", BuildErrorCodes.InvalidSeller)]
    [InlineData("A", "Seller", "abcd", BuildErrorCodes.InvalidSeller)]
    [InlineData("A", "Seller", "nostr:note1xyz", BuildErrorCodes.InvalidSeller)]
    [InlineData("A", "CompiledId", "ABCDEF", BuildErrorCodes.InvalidCompiledIdPin)]
    public void RefusesBadMetadataWithItsCode(string name, string key, string value, string code)
    {
        var metadata = new List<(string, string)> { ("Family", "complexity") };
        metadata.RemoveAll(m => m.Item1 == key);
        metadata.Add((key, value));
        var e = Assert.Throws<DsrsException>(() => h.Declare(name, metadata.ToArray()));
        Assert.Equal(code, e.Code);
        Assert.Contains(name, e.Message);
    }

    [Fact]
    public void AnItemNeedsSomethingToResolveBy()
    {
        Assert.Equal(BuildErrorCodes.NothingToResolveBy, Assert.Throws<DsrsException>(() => h.Declare("A", ("Domains", "rust"))).Code);
    }

    [Theory]
    [InlineData("ws://127.0.0.1:7000;wss://relay.example", 2)]
    [InlineData("", 0)]
    [InlineData("ws://a.example ws://a.example", 1)]
    public void ParsesRelays(string text, int count) => Assert.Equal(count, ResolveSettings.ParseRelays(text).Count);

    [Fact]
    public void NormalisesRelaysAndCountsARelaySpelledTwiceOnce()
    {
        Assert.Equal([new Uri("wss://relay.example.com")], ResolveSettings.ParseRelays("WSS://Relay.Example.com:443/ wss://relay.example.com"));
    }

    [Theory]
    [InlineData("wss://relay.example.com/#x", BuildErrorCodes.InvalidProperty)]
    [InlineData("wss://user:hunter2@relay.example.com", NostrErrorCodes.RelayUrlCredentials)]
    public void RefusesARelayWithAFragmentOrCredentials(string relay, string code)
    {
        var e = Assert.Throws<DsrsException>(() => ResolveSettings.ParseRelays(relay));
        Assert.Equal(code, e.Code);
        Assert.DoesNotContain("hunter2", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RefusesANonWebSocketRelay()
    {
        Assert.Equal(BuildErrorCodes.InvalidProperty, Assert.Throws<DsrsException>(() => ResolveSettings.ParseRelays("http://127.0.0.1:7000")).Code);
    }
}
