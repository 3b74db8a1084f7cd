using ManifestBuild.TestSupport;

namespace ManifestBuild.Tasks.Tests.Unit;

public sealed class ItemLocationTests : IDisposable
{
    private readonly TempDirectory work = new("dsrs-item-location");

    public void Dispose() => work.Dispose();

    [Fact]
    public void Each_item_type_is_found_on_its_own_line_and_not_on_another_types_line_of_the_same_name()
    {
        var project = work.Combine("App.csproj");
        File.WriteAllText(project, """
            <Project Sdk="Microsoft.NET.Sdk">
              <ItemGroup>
                <DsrsManifest Include="Rust" Family="complexity" />
                <DsrsDataset Include="Rust" Family="complexity" />
                  <DsrsBundle  Include='Rust' Name="rust-systems" />
              </ItemGroup>
            </Project>
            """);

        Assert.Equal(new ItemLocation(project, 3, 5), ItemLocation.Find(project, "Rust"));
        Assert.Equal(new ItemLocation(project, 4, 5), ItemLocation.Find(project, "Rust", "DsrsDataset"));
        Assert.Equal(new ItemLocation(project, 5, 7), ItemLocation.Find(project, "Rust", "DsrsBundle"));
        Assert.Equal(new ItemLocation(project, 0, 0), ItemLocation.Find(project, "Go", "DsrsBundle"));
    }
}
