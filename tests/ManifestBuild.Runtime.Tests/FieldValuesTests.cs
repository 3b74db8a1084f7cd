using ManifestBuild.Format;

namespace ManifestBuild.Runtime.Tests;

/// <summary>Values by name keep declaration order and last-write-wins, for a few fields and for many (indexed by name).</summary>
public class FieldValuesTests
{
    [Theory]
    [InlineData(3)]
    [InlineData(15)]
    [InlineData(16)]
    [InlineData(40)]
    public void KeepsOrderAndFindsEveryName(int count)
    {
        var values = new FieldValues();
        for (var i = 0; i < count; i++)
        {
            values.Add("f" + i, i);
        }

        // A second value for a name replaces the first in place.
        values.Add("f1", "again");

        Assert.Equal(count, values.Count);
        Assert.Equal(Enumerable.Range(0, count).Select(i => "f" + i), values.Names);
        Assert.Equal(values.Names, values.Select(pair => pair.Key));
        Assert.Equal("again", values.GetString("f1"));
        Assert.Equal(count - 1, values.GetInt("f" + (count - 1)));
        Assert.True(values.Contains("f0"));
        Assert.False(values.Contains("F0"));
        Assert.False(values.TryGetValue("missing", out _));
        var refusal = Assert.Throws<DsrsException>(() => values["missing"]);
        Assert.Equal(RuntimeErrorCodes.MissingOutputField, refusal.Code);
    }
}
