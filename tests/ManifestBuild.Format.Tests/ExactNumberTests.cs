using ManifestBuild.Format.Json;

namespace ManifestBuild.Format.Tests;

/// <summary>
/// Numbers a double cannot hold exactly are refused (I-JSON, RFC 7493 §2.2): compiled_id hashes the
/// double (RFC 8785), so 2^53 and 2^53 + 1 would share an id while their files and typed readings differ.
/// </summary>
public class ExactNumberTests
{
    [Fact]
    public void TwoIntegersBeyondTwoToTheFiftyThirdShareAnIdSoTheLargerIsRefused()
    {
        var exact = JsonParser.ParseObject("{\"signature_name\":\"S\",\"example_count\":9007199254740992}");
        var inexact = JsonParser.ParseObject("{\"signature_name\":\"S\",\"example_count\":9007199254740993}");
        Assert.Equal(CompiledId.Compute(exact), CompiledId.Compute(inexact));

        Manifest.FromJson(exact);
        var e = Assert.Throws<DsrsException>(() => Manifest.FromJson(inexact));

        Assert.Equal(FormatErrorCodes.InexactNumber, e.Code);
        Assert.Contains("example_count is 9007199254740993", e.Message);
        Assert.Contains("9007199254740992", e.Message);
    }

    [Theory]
    [InlineData("12345678901234567890", "unknown")]
    [InlineData("-9007199254740993", "unknown")]
    [InlineData("0.10000000000000001", "demos[0].inputs.x")]
    [InlineData("3.141592653589793238", "scorecard.median_score")]
    public void InexactNumbersAnywhereAreNamedByPath(string number, string path)
    {
        var json = path switch
        {
            "unknown" => "{\"signature_name\":\"S\",\"unknown\":" + number + "}",
            "scorecard.median_score" => "{\"signature_name\":\"S\",\"scorecard\":{\"median_score\":" + number + "}}",
            _ => "{\"signature_name\":\"S\",\"demos\":[{\"inputs\":{\"x\":" + number + "},\"outputs\":{}}]}",
        };

        var e = Assert.Throws<DsrsException>(() => Manifest.Parse(json));

        Assert.Equal(FormatErrorCodes.InexactNumber, e.Code);
        Assert.StartsWith(path + " is " + number, e.Message);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-0")]
    [InlineData("0.1")]
    [InlineData("1.50")]
    [InlineData("100")]
    [InlineData("1e21")]
    [InlineData("1E+2")]
    [InlineData("0.000001")]
    [InlineData("1.5e-7")]
    [InlineData("9007199254740991")]
    [InlineData("-9007199254740992")]
    [InlineData("0.30000000000000004")]
    public void NumbersADoubleHoldsAreAccepted(string number)
    {
        Assert.True(((JsonNumber)JsonParser.Parse(number)).IsExact, number);
        Manifest.Parse("{\"signature_name\":\"S\",\"n\":" + number + "}");
    }

    [Fact]
    public void AnInexactNumberNextToAnotherProblemIsReportedWithIt()
    {
        var e = Assert.Throws<DsrsException>(() => Manifest.Parse("{\"signature_name\":\"\",\"n\":9007199254740993}"));

        Assert.Equal(FormatErrorCodes.InvalidManifest, e.Code);
        Assert.Contains("n is 9007199254740993", e.Message);
    }
}

/// <summary>A JSON error carries its position as values, not only in the message.</summary>
public class JsonParseExceptionTests
{
    [Theory]
    [InlineData("{\"a\": tru}", 1, 7, 6)]
    [InlineData("{\n  \"a\": 1,\n}", 3, 1, 12)]
    [InlineData("[1,\n 2,\n x]", 3, 2, 9)]
    public void PositionIsLineColumnAndOffset(string text, int line, int column, int offset)
    {
        var e = Assert.Throws<JsonParseException>(() => JsonParser.Parse(text));

        Assert.Equal(FormatErrorCodes.InvalidJson, e.Code);
        Assert.Equal((line, column, offset), (e.Line, e.Column, e.Offset));
        Assert.StartsWith($"invalid JSON at line {line}, column {column}: {e.Reason}", e.Message);
    }
}
