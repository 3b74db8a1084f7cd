using System.Globalization;
using ManifestBuild.Format.Json;

namespace ManifestBuild.Format.Tests;

/// <summary>ECMAScript Number::toString, the number form of RFC 8785 (its appendix B table included).</summary>
public class EcmaNumberTests
{
    [Theory]
    [InlineData(0d, "0")]
    [InlineData(1d, "1")]
    [InlineData(-1d, "-1")]
    [InlineData(4.5, "4.5")]
    [InlineData(0.002, "0.002")]
    [InlineData(1e30, "1e+30")]
    [InlineData(1e-27, "1e-27")]
    [InlineData(333333333.33333329, "333333333.3333333")]
    [InlineData(1e21, "1e+21")]
    [InlineData(1e20, "100000000000000000000")]
    [InlineData(123456789012345680000d, "123456789012345680000")]
    [InlineData(1.5e21, "1.5e+21")]
    [InlineData(0.000001, "0.000001")]
    [InlineData(0.0000001, "1e-7")]
    [InlineData(1.25e-7, "1.25e-7")]
    [InlineData(9007199254740992d, "9007199254740992")]
    [InlineData(18446744073709551616d, "18446744073709552000")]
    [InlineData(0.1, "0.1")]
    [InlineData(0.30000000000000004, "0.30000000000000004")]
    [InlineData(100d, "100")]
    [InlineData(1e15, "1000000000000000")]
    [InlineData(1e16, "10000000000000000")]
    [InlineData(123.456, "123.456")]
    [InlineData(-1.5e-10, "-1.5e-10")]
    public void FormatsLikeEcmaScript(double value, string expected)
    {
        Assert.Equal(expected, EcmaNumber.Format(value));
    }

    [Theory]
    [InlineData("-0", "0")]
    [InlineData("-0.0", "0")]
    [InlineData("9007199254740993", "9007199254740992")]
    [InlineData("12345678901234567890123", "1.2345678901234568e+22")]
    [InlineData("4.50", "4.5")]
    [InlineData("1E30", "1e+30")]
    [InlineData("2e-3", "0.002")]
    [InlineData("0.000000000000000000000000001", "1e-27")]
    public void CanonicalizesParsedNumberText(string source, string expected)
    {
        Assert.Equal(expected, JsonCanonicalizer.Canonicalize(JsonParser.Parse(source)));
    }

    // RFC 8785 Appendix B: IEEE 754 bit patterns and their canonical text.
    [Theory]
    [InlineData("0000000000000000", "0")]
    [InlineData("8000000000000000", "0")]
    [InlineData("0000000000000001", "5e-324")]
    [InlineData("8000000000000001", "-5e-324")]
    [InlineData("7fefffffffffffff", "1.7976931348623157e+308")]
    [InlineData("ffefffffffffffff", "-1.7976931348623157e+308")]
    [InlineData("4340000000000000", "9007199254740992")]
    [InlineData("c340000000000000", "-9007199254740992")]
    [InlineData("4430000000000000", "295147905179352830000")]
    [InlineData("44b52d02c7e14af5", "9.999999999999997e+22")]
    [InlineData("44b52d02c7e14af6", "1e+23")]
    [InlineData("44b52d02c7e14af7", "1.0000000000000001e+23")]
    [InlineData("444b1ae4d6e2ef4e", "999999999999999700000")]
    [InlineData("444b1ae4d6e2ef4f", "999999999999999900000")]
    [InlineData("444b1ae4d6e2ef50", "1e+21")]
    [InlineData("3eb0c6f7a0b5ed8c", "9.999999999999997e-7")]
    [InlineData("3eb0c6f7a0b5ed8d", "0.000001")]
    [InlineData("41b3de4355555553", "333333333.3333332")]
    [InlineData("41b3de4355555554", "333333333.33333325")]
    [InlineData("41b3de4355555555", "333333333.3333333")]
    [InlineData("41b3de4355555556", "333333333.3333334")]
    [InlineData("41b3de4355555557", "333333333.33333343")]
    [InlineData("becbf647612f3696", "-0.0000033333333333333333")]
    [InlineData("43143ff3c1cb0959", "1424953923781206.2")]
    public void MatchesRfc8785AppendixB(string bits, string expected)
    {
        var value = BitConverter.Int64BitsToDouble(long.Parse(bits, NumberStyles.HexNumber, CultureInfo.InvariantCulture));

        Assert.Equal(expected, EcmaNumber.Format(value));
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void RefusesNonFiniteNumbers(double value)
    {
        var e = Assert.Throws<DsrsException>(() => EcmaNumber.Format(value));
        Assert.Equal(FormatErrorCodes.NotCanonicalizable, e.Code);
    }

    [Fact]
    public void FormattedNumbersRoundTripForManyRandomDoubles()
    {
        var random = new Random(8785);
        var buffer = new byte[8];
        for (var i = 0; i < 20000; i++)
        {
            random.NextBytes(buffer);
            var value = BitConverter.ToDouble(buffer);
            if (!double.IsFinite(value))
            {
                continue;
            }

            var text = EcmaNumber.Format(value);
            Assert.Equal(value == 0 ? 0 : value, double.Parse(text, CultureInfo.InvariantCulture));
            Assert.Equal(text, EcmaNumber.Format(double.Parse(text, CultureInfo.InvariantCulture)));
        }
    }
}
