using ManifestBuild.Format;
using ManifestBuild.Format.Json;

namespace ManifestBuild.Market.Tests;

/// <summary>The one primitive every network string passes before it is printed, and the lockfile's escaping.</summary>
public sealed class UntrustedTextTests
{
    [Theory]
    [InlineData("\u001b[2K\rverified OK", "\\u001b[2K\\u000dverified OK")]
    [InlineData("bell\u0007", "bell\\u0007")]
    [InlineData("abc\u202edef", "abc\\u202edef")]
    [InlineData("c1\u009bcsi", "c1\\u009bcsi")]
    [InlineData("zero\u200bwidth\ufeff", "zero\\u200bwidth\\ufeff")]
    [InlineData("line\u2028sep", "line\\u2028sep")]
    [InlineData("fake \\u001b escape", "fake \\\\u001b escape")]
    [InlineData("plain ü 😀 text", "plain ü 😀 text")]
    public void Neutralise_makes_every_display_acting_character_visible(string input, string expected)
    {
        var neutral = UntrustedText.Neutralise(input);
        Assert.Equal(expected, neutral);
        Assert.True(UntrustedText.IsDisplaySafe(neutral));
    }

    [Fact]
    public void Neutralise_caps_the_length_and_never_splits_a_surrogate_pair()
    {
        var flood = new string('x', 199) + "😀" + new string('y', 10_000);
        var neutral = UntrustedText.Neutralise(flood);
        Assert.EndsWith("...", neutral, StringComparison.Ordinal);
        Assert.True(neutral.Length <= UntrustedText.DefaultMaxLength + 4);
        Assert.False(JsonStringEscaper.HasLoneSurrogate(neutral));
        Assert.Equal(string.Empty, UntrustedText.Neutralise(null));
    }

    [Fact]
    public void The_reviewed_file_writer_escapes_bidi_and_controls_and_reads_back_the_same_value()
    {
        var value = "Name\u202e\u2066\u001b\u0085";
        var doc = new JsonObject().Add("signature_name", value);
        var reviewed = JsonWriter.WriteReviewedFile(doc);
        Assert.Equal("{\n  \"signature_name\": \"Name\\u202e\\u2066\\u001b\\u0085\"\n}\n", reviewed);
        Assert.Equal(value, ((JsonObject)JsonParser.Parse(reviewed)).GetString("signature_name"));

        // The signed and hashed forms keep JSON.stringify's escaping: only C0 controls are escaped there.
        Assert.Equal("{\"signature_name\":\"Name\u202e\u2066\\u001b\u0085\"}", JsonWriter.Write(doc, false));
    }
}
