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
    public async Task MatchesNodeJsonStringifyIncludingLoneSurrogates()
    {
        var samples = new List<string> { "\ud800", "a\udfffb", "\ude02\ud83d", "\ud83d\ude02", "\u2028\u2029", "</script>&", "\u007f\u0080\u00ff", "\"\\/" };
        samples.AddRange(Enumerable.Range(0, 0x20).Select(c => ((char)c).ToString()));
        var input = JsonWriter.Write(new JsonArray(samples.Select(s => (JsonValue)new JsonString(s))), false);
        const string script = """
            const chunks = [];
            for await (const chunk of process.stdin) chunks.push(chunk);
            const strings = JSON.parse(Buffer.concat(chunks).toString("utf8"));
            process.stdout.write(JSON.stringify(strings.map(s => JSON.stringify(s))));
            """;

        var result = await ManifestBuild.TestSupport.NodeScript.RunInlineAsync(script, input);

        Assert.True(result.ExitCode == 0, result.StdErr);
        var expected = (JsonArray)JsonParser.Parse(result.StdOut);
        Assert.Equal(samples.Count, expected.Count);
        for (var i = 0; i < samples.Count; i++)
        {
            Assert.Equal(expected[i].AsString(), JsonStringEscaper.Escape(samples[i]));
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
