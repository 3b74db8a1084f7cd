using ManifestBuild.Format;

namespace ManifestBuild.Nostr.Tests;

public class NostrEventTests
{
    private readonly NostrKeyPair key = NostrKeyPair.Generate();

    [Fact]
    public void SerializationEscapesExactlyAsJsonStringify()
    {
        // JSON.stringify(["\u0000\u001f\u007f\b\t\n\f\r\"\\/<>&\u2028é😀"]) in any JavaScript engine:
        var expected = "[0,\"" + new string('a', 64) + "\",1,2,[[\"t\",\"\\u0000\"]],\"\\u0000\\u001f\u007f\\b\\t\\n\\f\\r\\\"\\\\/<>&\u2028é😀\"]";
        var actual = NostrEventId.Serialize(new string('a', 64), 1, 2, [["t", "\u0000"]], "\u0000\u001f\u007f\b\t\n\f\r\"\\/<>&\u2028é😀");
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void LoneSurrogatesAreEscapedLikeWellFormedJsonStringify()
    {
        Assert.Equal("\"\\ud800x\\udc00😀\"", JsStringEscaper.Quote("\ud800x\udc00😀"));
    }

    [Fact]
    public void SignedEventVerifiesAndTamperingIsCaught()
    {
        var e = key.Sign(1, [["t", "rust"]], "hello", 1_700_000_000);
        Assert.Equal(NostrEventId.Compute(e), e.Id);
        Assert.Equal(EventVerification.Valid, NostrEventVerifier.Verify(e));
        Assert.Equal(EventVerification.BadId, NostrEventVerifier.Verify(e with { Content = "hellO" }));
        Assert.Equal(EventVerification.BadId, NostrEventVerifier.Verify(e with { CreatedAt = e.CreatedAt + 1 }));
        Assert.Equal(EventVerification.BadId, NostrEventVerifier.Verify(e with { Tags = [["t", "rusT"]] }));
        Assert.Equal(EventVerification.BadSignature, NostrEventVerifier.Verify(TestEvents.WithBadSig(e)));
        Assert.Equal(EventVerification.Malformed, NostrEventVerifier.Verify(e with { Id = e.Id.ToUpperInvariant() }));

        // Someone else's key over the same content: the id changes, so re-sign with the claimed id.
        var other = NostrKeyPair.Generate();
        var forged = e with { PubKey = other.PublicKeyHex };
        forged = forged with { Id = NostrEventId.Compute(forged) };
        Assert.Equal(EventVerification.BadSignature, NostrEventVerifier.Verify(forged));
        Assert.Equal(NostrErrorCodes.BadSignature, Assert.Throws<DsrsException>(() => NostrEventVerifier.EnsureValid(forged)).Code);
    }

    [Fact]
    public void NotOnTheCurvePubKeyIsReported()
    {
        var e = key.Sign(1, [], "x", 1);
        var bad = e with { PubKey = new string('f', 64) };
        bad = bad with { Id = NostrEventId.Compute(bad) };
        Assert.Equal(EventVerification.BadPublicKey, NostrEventVerifier.Verify(bad));
    }

    [Fact]
    public void TagHelpers()
    {
        var e = key.Sign(31990, [["d", "dsrs-manifest:abc"], ["t", "rust"], ["t", "systems"], ["k"], ["price", "1000", "msat"]], "{}", 5);
        Assert.Equal("dsrs-manifest:abc", e.DTag);
        Assert.Equal(["rust", "systems"], e.TagValues("t"));
        Assert.Equal("1000", e.FirstTagValue("price"));
        Assert.Null(e.FirstTagValue("k"));
        Assert.True(e.HasTag("t", "systems"));
        Assert.True(e.IsAddressable);
        Assert.False(e.IsReplaceable);
        Assert.Equal($"31990:{key.PublicKeyHex}:dsrs-manifest:abc", e.Address);
        Assert.Equal(string.Empty, key.Sign(30000, [], "", 1).DTag);
        Assert.True(key.Sign(10002, [], "", 1).IsReplaceable);
        Assert.True(key.Sign(0, [], "", 1).IsReplaceable);
        Assert.True(key.Sign(22242, [], "", 1).IsEphemeral);
    }

    [Fact]
    public void NewerVersionSupersedesAndTiesGoToTheLowestId()
    {
        var a = key.Sign(31990, [["d", "x"]], "a", 10);
        var b = key.Sign(31990, [["d", "x"]], "b", 10);
        var (low, high) = string.CompareOrdinal(a.Id, b.Id) < 0 ? (a, b) : (b, a);
        Assert.True(NostrEvent.Supersedes(low, high));
        Assert.False(NostrEvent.Supersedes(high, low));
        var newer = key.Sign(31990, [["d", "x"]], "c", 11);
        Assert.True(NostrEvent.Supersedes(newer, low));
    }

    [Fact]
    public void KeysFromHexAndRefusals()
    {
        var copy = NostrKeyPair.FromSecretHex(key.ExportSecretHex().ToUpperInvariant());
        Assert.Equal(key.PublicKeyHex, copy.PublicKeyHex);
        Assert.DoesNotContain(key.ExportSecretHex(), key.ToString());
        Assert.Equal(NostrErrorCodes.InvalidSecretKey, Assert.Throws<DsrsException>(() => NostrKeyPair.FromSecretHex(new string('0', 64))).Code);
        Assert.Equal(NostrErrorCodes.InvalidSecretKey, Assert.Throws<DsrsException>(() => NostrKeyPair.FromSecretHex("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141")).Code);
        Assert.Equal(NostrErrorCodes.InvalidSecretKey, Assert.Throws<DsrsException>(() => NostrKeyPair.FromSecretHex("abc")).Code);
        Assert.NotEqual(NostrKeyPair.Generate().PublicKeyHex, NostrKeyPair.Generate().PublicKeyHex);
    }
}
