using ManifestBuild.Tasks.Tests.Support;
using ManifestBuild.TestSupport;

namespace ManifestBuild.Tasks.Tests.Targets;

/// <summary>
/// Locked mode is decided when the targets run, from final property values: ContinuousIntegrationBuild
/// set anywhere (Directory.Build.props, the project, Directory.Build.targets, the command line, the
/// environment) locks the build. The package's targets are imported where NuGet imports a package's
/// build targets (obj/&lt;project&gt;.*.targets), i.e. before Directory.Build.targets.
/// </summary>
public sealed class LockedModeTargetsTests : IDisposable
{
    private readonly TempDirectory work = new("dsrs-locked-mode");

    public void Dispose() => work.Dispose();

    [Theory]
    [InlineData("props", "true")]
    [InlineData("project", "true")]
    [InlineData("targets", "true")]
    [InlineData("command line", "true")]
    [InlineData("environment", "true")]
    [InlineData("none", "false")]
    [InlineData("targets, DsrsLockedMode=false in the project", "false")]
    public async Task ContinuousIntegrationBuildLocksTheBuildWhereverItIsSet(string where, string expected)
    {
        var ci = "<PropertyGroup><ContinuousIntegrationBuild>true</ContinuousIntegrationBuild></PropertyGroup>";
        var dir = work.Combine(where.Replace(' ', '-').Replace(",", string.Empty).Replace("=", "-"));
        Directory.CreateDirectory(Path.Combine(dir, "obj"));
        File.WriteAllText(Path.Combine(dir, "Directory.Build.props"), $"<Project>{(where == "props" ? ci : string.Empty)}</Project>\n");
        File.WriteAllText(Path.Combine(dir, "Directory.Build.targets"), $"<Project>{(where.StartsWith("targets", StringComparison.Ordinal) ? ci : string.Empty)}</Project>\n");
        var targets = Path.Combine(RepoPaths.Root, "src", "ManifestBuild.Tasks", "build", "ManifestBuild.targets");
        File.WriteAllText(Path.Combine(dir, "obj", "App.csproj.dsrs.targets"), $"<Project><Import Project=\"{targets}\" /></Project>\n");
        var projectProperties = where == "project" ? "<ContinuousIntegrationBuild>true</ContinuousIntegrationBuild>"
            : where.Contains("DsrsLockedMode=false", StringComparison.Ordinal) ? "<DsrsLockedMode>false</DsrsLockedMode>" : string.Empty;
        File.WriteAllText(Path.Combine(dir, "App.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup><TargetFramework>net10.0</TargetFramework>{projectProperties}</PropertyGroup>
              <ItemGroup><DsrsManifest Include="Classifier" Family="complexity" /></ItemGroup>
            </Project>

            """);
        var environment = new Dictionary<string, string?> { ["ContinuousIntegrationBuild"] = where == "environment" ? "true" : null };
        string[] args = ["msbuild", "App.csproj", "-nologo", "-nodeReuse:false", "-t:_DsrsComputeMode", "-getProperty:_DsrsLockedMode", .. where == "command line" ? new[] { "-p:ContinuousIntegrationBuild=true" } : []];

        var result = (await DotnetProcess.RunAsync(dir, args, environment, TimeSpan.FromMinutes(5))).EnsureSuccess("evaluating " + where);

        Assert.Equal(expected, result.Output.Trim());
    }
}
