using System.Text;
using ManifestBuild.Format.Json;

namespace ManifestBuild.Format.Tests;

/// <summary>RFC 8785's published test data (cyberphone/json-canonicalization), byte for byte.</summary>
public class JcsVectorTests
{
    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        foreach (var file in FileNames())
        {
            data.Add(file);
        }

        return data;
    }

    private static string[] FileNames() =>
        Directory.GetFiles(TestPaths.Data("jcs", "input"), "*.json").Select(Path.GetFileName).OfType<string>().OrderBy(f => f, StringComparer.Ordinal).ToArray();

    [Fact]
    public void AllSixVectorFilesArePresent()
    {
        Assert.Equal(["arrays.json", "french.json", "structures.json", "unicode.json", "values.json", "weird.json"], FileNames());
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void CanonicalizesToTheExpectedBytes(string file)
    {
        var input = File.ReadAllText(TestPaths.Data("jcs", "input", file), Encoding.UTF8);
        var expected = File.ReadAllBytes(TestPaths.Data("jcs", "output", file));

        var actual = JsonCanonicalizer.CanonicalizeToUtf8(JsonParser.Parse(input));

        Assert.Equal(Convert.ToHexString(expected), Convert.ToHexString(actual));
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void CanonicalOutputIsAFixedPoint(string file)
    {
        var expected = File.ReadAllText(TestPaths.Data("jcs", "output", file), Encoding.UTF8);

        Assert.Equal(expected, JsonCanonicalizer.Canonicalize(JsonParser.Parse(expected)));
    }
}
