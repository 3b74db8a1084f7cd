using ManifestBuild.Lightning.Payments;

namespace ManifestBuild.Lightning.Tests.Payments;

public sealed class NoPaySwitchTests
{
    [Theory]
    [InlineData("1", true)]
    [InlineData("yes", true)]
    [InlineData(" true ", true)]
    [InlineData("anything", true)]
    [InlineData(null, false)]
    [InlineData("", false)]
    [InlineData("  ", false)]
    [InlineData("0", false)]
    [InlineData("false", false)]
    [InlineData("FALSE", false)]
    [InlineData("No", false)]
    [InlineData("off", false)]
    public void Any_value_but_empty_0_false_no_or_off_turns_it_on(string? value, bool on)
    {
        Assert.Equal(on, NoPaySwitch.IsOn(value));
        Assert.Equal(on, NoPaySwitch.IsOn(name => name == "DSRS_NO_PAY" ? value : "1"));
    }
}
