using ManifestBuild.Cli;
using ManifestBuild.TestSupport;

namespace ManifestBuild.Cli.Tests;

/// <summary>`dsrs init` on existing projects: what it adds, that a second run changes nothing, that the user's formatting stays.</summary>
public sealed class InitCommandTests
{
    private const string ConsoleProject = "<Project Sdk=\"Microsoft.NET.Sdk\">\n\n  <PropertyGroup>\n    <OutputType>Exe</OutputType>\n    <TargetFramework>net10.0</TargetFramework>\n  </PropertyGroup>\n\n</Project>\n";

    private static async Task<(int Code, string Out, string Err)> RunAsync(string home, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await Program.RunAsync(args, new CliContext { Out = output, Error = error, Interactive = false, Env = name => name == "DSRS_HOME" ? home : null });
        return (code, output.ToString(), error.ToString());
    }

    private static TempDirectory WithFeed(out string home, params string[] versions)
    {
        var root = new TempDirectory("cli-init");
        home = root.Combine("home");
        Directory.CreateDirectory(Path.Combine(home, "feed"));
        foreach (var v in versions)
        {
            File.WriteAllText(Path.Combine(home, "feed", $"ManifestBuild.{v}.nupkg"), string.Empty);
            File.WriteAllText(Path.Combine(home, "feed", $"ManifestBuild.Runtime.{v}.nupkg"), string.Empty);
        }

        return root;
    }

    [Fact]
    public async Task Init_adds_the_reference_the_feed_and_a_first_item_once_and_keeps_the_formatting()
    {
        using var root = WithFeed(out var home, "0.1.0", "0.2.0-beta.1", "0.1.5");
        var project = root.Write("app/App.csproj", ConsoleProject);

        var first = await RunAsync(home, "init", project, "--budget", "100000");
        Assert.True(first.Code == 0, first.Err);
        var text = File.ReadAllText(project);
        Assert.StartsWith("<Project Sdk=\"Microsoft.NET.Sdk\">\n\n  <PropertyGroup>\n    <OutputType>Exe</OutputType>\n    <TargetFramework>net10.0</TargetFramework>\n  </PropertyGroup>\n\n", text, StringComparison.Ordinal);
        Assert.Contains("\n  <ItemGroup>\n    <PackageReference Include=\"ManifestBuild\" Version=\"0.2.0-beta.1\" />\n  </ItemGroup>\n", text, StringComparison.Ordinal);
        Assert.Contains("    <DsrsRelays>ws://127.0.0.1:7777</DsrsRelays>\n    <DsrsBudgetMsat>100000</DsrsBudgetMsat>\n", text, StringComparison.Ordinal);
        Assert.Contains("<DsrsManifest Include=\"ComplexityClassification\" Family=\"complexity\" MaxPriceMsat=\"100000\" />", text, StringComparison.Ordinal);
        Assert.EndsWith("</Project>\n", text, StringComparison.Ordinal);
        var config = File.ReadAllText(root.Combine("app", "nuget.config"));
        Assert.Contains($"<add key=\"manifestbuild-local\" value=\"{Path.Combine(home, "feed")}\" />", config, StringComparison.Ordinal);
        System.Xml.Linq.XDocument.Parse(text);

        var second = await RunAsync(home, "init", project, "--budget", "5");
        Assert.True(second.Code == 0, second.Err);
        Assert.Contains("already references ManifestBuild", second.Out, StringComparison.Ordinal);
        Assert.Contains("already lists", second.Out, StringComparison.Ordinal);
        Assert.Equal(text, File.ReadAllText(project));
        Assert.Equal(config, File.ReadAllText(root.Combine("app", "nuget.config")));
    }

    [Fact]
    public async Task Init_keeps_crlf_tabs_and_an_existing_nuget_config()
    {
        using var root = WithFeed(out var home, "0.1.0");
        var original = "<Project Sdk=\"Microsoft.NET.Sdk\">\r\n\t<PropertyGroup>\r\n\t\t<TargetFramework>net10.0</TargetFramework>\r\n\t\t<DsrsRelays>wss://relay.example</DsrsRelays>\r\n\t</PropertyGroup>\r\n</Project>";
        var project = root.Write("app/App.csproj", original);
        var configText = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n<configuration>\r\n\t<packageSources>\r\n\t\t<add key=\"corp\" value=\"https://packages.example/v3/index.json\" />\r\n\t</packageSources>\r\n</configuration>\r\n";
        var config = root.Write("app/NuGet.Config", configText);

        var result = await RunAsync(home, "init", root.Combine("app"), "--name", "Planner", "--family", "planning", "--max-price", "0");
        Assert.True(result.Code == 0, result.Err);
        var text = File.ReadAllText(project);
        Assert.StartsWith(original[..original.LastIndexOf("</Project>", StringComparison.Ordinal)], text, StringComparison.Ordinal);
        Assert.Contains("\r\n\t<ItemGroup>\r\n\t\t<DsrsManifest Include=\"Planner\" Family=\"planning\" MaxPriceMsat=\"0\" />\r\n\t</ItemGroup>\r\n", text, StringComparison.Ordinal);
        Assert.Contains("keeps its DsrsRelays", result.Out, StringComparison.Ordinal);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(text, "<DsrsRelays>"));
        Assert.DoesNotContain("\n", text.Replace("\r\n", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        var updated = File.ReadAllText(config);
        Assert.Contains("\t\t<add key=\"corp\" value=\"https://packages.example/v3/index.json\" />\r\n\t\t<add key=\"manifestbuild-local\"", updated, StringComparison.Ordinal);
        Assert.Single(Directory.GetFiles(root.Combine("app")), f => string.Equals(Path.GetFileName(f), "nuget.config", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Init_refuses_what_it_cannot_edit_with_a_code()
    {
        using var root = WithFeed(out var home);
        Directory.CreateDirectory(root.Combine("empty"));
        var none = await RunAsync(home, "init", root.Combine("empty"));
        Assert.Equal(1, none.Code);
        Assert.StartsWith("DSRS0970: ", none.Err, StringComparison.Ordinal);

        var broken = root.Write("broken/App.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\">\n  <ItemGroup>\n</Project>\n");
        var bad = await RunAsync(home, "init", broken);
        Assert.Equal(1, bad.Code);
        Assert.StartsWith("DSRS0971: ", bad.Err, StringComparison.Ordinal);
        Assert.Equal("<Project Sdk=\"Microsoft.NET.Sdk\">\n  <ItemGroup>\n</Project>\n", File.ReadAllText(broken));

        var relay = await RunAsync(home, "init", root.Combine("broken"), "--relay", "http://example");
        Assert.Equal(2, relay.Code);
        Assert.StartsWith("DSRS0901: --relay", relay.Err, StringComparison.Ordinal);
    }
}
