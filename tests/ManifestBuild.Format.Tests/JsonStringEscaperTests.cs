using ManifestBuild.Format.Json;

namespace ManifestBuild.Format.Tests;

/// <summary>ECMAScript JSON.stringify string escaping (what NIP-01 ids and RFC 8785 need).</summary>
public class JsonStringEscaperTests
{
    [Theory]
    [InlineData("plain", "\"plain\"")]
    [InlineData("q\"b\\", "\"q\\\"b\\\\\"")]
    [InlineData("\b\t\n\f\r", "\"\\b\\t\\n\\f\\r\"")]
    [InlineData("\u0000\u0001\u000b\u000e\u001f", "\"\\u0000\\u0001\\u000b\\u000e\\u001f\"")]
    [InlineData("\u007f\u0080", "\"\u007f\u0080\"")]
    [InlineData("a/b</script>&<>", "\"a/b</script>&<>\"")]
    [InlineData("\u2028\u2029", "\"\u2028\u2029\"")]
    [InlineData("é€😂", "\"é€😂\"")]
    public void EscapesLikeJsonStringify(string value, string expected)
    {
        Assert.Equal(expected, JsonStringEscaper.Escape(value));
    }

    [Fact]
    public void EscapesLoneSurrogatesAsLowercaseUnicodeEscapes()
    {
        // Not InlineData: test discovery would re-encode lone surrogates as U+FFFD.
        Assert.Equal("\"\\ud800\"", JsonStringEscaper.Escape("\ud800"));
        Assert.Equal("\"\\udfff\"", JsonStringEscaper.Escape("\udfff"));
        Assert.Equal("\"x\\udbff😂\"", JsonStringEscaper.Escape("x\udbff\ud83d\ude02"));
        Assert.Equal("\"\\ude02\\ud83d\"", JsonStringEscaper.Escape("\ude02\ud83d"));
        Assert.True(JsonStringEscaper.HasLoneSurrogate("a\ud83d"));
        Assert.False(JsonStringEscaper.HasLoneSurrogate("a\ud83d\ude02"));
    }

    [Fact]
    public void MatchesNodeJsonStringifyForEveryBmpCodeUnitAndSomePairs()
    {
        // Expected values derived from the ECMAScript rules directly: a second, independent formulation.
        for (var c = 0; c <= 0xFFFF; c++)
        {
            var s = ((char)c).ToString();
            var expected = c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\b' => "\\b",
                '\t' => "\\t",
                '\n' => "\\n",
                '\f' => "\\f",
                '\r' => "\\r",
                < 0x20 => "\\u" + c.ToString("x4"),
                >= 0xD800 and <= 0xDFFF => "\\u" + c.ToString("x4"),
                _ => s,
            };
            Assert.Equal("\"" + expected + "\"", JsonStringEscaper.Escape(s));
        }
    }

    [Fact]
    public void CanonicalizerRefusesLoneSurrogatesThatTheEscaperAllows()
    {
        var value = new JsonArray().Add(new JsonString("\ud800"));

        Assert.Equal("[\"\\ud800\"]", JsonWriter.Write(value, false));
        var e = Assert.Throws<DsrsException>(() => JsonCanonicalizer.Canonicalize(value));
        Assert.Equal("DSRS0102", e.Code);
    }
}
