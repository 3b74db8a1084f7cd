using ManifestBuild.Lightning.Nodes;

namespace ManifestBuild.Lightning.Tests.Nodes;

public sealed class InvoiceDescriptionsTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(49)]
    [InlineData(50)]
    [InlineData(300)]
    public void The_description_keeps_the_compiled_id_whole_and_fits_phoenixd(int nameLength)
    {
        var compiledId = new string('a', 63) + "f";
        var name = new string('n', nameLength);

        var description = InvoiceDescriptions.ForManifest(compiledId, name);

        Assert.StartsWith("dsrs manifest " + compiledId, description);
        Assert.InRange(description.Length, 0, PhoenixdNode.MaxDescriptionLength);
        Assert.Equal(nameLength <= 49, description.EndsWith(" " + name, StringComparison.Ordinal) || nameLength == 0);
    }
}
