namespace ManifestBuild.Cli.Tests;

/// <summary>The buyer's project the subscription CLI tests resolve: one paid Classifier (complexity, rust) within a 100,000 msat budget.</summary>
internal static class SubscriberProject
{
    public static string Write(string dir, string relay)
    {
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, "App.csproj");
        File.WriteAllText(path, $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <DsrsRelays>{relay}</DsrsRelays>
                <DsrsBudgetMsat>100000</DsrsBudgetMsat>
              </PropertyGroup>
              <ItemGroup>
                <DsrsManifest Include="Classifier" Family="complexity" Domains="rust" MaxPriceMsat="50000" />
              </ItemGroup>
            </Project>
            """);
        return path;
    }
}
