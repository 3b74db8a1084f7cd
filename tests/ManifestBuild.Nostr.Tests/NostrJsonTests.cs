namespace ManifestBuild.Nostr.Tests;

public class NostrJsonTests
{
    private readonly NostrKeyPair key = NostrKeyPair.Generate();

    [Fact]
    public void EventRoundTrips()
    {
        var e = key.Sign(31990, [["d", "x"], ["t", "rust"], []], "{\"a\":\"\\u0000\"}\u2028😀", 1_700_000_000);
        Assert.True(NostrJson.TryParseEvent(e.ToJson(), out var parsed, out var error), error);
        Assert.Equal(e.Id, parsed!.Id);
        Assert.Equal(e.Content, parsed.Content);
        Assert.Equal(e.Tags.Select(t => string.Join("|", t)), parsed.Tags.Select(t => string.Join("|", t)));
        Assert.True(NostrEventVerifier.IsValid(parsed));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("{}")]
    [InlineData("{\"id\":1}")]
    public void MalformedEventsFailWithoutThrowing(string json)
    {
        Assert.False(NostrJson.TryParseEvent(json, out var e, out var error));
        Assert.Null(e);
        Assert.NotNull(error);
    }

    [Fact]
    public void EventShapeIsStrict()
    {
        var good = key.Sign(1, [["t", "x"]], "c", 100).ToJson();
        Assert.True(NostrJson.TryParseEvent(good, out _, out _));
        Assert.True(NostrJson.TryParseEvent(good.Replace("{\"id\"", "{\"extra\":{\"nested\":[1]},\"id\""), out _, out _)); // unknown members are ignored
        string[] bad =
        [
            good.Replace("\"kind\":1", "\"kind\":1.0"),
            good.Replace("\"kind\":1", "\"kind\":70000"),
            good.Replace("\"kind\":1", "\"kind\":-1"),
            good.Replace("\"created_at\":100", "\"created_at\":1e2"),
            good.Replace("\"created_at\":100", "\"created_at\":9007199254740992"),
            good.Replace("\"created_at\":100", "\"created_at\":\"100\""),
            good.Replace("[\"t\",\"x\"]", "[\"t\",null]"),
            good.Replace("[[\"t\",\"x\"]]", "[\"t\"]"),
            good.Replace("\"content\":\"c\"", "\"content\":null"),
            good.Replace("\"content\":\"c\"", "\"content\":\"c\",\"content\":\"d\""),
            good.Replace("\"sig\":", "\"sig\":\"00\",\"sig2\":"),
            good.Replace(",\"sig\":\"", ",\"sig\":\"A"),
            good + "x",
            good + good,
            good[..^1],
            "{\"id\":\"\\ud800\"}",
        ];
        foreach (var json in bad)
        {
            Assert.False(NostrJson.TryParseEvent(json, out _, out var error), json.Length > 200 ? json[..200] : json);
            Assert.False(string.IsNullOrEmpty(error));
        }
    }

    [Fact]
    public void LoneSurrogateContentIsAParseFailureNotAnException()
    {
        var e = key.Sign(1, [], "x\ud800y", 1);
        Assert.False(NostrJson.TryParseEvent(e.ToJson(), out _, out var error));
        Assert.NotNull(error);
        Assert.False(NostrJson.TryParseRelayMessage(NostrJson.Serialize(new RelayEventMessage("s", e)), out _, out _));
    }

    [Fact]
    public void FiltersRoundTripInCanonicalOrder()
    {
        var filter = new NostrFilter
        {
            Ids = [new string('a', 64)],
            Authors = [key.PublicKeyHex],
            Kinds = [31990, 1],
            Since = 10,
            Until = 20,
            Limit = 5,
        }.WithTag("t", "rust", "go").WithTag("k", "complexity");
        var json = filter.ToJson();
        Assert.Equal($"{{\"ids\":[\"{new string('a', 64)}\"],\"authors\":[\"{key.PublicKeyHex}\"],\"kinds\":[31990,1],\"#k\":[\"complexity\"],\"#t\":[\"rust\",\"go\"],\"since\":10,\"until\":20,\"limit\":5}}", json);
        var parsed = NostrJson.ParseFilter(json);
        Assert.Equal(json, parsed.ToJson());
    }

    [Theory]
    [InlineData("{\"ids\":[\"abc\"]}")]
    [InlineData("{\"authors\":[\"" + "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" + "\"]}")]
    [InlineData("{\"kinds\":[\"1\"]}")]
    [InlineData("{\"kinds\":1}")]
    [InlineData("{\"#t\":\"rust\"}")]
    [InlineData("{\"#t\":[1]}")]
    [InlineData("{\"limit\":-1}")]
    [InlineData("{\"since\":1.5}")]
    [InlineData("{\"kinds\":[1],\"kinds\":[2]}")]
    [InlineData("[]")]
    public void MalformedFiltersFail(string json)
    {
        Assert.False(NostrJson.TryParseFilter(System.Text.Encoding.UTF8.GetBytes(json), out _, out var error));
        Assert.NotNull(error);
    }

    [Fact]
    public void UnknownFilterMembersAreIgnoredAndMultiLetterTagsKept()
    {
        var filter = NostrJson.ParseFilter("{\"kinds\":[1],\"search\":\"x\",\"#domain\":[\"rust\"]}");
        Assert.Equal([1], filter.Kinds!);
        Assert.Equal(["rust"], filter.Tags["domain"]);
        Assert.Empty(filter.WithoutUnindexedTags().Tags);
    }

    [Fact]
    public void EveryRelayMessageRoundTrips()
    {
        var e = key.Sign(1, [], "hi", 1);
        RelayMessage[] messages =
        [
            new RelayEventMessage("sub", e),
            new RelayOkMessage(e.Id, true, ""),
            new RelayOkMessage(e.Id, false, "blocked: no"),
            new RelayEoseMessage("sub"),
            new RelayClosedMessage("sub", "auth-required: please"),
            new RelayNoticeMessage("hello \"world\""),
            new RelayAuthMessage("challenge-1"),
            new RelayCountMessage("sub", 42),
            new RelayCountMessage("sub", 7, true),
        ];
        foreach (var message in messages)
        {
            var json = NostrJson.Serialize(message);
            Assert.True(NostrJson.TryParseRelayMessage(json, out var parsed, out var error), error);
            Assert.Equal(json, NostrJson.Serialize(parsed!));
            Assert.Equal(message.GetType(), parsed!.GetType());
        }
    }

    [Fact]
    public void EveryClientMessageRoundTrips()
    {
        var e = key.Sign(1, [], "hi", 1);
        var filter = new NostrFilter { Kinds = [1] };
        ClientMessage[] messages =
        [
            new ClientEventMessage(e),
            new ClientReqMessage("sub", [filter, filter.WithTag("t", "x")]),
            new ClientCloseMessage("sub"),
            new ClientAuthMessage(e),
            new ClientCountMessage("c", [filter]),
        ];
        foreach (var message in messages)
        {
            var json = NostrJson.Serialize(message);
            Assert.True(NostrJson.TryParseClientMessage(json, out var parsed, out var error), error);
            Assert.Equal(json, NostrJson.Serialize(parsed!));
        }
    }

    [Theory]
    [InlineData("[\"REQ\",\"sub\"]")]
    [InlineData("[\"REQ\",\"\",{}]")]
    [InlineData("[\"REQ\",\"" + "0123456789012345678901234567890123456789012345678901234567890123456789" + "\",{}]")]
    [InlineData("[\"REQ\",1,{}]")]
    [InlineData("[\"CLOSE\"]")]
    [InlineData("[\"CLOSE\",\"a\",\"b\"]")]
    [InlineData("[\"EVENT\",\"sub\",{}]")]
    [InlineData("[\"EOSE\",\"sub\"]")]
    [InlineData("{\"REQ\":1}")]
    public void MalformedClientMessagesFail(string json)
    {
        Assert.False(NostrJson.TryParseClientMessage(json, out _, out var error));
        Assert.NotNull(error);
    }

    [Theory]
    [InlineData("[\"OK\",\"" + "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" + "\",\"true\",\"\"]")]
    [InlineData("[\"COUNT\",\"s\",{\"count\":\"1\"}]")]
    [InlineData("[\"COUNT\",\"s\",{}]")]
    [InlineData("[\"CLOSED\",\"s\"]")]
    [InlineData("[\"AUTH\",{}]")]
    [InlineData("[\"NOTICE\",\"a\",\"b\"]")]
    [InlineData("[\"EVENT\",\"s\"]")]
    [InlineData("[\"REQ\",\"s\",{}]")]
    public void MalformedRelayMessagesFail(string json)
    {
        Assert.False(NostrJson.TryParseRelayMessage(json, out _, out var error));
        Assert.NotNull(error);
    }

    [Fact]
    public void RepeatedTagStringsAreSharedAndEscapedOrUnusualOnesReadExactly()
    {
        // Short ASCII values are shared between events (WireStrings); everything else must still be
        // read exactly: escapes decoded, non-ASCII kept, long values whole, nothing mixed up between
        // values that share a table slot.
        var key = NostrKeyPair.Generate();
        var longValue = new string('x', 65);
        var tags = new List<IReadOnlyList<string>>
        {
            new[] { "k", "complexity" }, new[] { "t", "rüst" }, new[] { "alt", longValue }, new[] { "q", "a\"b\u0001" },
        };
        tags.AddRange(Enumerable.Range(0, 3000).Select(i => (IReadOnlyList<string>)new[] { "n", "v" + i }));
        var first = key.Sign(1, tags, "x", 1_700_000_000);
        var second = key.Sign(1, tags, "y", 1_700_000_001);

        Assert.True(NostrJson.TryParseEvent(NostrJson.SerializeEvent(first), out var a, out _));
        Assert.True(NostrJson.TryParseEvent(NostrJson.SerializeEvent(second), out var b, out _));
        Assert.True(NostrEventVerifier.IsValid(a!) && NostrEventVerifier.IsValid(b!));
        for (var i = 0; i < tags.Count; i++)
        {
            Assert.Equal(tags[i], a!.Tags[i]);
            Assert.Equal(tags[i], b!.Tags[i]);
        }

        // Sharing: two parses in a row of a small event give the same instances. The table is shared
        // with every test running at once (and the 3,000 values above evict entries), so a miss may
        // happen; three in a row would mean the strings are not shared at all.
        var small = NostrJson.SerializeEvent(key.Sign(1, [["k", "complexity"]], "z", 1_700_000_002));
        var shared = Enumerable.Range(0, 3).Any(attempt =>
            NostrJson.TryParseEvent(small, out var x, out _) && NostrJson.TryParseEvent(small, out var y, out _) &&
            ReferenceEquals(x!.Tags[0][1], y!.Tags[0][1]) && ReferenceEquals(x.PubKey, y.PubKey));
        Assert.True(shared, "repeated short tag values and keys are not shared between events");

        // The same text written with escapes reads as the same value.
        var escaped = NostrJson.SerializeEvent(first).Replace("[\"k\",\"complexity\"]", "[\"\\u006b\",\"compl\\u0065xity\"]", StringComparison.Ordinal);
        Assert.NotEqual(NostrJson.SerializeEvent(first), escaped);
        Assert.True(NostrJson.TryParseEvent(escaped, out var c, out _));
        Assert.Equal(["k", "complexity"], c!.Tags[0]);
        Assert.True(NostrEventVerifier.IsValid(c));
    }
}
