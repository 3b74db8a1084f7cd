using ManifestBuild.Format;

namespace ManifestBuild.Runtime.Tests;

/// <summary>Replies are read tolerantly (markers, case, enum spelling) but strictly (every field, right type).</summary>
public class ReplyParserTests
{
    [Fact]
    public void ExactReplyParses()
    {
        var output = Complexity.Signature().ParseReply("[[ ## complexity ## ]]\nhigh\n\n[[ ## needs_plan ## ]]\nTrue\n\n[[ ## steps ## ]]\n4\n\n[[ ## confidence ## ]]\n0.8\n\n[[ ## completed ## ]]\n");

        Assert.Equal(new Complexity.Output(Complexity.Level.High, true, 4, 0.8), output);
    }

    [Fact]
    public void MarkersAndValuesAreReadTolerantly()
    {
        const string reply = "Sure! Here it is.\n" +
            "**[[## Complexity ##]]** Very High\n" +
            "  [[ ##  needs plan  ## ]]  \n  false  \n" +
            "[[ # steps # ]]\n\"7\"\n" +
            "[[ ## CONFIDENCE ## ]]\n85%\n" +
            "[[ ## complexity ## ]]\nlow\n" +
            "[[ ## completed ## ]]";

        var output = Complexity.Signature().ParseReply(reply);

        // The first section for a field wins, as in DSPy.
        Assert.Equal(new Complexity.Output(Complexity.Level.VeryHigh, false, 7, 0.85), output);
    }

    [Theory]
    [InlineData("very_high", Complexity.Level.VeryHigh)]
    [InlineData("VeryHigh", Complexity.Level.VeryHigh)]
    [InlineData("'medium'", Complexity.Level.Medium)]
    [InlineData("LOW.", Complexity.Level.Low)]
    public void EnumSpellingsAreMatched(string text, Complexity.Level expected)
    {
        var output = Complexity.Signature().ParseReply($"[[ ## complexity ## ]]\n{text}\n[[ ## needs_plan ## ]]\nno\n[[ ## steps ## ]]\n3.0\n[[ ## confidence ## ]]\n1");
        Assert.Equal(expected, output.Complexity);
        Assert.Equal(3, output.Steps);
    }

    [Fact]
    public void MissingFieldIsRefusedByName()
    {
        var error = Assert.Throws<DsrsException>(() => Complexity.Signature().ParseReply("[[ ## complexity ## ]]\nlow\n[[ ## needs_plan ## ]]\nTrue\n[[ ## confidence ## ]]\n0.5"));

        Assert.Equal(RuntimeErrorCodes.MissingOutputField, error.Code);
        Assert.Contains("'steps'", error.Message);
    }

    [Fact]
    public void WrongTypeIsRefused()
    {
        var error = Assert.Throws<DsrsException>(() => Complexity.Signature().ParseReply("[[ ## complexity ## ]]\nlow\n[[ ## needs_plan ## ]]\nmaybe\n[[ ## steps ## ]]\n1\n[[ ## confidence ## ]]\n0.5"));

        Assert.Equal(RuntimeErrorCodes.InvalidOutputValue, error.Code);
        Assert.Contains("'needs_plan'", error.Message);
        Assert.Contains("'maybe'", error.Message);
    }

    [Fact]
    public void UnknownEnumValueIsRefusedListingTheAllowedOnes()
    {
        var error = Assert.Throws<DsrsException>(() => Complexity.Signature().ParseReply("[[ ## complexity ## ]]\nextreme\n[[ ## needs_plan ## ]]\nTrue\n[[ ## steps ## ]]\n1\n[[ ## confidence ## ]]\n0.5"));

        Assert.Equal(RuntimeErrorCodes.UnknownEnumValue, error.Code);
        Assert.Contains("'very high'", error.Message);
        Assert.Contains("'extreme'", error.Message);
    }

    [Fact]
    public void EmptyReplyIsRefused() =>
        Assert.Equal(RuntimeErrorCodes.EmptyReply, Assert.Throws<DsrsException>(() => Complexity.Signature().ParseReply("  \n ")).Code);

    [Fact]
    public void JsonReplyInProseAndFenceParses()
    {
        const string reply = "Here you go:\n```json\n{\"Complexity\": \"very high\", \"needs_plan\": true, \"steps\": 12, \"confidence\": \"0.6\",}\n```";

        var output = Complexity.Signature(PromptAdapter.Json).ParseReply(reply);

        Assert.Equal(new Complexity.Output(Complexity.Level.VeryHigh, true, 12, 0.6), output);
    }

    [Fact]
    public void JsonReplyWithoutObjectOrWithNullFieldIsRefused()
    {
        var signature = Complexity.Signature(PromptAdapter.Json);
        Assert.Equal(RuntimeErrorCodes.ReplyNotJsonObject, Assert.Throws<DsrsException>(() => signature.ParseReply("I think it is high.")).Code);
        var missing = Assert.Throws<DsrsException>(() => signature.ParseReply("{\"complexity\":\"low\",\"needs_plan\":null,\"steps\":1,\"confidence\":1}"));
        Assert.Equal(RuntimeErrorCodes.MissingOutputField, missing.Code);
        Assert.Contains("'needs_plan'", missing.Message);
    }

    [Theory]
    [InlineData("[\"a\", \"b\"]")]
    [InlineData("['a', 'b']")]
    [InlineData("- a\n- b")]
    [InlineData("[1] «a»\n[2] «b»")]
    public void StringListsParseFromCommonForms(string text)
    {
        var field = new SignatureField("files", FieldKind.StringList);
        Assert.Equal(["a", "b"], (IReadOnlyList<string>)ValueParser.Parse(field, text));
    }
}
