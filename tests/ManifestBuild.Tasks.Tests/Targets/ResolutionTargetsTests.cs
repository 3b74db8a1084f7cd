using ManifestBuild.Tasks.Tests.Support;
using ManifestBuild.TestSupport;

namespace ManifestBuild.Tasks.Tests.Targets;

/// <summary>
/// The package's targets on their own (imported as NuGet would, no pack, no network): what goes into
/// the incremental inputs key, and which build of a multi-targeted project resolves.
/// </summary>
public sealed class ResolutionTargetsTests : IDisposable
{
    private readonly TempDirectory work = new("dsrs-resolution-targets");

    public void Dispose() => work.Dispose();

    [Fact]
    public async Task ChangingTheBlockedSellersChangesTheInputsKeySoResolutionRunsAgain()
    {
        var dir = Project("blocked", "<TargetFramework>net10.0</TargetFramework>");
        var key = Path.Combine(dir, "obj", "Debug", "net10.0", "dsrs", "inputs.key");

        await RunAsync(dir, "-t:_DsrsWriteInputsKey", "-p:BuildingProject=true");
        var before = File.ReadAllText(key);
        await RunAsync(dir, "-t:_DsrsWriteInputsKey", "-p:BuildingProject=true", "-p:DsrsBlockedSellers=" + new string('a', 64));
        var after = File.ReadAllText(key);

        Assert.NotEqual(before, after);
        Assert.Contains("blocked=" + new string('a', 64), after, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("<TargetFrameworks>net8.0;net10.0</TargetFrameworks>", "-p:TargetFramework=net8.0", "true")]
    [InlineData("<TargetFrameworks>net8.0;net10.0</TargetFrameworks>", null, "false")]
    [InlineData("<TargetFramework>net10.0</TargetFramework>", null, "false")]
    [InlineData("<TargetFrameworks>net8.0;net10.0</TargetFrameworks>", "-p:DesignTimeBuild=true", "false")]
    public async Task OnlyARealInnerBuildOfAMultiTargetedProjectAsksTheProjectForTheHandOver(string frameworks, string? property, string expected)
    {
        var dir = Project(Guid.NewGuid().ToString("N")[..8], frameworks);
        string[] args = ["-t:_DsrsComputeMode", "-p:BuildingProject=true", "-getProperty:_DsrsResolveOnceForProject"];
        if (property is not null)
        {
            args = [.. args, property, .. property.Contains("DesignTime", StringComparison.Ordinal) ? new[] { "-p:TargetFramework=net8.0" } : []];
        }

        Assert.Equal(expected, (await RunAsync(dir, args)).Trim());
    }

    private string Project(string name, string frameworks)
    {
        var dir = work.Combine(name);
        Directory.CreateDirectory(Path.Combine(dir, "obj"));
        File.WriteAllText(Path.Combine(dir, "Directory.Build.props"), "<Project />\n");
        File.WriteAllText(Path.Combine(dir, "Directory.Build.targets"), "<Project />\n");
        var targets = Path.Combine(RepoPaths.Root, "src", "ManifestBuild.Tasks", "build", "ManifestBuild.targets");
        File.WriteAllText(Path.Combine(dir, "obj", "App.csproj.dsrs.targets"), $"<Project><Import Project=\"{targets}\" /></Project>\n");
        File.WriteAllText(Path.Combine(dir, "App.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>{frameworks}</PropertyGroup>
              <ItemGroup><DsrsManifest Include="Classifier" Family="complexity" /></ItemGroup>
            </Project>

            """);
        return dir;
    }

    private static async Task<string> RunAsync(string dir, params string[] args) =>
        (await DotnetProcess.RunAsync(dir, ["msbuild", "App.csproj", "-nologo", "-nodeReuse:false", "-v:q", .. args], new Dictionary<string, string?>(), TimeSpan.FromMinutes(5)))
            .EnsureSuccess("msbuild " + string.Join(' ', args)).Output;
}
