using ManifestBuild.Format.Json;

namespace ManifestBuild.Format.Tests;

public class JsonParserTests
{
    [Theory]
    [InlineData("{\"a\":1,}", "line 1, column 8", "trailing comma")]
    [InlineData("[1,2,]", "line 1, column 6", "trailing comma")]
    [InlineData("{\"a\":1 // comment\n}", "line 1, column 8", "expected ',' or '}'")]
    [InlineData("/* c */ {}", "line 1, column 1", "expected a value")]
    [InlineData("[NaN]", "line 1, column 2", "expected a value")]
    [InlineData("[Infinity]", "line 1, column 2", "expected a value")]
    [InlineData("[-Infinity]", "line 1, column 3", "expected a digit")]
    [InlineData("{'a':1}", "line 1, column 2", "member name in double quotes")]
    [InlineData("[01]", "line 1, column 2", "leading zeros")]
    [InlineData("[1.]", "line 1, column 4", "after the decimal point")]
    [InlineData("[.5]", "line 1, column 2", "expected a value")]
    [InlineData("[1e]", "line 1, column 4", "exponent")]
    [InlineData("[+1]", "line 1, column 2", "expected a value")]
    [InlineData("{\"a\":1,\n\"a\":2}", "line 2, column 1", "duplicate member name \"a\"")]
    [InlineData("[\"\\ud800\"]", "line 1, column 3", "lone high surrogate")]
    [InlineData("[\"\\ud800\\u0041\"]", "line 1, column 3", "lone high surrogate")]
    [InlineData("[\"\\udc00\"]", "line 1, column 3", "lone low surrogate")]
    [InlineData("[\"a\tb\"]", "line 1, column 4", "control character U+0009")]
    [InlineData("[\"\\x41\"]", "line 1, column 3", "invalid escape")]
    [InlineData("[\"\\u12G4\"]", "line 1, column 3", "invalid hex digit")]
    [InlineData("[\"abc", "line 1, column 6", "unterminated string")]
    [InlineData("{} {}", "line 1, column 4", "after the JSON value")]
    [InlineData("", "line 1, column 1", "unexpected end of input")]
    [InlineData("[1e400]", "line 1, column 2", "out of the range")]
    [InlineData("[tru]", "line 1, column 2", "expected a value")]
    [InlineData("\uFEFF{}", "line 1, column 1", "expected a value")]
    [InlineData("[1]\u00a0", "line 1, column 4", "after the JSON value")]
    public void RefusesNonStrictJsonWithLineAndColumn(string text, string where, string why)
    {
        var e = Assert.Throws<JsonParseException>(() => JsonParser.Parse(text));

        Assert.Equal("DSRS0100", e.Code);
        Assert.StartsWith("invalid JSON at " + where + ": ", e.Message);
        Assert.Contains(why, e.Message);
    }

    [Fact]
    public void RefusesARawLoneSurrogateInTheText()
    {
        var e = Assert.Throws<JsonParseException>(() => JsonParser.Parse("\"a\ud800\""));
        Assert.Contains("lone surrogate U+D800", e.Message);
    }

    [Fact]
    public void LimitsNestingDepth()
    {
        var ok = new string('[', JsonParser.DefaultMaxDepth) + new string(']', JsonParser.DefaultMaxDepth);
        var tooDeep = new string('[', JsonParser.DefaultMaxDepth + 1) + new string(']', JsonParser.DefaultMaxDepth + 1);

        Assert.IsType<JsonArray>(JsonParser.Parse(ok));
        var e = Assert.Throws<JsonParseException>(() => JsonParser.Parse(tooDeep));
        Assert.Contains("nesting deeper than 128 levels", e.Message);
        Assert.Throws<JsonParseException>(() => JsonParser.Parse("[[[1]]]", 2));
    }

    [Fact]
    public void ParsesEveryKindAndKeepsMemberOrderAndNumberText()
    {
        var value = JsonParser.Parse(" {\"z\": [1.50, -0, 2E+3], \"a\": {\"t\": true, \"f\": false, \"n\": null}, \"s\": \"\\u00e9\\ud83d\\ude02\\/\"} ");

        var obj = Assert.IsType<JsonObject>(value);
        Assert.Equal(["z", "a", "s"], obj.Names.ToArray());
        var numbers = Assert.IsType<JsonArray>(obj["z"]);
        Assert.Equal(["1.50", "-0", "2E+3"], numbers.Cast<JsonNumber>().Select(n => n.Text).ToArray());
        Assert.Equal([1.5, 0, 2000], numbers.Cast<JsonNumber>().Select(n => n.Value).ToArray());
        var inner = Assert.IsType<JsonObject>(obj["a"]);
        Assert.Same(JsonBool.True, inner["t"]);
        Assert.Same(JsonBool.False, inner["f"]);
        Assert.Same(JsonNull.Instance, inner["n"]);
        Assert.Equal("é😂/", obj.GetString("s"));
    }

    [Fact]
    public void ParseObjectRefusesOtherKinds()
    {
        var e = Assert.Throws<JsonParseException>(() => JsonParser.ParseObject("[1]"));
        Assert.Contains("expected an object, found an array", e.Message);
    }

    [Fact]
    public void JsonObjectKeepsOrderRefusesDuplicatesAndSetsInPlace()
    {
        var obj = new JsonObject().Add("b", 1L).Add("a", "x").Add("c", true);

        obj.Set("a", new JsonNumber(2.5));
        obj.Set("d", JsonNull.Instance);
        Assert.True(obj.Remove("b"));
        Assert.False(obj.Remove("b"));

        Assert.Equal("{\"a\":2.5,\"c\":true,\"d\":null}", obj.ToString());
        var e = Assert.Throws<DsrsException>(() => obj.Add("a", "again"));
        Assert.Equal("DSRS0103", e.Code);
    }

    [Fact]
    public void TryGetInt64AcceptsWholeNumbersOnly()
    {
        Assert.True(((JsonNumber)JsonParser.Parse("9223372036854775807")).TryGetInt64(out var max));
        Assert.Equal(long.MaxValue, max);
        Assert.True(((JsonNumber)JsonParser.Parse("1e3")).TryGetInt64(out var thousand));
        Assert.Equal(1000, thousand);
        Assert.False(((JsonNumber)JsonParser.Parse("1.5")).TryGetInt64(out _));
        Assert.False(((JsonNumber)JsonParser.Parse("1e300")).TryGetInt64(out _));
    }
}
