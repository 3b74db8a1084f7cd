using System.Text.RegularExpressions;

namespace ManifestBuild.Runtime.Tests;

/// <summary>
/// The hand-written marker reader accepts exactly the lines the reply parser's former pattern matched,
/// with the same name and the same length, over every combination of the parts models vary.
/// </summary>
public partial class MarkerLineTests
{
    private static readonly string[] Leads = ["", " ", "\t", "**", " **", "** ", "_`", "x", "*x", "\u00a0"];
    private static readonly string[] Opens = ["[[", "[", "[[[", "[ ["];
    private static readonly string[] Hashes = ["", "#", "##", "###", "####", "# #"];
    private static readonly string[] Names = ["", " ", "name", " name ", "needs plan", "a#b", "a]b", "Задача", "\u00a0x\u2028", "[[ ## x ## ]]"];
    private static readonly string[] Spaces = ["", " "];
    private static readonly string[] Closes = ["]]", "]", "] ]", "]]]"];
    private static readonly string[] Tails = ["", "**", " rest", "**tail", "`", " [[ ## y ## ]]"];

    [Fact]
    public void ReadsWhatThePatternMatched()
    {
        var compared = 0;
        var accepted = 0;
        foreach (var lead in Leads)
        foreach (var open in Opens)
        foreach (var opening in Hashes)
        foreach (var name in Names)
        foreach (var closing in Hashes)
        foreach (var space in Spaces)
        foreach (var close in Closes)
        foreach (var tail in Tails)
        {
            var line = lead + open + space + opening + name + closing + space + close + tail;
            var match = Former().Match(line);
            var read = MarkerLine.TryRead(line, out var readName, out var length);
            Assert.True(match.Success == read, $"'{line}': the pattern {(match.Success ? "matched" : "did not match")}");
            if (read)
            {
                Assert.Equal(match.Groups["name"].Value.Trim(), readName.ToString());
                Assert.Equal(match.Index + match.Length, length);
                accepted++;
            }

            compared++;
        }

        // Both kinds were exercised, not only refusals.
        Assert.True(accepted > 1_000, $"{accepted} of {compared} lines were markers");
    }

    [Theory]
    [InlineData("[[ ## complexity ## ]]", "complexity", 22)]
    [InlineData("**[[## Complexity ##]]** Very High", "Complexity", 24)]
    [InlineData("  [[ #  needs plan  ### ]]  ", "needs plan", 26)]
    public void ReadsTheNameAndTheLength(string line, string name, int length)
    {
        Assert.True(MarkerLine.TryRead(line, out var readName, out var readLength));
        Assert.Equal(name, readName.ToString());
        Assert.Equal(length, readLength);
    }

    [Theory]
    [InlineData("[[ #### x ## ]]")]
    [InlineData("[[ x ]]")]
    [InlineData("[[ ##]]")]
    [InlineData("text [[ ## x ## ]]")]
    [InlineData("[[ ## x ## ]")]
    public void RefusesWhatIsNoMarker(string line) => Assert.False(MarkerLine.TryRead(line, out _, out _));

    // The pattern ReplyParser used before the reader replaced it (the oracle).
    [GeneratedRegex(@"^\s*[*_`]*\s*\[\[\s*#{1,3}\s*(?<name>[^\]#]+?)\s*#{1,3}\s*\]\][*_`]*", RegexOptions.CultureInvariant)]
    private static partial Regex Former();
}
