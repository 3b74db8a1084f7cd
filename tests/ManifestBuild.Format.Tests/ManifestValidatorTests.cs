using ManifestBuild.Format.Json;

namespace ManifestBuild.Format.Tests;

public class ManifestValidatorTests
{
    private static string Problems(string json)
    {
        var e = Assert.Throws<DsrsException>(() => Manifest.Parse(json));
        Assert.Equal("DSRS0101", e.Code);
        return e.Message;
    }

    [Fact]
    public void EnumWithoutValuesNamesTheMemberAndTheRule()
    {
        var message = Problems("""
            {"signature_name":"S","outputs":[{"name":"a","type":"string"},{"name":"b","type":"enum","values":[]}]}
            """);

        Assert.Equal("outputs[1].values must be non-empty for enum fields", message);
    }

    [Theory]
    [InlineData("{}", "signature_name is required")]
    [InlineData("{\"signature_name\":\"\"}", "signature_name must be a non-empty string")]
    [InlineData("{\"signature_name\":\"S\",\"format\":\"v1\"}", "format must be \"dsrs.manifest/1\" when present")]
    [InlineData("{\"signature_name\":\"S\",\"adapter\":\"xml\"}", "adapter must be \"chat\" or \"json\"")]
    [InlineData("{\"signature_name\":\"S\",\"inputs\":{}}", "inputs must be an array of fields")]
    [InlineData("{\"signature_name\":\"S\",\"inputs\":[{\"type\":\"int\"}]}", "inputs[0].name is required and must be a string")]
    [InlineData("{\"signature_name\":\"S\",\"inputs\":[{\"name\":\"1x\",\"type\":\"int\"}]}", "inputs[0].name must be a name Python, DSPy and C# all accept")]
    [InlineData("{\"signature_name\":\"S\",\"inputs\":[{\"name\":\"a\"}]}", "inputs[0].type is required")]
    [InlineData("{\"signature_name\":\"S\",\"inputs\":[{\"name\":\"a\",\"type\":\"double\"}]}", "inputs[0].type must be one of string, int, float, bool, string[], enum, got \"double\"")]
    [InlineData("{\"signature_name\":\"S\",\"inputs\":[{\"name\":\"a\",\"type\":\"int\",\"values\":[\"x\"]}]}", "inputs[0].values is allowed only for enum fields")]
    [InlineData("{\"signature_name\":\"S\",\"inputs\":[{\"name\":\"a\",\"type\":\"int\"}],\"outputs\":[{\"name\":\"a\",\"type\":\"int\"}]}", "outputs[0].name must be unique across inputs and outputs")]
    [InlineData("{\"signature_name\":\"S\",\"outputs\":[{\"name\":\"a\",\"type\":\"enum\",\"values\":[\"x\",\"x\"]}]}", "outputs[0].values[1] must be unique")]
    [InlineData("{\"signature_name\":\"S\",\"outputs\":[{\"name\":\"a\",\"type\":\"enum\",\"values\":[1]}]}", "outputs[0].values[0] must be a non-empty string")]
    [InlineData("{\"signature_name\":\"S\",\"demos\":[{\"inputs\":{}}]}", "demos[0].outputs is required and must be an object of field values")]
    [InlineData("{\"signature_name\":\"S\",\"inputs\":[{\"name\":\"q\",\"type\":\"string\"}],\"demos\":[{\"inputs\":{\"z\":1},\"outputs\":{}}]}", "demos[0].inputs.z is not a declared input field")]
    [InlineData("{\"signature_name\":\"S\",\"scorecard\":[]}", "scorecard must be an object")]
    [InlineData("{\"signature_name\":\"S\",\"scorecard\":{\"median_score\":\"high\"}}", "scorecard.median_score must be a number")]
    [InlineData("{\"signature_name\":\"S\",\"scorecard\":{\"rollouts\":-1}}", "scorecard.rollouts must be a non-negative integer")]
    [InlineData("{\"signature_name\":\"S\",\"scorecard\":{\"accuracy\":1.5}}", "scorecard.accuracy must be a number from 0 to 1")]
    [InlineData("{\"signature_name\":\"S\",\"domain_tags\":[\"Rust\"]}", "domain_tags[0] must be lowercase, got \"Rust\"")]
    [InlineData("{\"signature_name\":\"S\",\"domain_tags\":[\"go\",\"go\"]}", "domain_tags[1] must be unique")]
    [InlineData("{\"signature_name\":\"S\",\"example_count\":1.5}", "example_count must be a non-negative integer")]
    [InlineData("{\"signature_name\":\"S\",\"created_at\":\"yesterday\"}", "created_at must be a non-negative integer")]
    [InlineData("{\"signature_name\":\"S\",\"compiled_id\":\"ABC\"}", "compiled_id must be 64 lowercase hex digits")]
    [InlineData("{\"signature_name\":\"S\",\"instruction\":7}", "instruction must be a string")]
    public void EachRuleNamesItsMember(string json, string expected)
    {
        Assert.Contains(expected, Problems(json));
    }

    [Fact]
    public void ReportsEveryProblemAtOnce()
    {
        var problems = ManifestValidator.Validate((JsonObject)JsonParser.Parse("{\"example_count\":-2,\"domain_tags\":[\"A\"]}"));

        Assert.Equal(["signature_name", "domain_tags[0]", "example_count"], problems.Select(p => p.Member));
    }

    [Fact]
    public void NewerFormatIsRefusedWithItsOwnCode()
    {
        var e = Assert.Throws<DsrsException>(() => Manifest.Parse("{\"format\":\"dsrs.manifest/2\",\"signature_name\":\"S\"}"));

        Assert.Equal("DSRS0106", e.Code);
        Assert.Contains("dsrs.manifest/2", e.Message);
    }

    [Fact]
    public void NonObjectIsRefused()
    {
        Assert.Contains("must be a JSON object, found an array", Problems("[]"));
    }
}
